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


def _request_bodies(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            content = operation.get("requestBody", {}).get("content", {})
            if "application/json" in content:
                name = content["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
                yield method, path, schema["components"]["schemas"][name]


def test_every_request_body_is_closed_as_the_api_is(schema, api_as, editor):
    """The schema says additionalProperties: false, and the API does refuse an unknown field
    (with a 400 naming it), on every write, to objects that exist."""
    from tests.factories import EvidenceFactory

    evidence = EvidenceFactory()
    ids = {
        "articles": evidence.claim.article_id,
        "claims": evidence.claim_id,
        "evidence": evidence.pk,
        "sources": evidence.source_id,
        "outlets": evidence.source.outlet_id,
    }
    client = api_as(editor)
    bodies = list(_request_bodies(schema))
    assert len(bodies) >= 10
    for method, path, body in bodies:
        assert body["additionalProperties"] is False, (method, path)
        url = path.replace("{id}", str(ids[path.split("/")[3]]))
        response = getattr(client, method)(
            url, {"no_such_field": 1}, format="json", HTTP_IF_MATCH="*"
        )
        assert response.status_code == 400, (method, path, response.status_code)
        assert "no_such_field" in response.json()["errors"], (method, path)


def test_web_addresses_are_http_uris_as_the_api_takes_them(schema, api_as, editor):
    import re

    components = schema["components"]["schemas"]
    for name in ("SourceRequest", "OutletRequest", "ArticleRequest", "Source", "SourceSummary"):
        for field in ("url", "archived_url", "homepage"):
            shape = components[name]["properties"].get(field)
            if shape is None:
                continue
            address, empty = shape["oneOf"]
            assert address["format"] == "uri", (name, field)
            assert empty == {"type": "string", "maxLength": 0}, (name, field)
    pattern = re.compile(
        components["OutletRequest"]["properties"]["homepage"]["oneOf"][0]["pattern"]
    )
    client = api_as(editor)
    for value in ("ftp://example.org/", "example.org", "javascript:alert(1)"):
        assert not pattern.search(value)
        response = client.post(
            "/api/v1/outlets/", {"name": value, "homepage": value}, format="json"
        )
        assert response.status_code == 400, value
        assert "homepage" in response.json()["errors"], value
    assert pattern.search("HTTPS://Example.org/a")
    response = client.post(
        "/api/v1/outlets/", {"name": "Cased", "homepage": "HTTPS://Example.org/a"}, format="json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["homepage"] == "https://Example.org/a"


def test_free_text_query_parameters_refuse_nul_as_the_schema_says(schema, api):
    import re

    checked = 0
    for path, operations in schema["paths"].items():
        for p in operations.get("get", {}).get("parameters", []):
            shape = p.get("schema", {})
            if p["in"] != "query" or shape.get("pattern") != "^[^\\u0000]*$":
                continue
            assert not re.search(shape["pattern"], "a\x00b")
            response = api.get(path, {p["name"]: "a\x00b"})
            assert response.status_code == 400, (path, p["name"], response.status_code)
            checked += 1
    assert checked >= 4
