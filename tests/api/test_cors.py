"""CORS (issue 11): any origin reads anonymously; credentials and writes only for the origins in
CORS_TRUSTED_ORIGINS."""

import pytest

pytestmark = pytest.mark.django_db

ELSEWHERE = "https://research.example.net"
TRUSTED = "https://cms.newsroom.example"


@pytest.fixture(autouse=True)
def _trusted(settings):
    settings.CORS_ALLOWED_ORIGINS = [TRUSTED]


@pytest.mark.parametrize("path", ["/api/v1/claims/", "/api/v1/claimreview/"])
def test_any_origin_reads_without_credentials(api, path):
    response = api.get(path, HTTP_ORIGIN=ELSEWHERE)
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response
    assert "ETag" in response["Access-Control-Expose-Headers"]


def test_any_origin_may_preflight_a_conditional_get_but_not_a_token(api):
    response = api.options(
        "/api/v1/claims/",
        HTTP_ORIGIN=ELSEWHERE,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="if-none-match",
    )
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "if-none-match" in response["Access-Control-Allow-Headers"]
    assert "authorization" not in response["Access-Control-Allow-Headers"]


@pytest.mark.parametrize("method", ["POST", "PATCH", "PUT"])
def test_a_write_from_another_origin_is_not_allowed(api, method):
    response = api.options(
        "/api/v1/claims/", HTTP_ORIGIN=ELSEWHERE, HTTP_ACCESS_CONTROL_REQUEST_METHOD=method
    )
    assert "Access-Control-Allow-Origin" not in response


def test_a_trusted_origin_writes_with_credentials(api):
    response = api.options(
        "/api/v1/claims/",
        HTTP_ORIGIN=TRUSTED,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization, if-match",
    )
    assert response["Access-Control-Allow-Origin"] == TRUSTED
    assert response["Access-Control-Allow-Credentials"] == "true"
    assert "POST" in response["Access-Control-Allow-Methods"]
    assert "if-match" in response["Access-Control-Allow-Headers"]


def test_pages_outside_the_api_have_no_cors(client):
    assert "Access-Control-Allow-Origin" not in client.get("/", HTTP_ORIGIN=ELSEWHERE)
