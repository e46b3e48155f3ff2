"""A database outage is a 503 with Retry-After in the one error shape, on pages and API alike, and
/healthz names what is down. Real servers (gunicorn) on real unreachable databases and caches."""

import contextlib
import os
import socket
import time
import urllib.error
import urllib.request

import orjson
import pytest

from sources.models import Outlet
from tests.conftest import gunicorn


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url, **headers):
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 (http only, ours)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@pytest.fixture
def server_with(tmp_path):
    """``server_with(**env)``: gunicorn serving the app with these settings; its base URL."""
    servers = contextlib.ExitStack()

    def start(**env):
        port = _free_port()
        environment = {
            **os.environ,
            "DEBUG": "0",
            "SECRET_KEY": "outage-test-only-not-a-secret",
            "STATIC_MANIFEST": "0",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
            "CACHE_URL": "",
            **env,
        }
        servers.enter_context(gunicorn(port, environment, "-w", "1", "--no-control-socket"))
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                return base
            except OSError:
                time.sleep(0.1)
        raise AssertionError("gunicorn did not start")

    with servers:
        yield start


UNREACHABLE = {
    "postgresql": "postgres://postgres@127.0.0.1:1/claimtracker_nowhere",
    "sqlite": "sqlite:////nonexistent-folder/claimtracker.sqlite3",
}


@pytest.mark.parametrize("database", sorted(UNREACHABLE))
def test_an_unreachable_database_is_a_503_with_retry_after_everywhere(server_with, database):
    base = server_with(DATABASE_URL=UNREACHABLE[database])

    status, headers, body = _get(f"{base}/api/v1/claims/")
    assert status == 503
    assert headers["Retry-After"] == "5"
    assert orjson.loads(body) == {
        "type": "service_unavailable",
        "status": 503,
        "detail": "The database cannot be reached just now; nothing was changed. Try again shortly.",
    }
    # With a token: authentication needs the database too, and still no 500.
    status, headers, _ = _get(f"{base}/api/v1/claims/", Authorization="Token abc.def")
    assert (status, headers["Retry-After"]) == (503, "5")

    status, headers, body = _get(f"{base}/")
    assert (status, headers["Retry-After"]) == (503, "5")
    assert b"cannot reach its database" in body

    status, headers, body = _get(f"{base}/healthz")
    assert status == 503
    report = orjson.loads(body)
    assert report["status"] == "error"
    assert report["down"] == ["database"]
    assert "OperationalError" in report["database"]


def test_healthz_names_an_unreachable_cache(server_with):
    base = server_with(CACHE_URL="redis://127.0.0.1:1/0")
    status, _, body = _get(f"{base}/healthz")
    assert status == 503
    report = orjson.loads(body)
    assert report["down"] == ["cache"]
    assert "ConnectionError" in report["cache"]


def test_healthz_with_redis_up(server_with):
    base = server_with(CACHE_URL="redis://127.0.0.1:6379/15")
    status, _, body = _get(f"{base}/healthz")
    assert status == 200
    assert orjson.loads(body) == {"status": "ok", "database": "sqlite", "cache": "redis"}


@pytest.mark.django_db
@pytest.mark.urls("tests.outage_urls")
def test_a_write_that_committed_is_answered_as_a_success(client):
    response = client.post(
        "/api/v1/write/", {"name": "Kept", "lose_it": True}, content_type="application/json"
    )
    assert response.status_code == 201
    assert response.json() == {"id": Outlet.objects.get(name="Kept").pk, "name": "Kept"}
    assert response["ETag"] == '"1"'


@pytest.mark.django_db
@pytest.mark.urls("tests.outage_urls")
def test_a_view_that_loses_the_database_answers_503_in_the_error_shape(client):
    response = client.get("/api/v1/read/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response.json()["type"] == "service_unavailable"
