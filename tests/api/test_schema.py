"""The OpenAPI schema and its docs: truthful, complete, and served from local assets."""

import re

import pytest
import yaml
from django.core.management import call_command

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(api):
    response = api.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi")
    assert response.status_code == 200
    return yaml.safe_load(response.content)


def test_the_schema_validates_without_warnings(tmp_path):
    # drf-spectacular's own validator (openapi-spec-validator rules); warnings fail the run.
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml")
    )


def test_every_endpoint_is_described(schema):
    paths = schema["paths"]
    for path in [
        "/api/v1/articles/",
        "/api/v1/articles/{id}/",
        "/api/v1/claims/",
        "/api/v1/claims/{id}/",
        "/api/v1/claims/{id}/history/",
        "/api/v1/claims/{id}/state/",
        "/api/v1/claims/{id}/review/",
        "/api/v1/claims/{id}/claimreview/",
        "/api/v1/claimreview/",
        "/api/v1/sources/",
        "/api/v1/outlets/",
        "/api/v1/evidence/",
        "/api/v1/evidence/{id}/",
    ]:
        assert path in paths, path
    patch = paths["/api/v1/claims/{id}/"]["patch"]
    assert {"412", "428", "400", "403"} <= set(patch["responses"])
    assert any(p["name"] == "If-Match" and p["in"] == "header" for p in patch["parameters"])
    assert "429" in paths["/api/v1/claims/"]["get"]["responses"]
    assert sorted(schema["components"]["schemas"]["Error"]["required"]) == [
        "detail",
        "status",
        "type",
    ]


def test_the_token_scheme_is_declared(schema):
    schemes = schema["components"]["securitySchemes"]
    assert schemes["tokenAuth"]["type"] == "apiKey"
    assert schemes["tokenAuth"]["in"] == "header"
    assert schemes["tokenAuth"]["name"] == "Authorization"
    assert "Token" in schemes["tokenAuth"]["description"]


def test_the_docs_page_uses_only_local_assets(api):
    response = api.get("/api/docs/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "swagger-ui" in page
    external = [
        u
        for u in re.findall(r'(?:src|href)="([^"]+)"', page)
        if u.startswith(("http://", "https://", "//"))
    ]
    assert external == []
    assert "Content-Security-Policy" in response.headers
