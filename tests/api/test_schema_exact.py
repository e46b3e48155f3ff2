"""The schema says exactly what the API does (issue 11), checked by openapi-spec-validator as a
third-party tool would, and field by field where clients depend on it."""

import pytest
import yaml
from openapi_spec_validator import validate

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(api):
    response = api.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi")
    assert response.status_code == 200
    return yaml.safe_load(response.content)


def parameter(operation, name):
    return next(p for p in operation["parameters"] if p["name"] == name)


def test_openapi_spec_validator_accepts_it(schema):
    validate(schema)


def test_reads_are_open_to_anonymous_clients(schema):
    for path, operations in schema["paths"].items():
        if "get" in operations:
            assert {} in operations["get"]["security"], path
    assert {} not in schema["paths"]["/api/v1/claims/"]["post"].get("security", [])


def test_response_headers_and_statuses(schema):
    claims = schema["paths"]["/api/v1/claims/"]
    assert "ETag" in claims["get"]["responses"]["200"]["headers"]
    assert {"304", "406", "429"} <= set(claims["get"]["responses"])
    assert "Retry-After" in claims["get"]["responses"]["429"]["headers"]
    created = claims["post"]["responses"]["201"]["headers"]
    assert {"Location", "ETag"} <= set(created)
    assert {"413", "415"} <= set(claims["post"]["responses"])
    feed = schema["paths"]["/api/v1/claimreview/"]["get"]
    assert "application/ld+json" in feed["responses"]["200"]["content"]
    assert "Last-Modified" in feed["responses"]["200"]["headers"]


def test_parameters_have_their_types_and_bounds(schema):
    detail = schema["paths"]["/api/v1/claims/{id}/"]["get"]
    assert parameter(detail, "id")["schema"]["type"] == "integer"
    assert parameter(detail, "id")["schema"]["minimum"] == 1
    listing = schema["paths"]["/api/v1/claims/"]["get"]
    assert parameter(listing, "page_size")["schema"] == {
        "type": "integer",
        "minimum": 1,
        "maximum": 500,
    }
    assert parameter(listing, "outlet")["schema"]["minimum"] == 1
    assert parameter(listing, "by_article")["schema"] == {"type": "boolean"}
    assert "-updated_at" in parameter(listing, "ordering")["schema"]["enum"]
    assert parameter(listing, "q")["schema"]["maxLength"] == 200


def test_the_claim_write_shape_is_what_a_write_takes(schema):
    body = schema["paths"]["/api/v1/claims/"]["post"]["requestBody"]["content"]
    ref = body["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    write = schema["components"]["schemas"][ref]
    assert "id" not in write["properties"]
    assert "state" not in write["properties"]
    assert set(write["required"]) == {"article", "wording", "quote"}
