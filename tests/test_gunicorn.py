"""What holds only with several worker processes, tried as an attacker would: one gunicorn (its
own settings file, three workers) on the test database, real HTTP on loopback, requests sent in
parallel so that every worker answers some of them (issue 18).

- The documented rate limits hold to the number across workers (120 anonymous requests a minute,
  20 wrong tokens a minute from one address): the counters live in the database cache every
  worker shares (common/cache.py), each request counted by one atomic increment.
- A chunked request body (no Content-Length) is read and written, or refused with 413 past the
  limit (common/chunked.py); request lines of up to 8,190 bytes are read (gunicorn.conf.py).
"""

import http.client
import os
import socket
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import orjson
import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.db import connection

from sources.models import Outlet
from tests.conftest import _database_url_of, gunicorn
from tests.factories import ClaimFactory

# Transactional: the server sees what a test commits, and no test transaction holds SQLite's
# write lock while the workers count.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

WORKERS = 3
PORTS = range(8600, 8700)  # this suite's own range on the shared machine


def _free_port() -> int:
    for port in PORTS:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise AssertionError("no free port in 8600-8699")


@pytest.fixture(scope="module")
def server(django_db_setup, django_db_blocker):
    """gunicorn as production runs it (tracker/gunicorn.conf.py), three workers, on the test
    database with the default cache (the database's, no CACHE_URL)."""
    port = _free_port()
    with django_db_blocker.unblock():
        database_url = _database_url_of(connection.settings_dict)
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("API_", "CACHE_URL", "SIGN_IN_"))  # the documented defaults
    }
    environment.update(
        DEBUG="0",
        SECRET_KEY=settings.SECRET_KEY,
        STATIC_MANIFEST="0",
        DATABASE_URL=database_url,
        WEB_CONCURRENCY=str(WORKERS),
    )
    with gunicorn(port, environment, "-c", "tracker/gunicorn.conf.py") as process:
        deadline = time.monotonic() + 120
        while True:
            try:
                if request(port, "GET", "/healthz")[0] == 200:
                    break
            except OSError:
                pass
            assert process.poll() is None, "gunicorn stopped"
            assert time.monotonic() < deadline, (
                "gunicorn did not start",
                request(port, "GET", "/healthz"),
            )
            time.sleep(0.2)
        yield port


@pytest.fixture(autouse=True)
def no_counts_yet(server, django_db_blocker):
    """Every test starts with no rate-limit counts (the workers' cache table, emptied)."""
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM tracker_cache")


def request(port, method, path, body=None, headers=None):
    """One request on its own connection: (status, headers, body)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


def in_parallel(count, send, threads=12):
    with ThreadPoolExecutor(threads) as pool:
        return list(pool.map(lambda _: send(), range(count)))


def test_the_anonymous_limit_holds_to_the_number_across_workers(server):
    answers = in_parallel(300, lambda: request(server, "GET", "/api/v1/outlets/"))
    assert Counter(status for status, _, _ in answers) == {200: 120, 429: 180}
    refused = next(answer for answer in answers if answer[0] == 429)
    assert 0 < int(refused[1]["Retry-After"]) <= 60
    assert orjson.loads(refused[2])["type"] == "throttled"


def test_no_more_than_twenty_wrong_tokens_are_checked_across_workers(server):
    headers = {"Authorization": "Token wrong.key"}
    answers = in_parallel(60, lambda: request(server, "GET", "/api/v1/outlets/", headers=headers))
    assert Counter(status for status, _, _ in answers) == {401: 20, 429: 40}
    refused = next(answer for answer in answers if answer[0] == 429)
    assert orjson.loads(refused[2])["detail"].startswith("Too many wrong tokens from this address.")


@pytest.fixture
def editor_token(editor):
    """An editor's API token, committed (the workers read it)."""
    from accounts.models import ApiToken

    editor.groups.add(Group.objects.get(name="Fact-checkers"))
    _, key = ApiToken.objects.create_key(user=editor, name="gunicorn test")
    return {"Authorization": f"Token {key}"}


def chunked(port, method, path, body: bytes, headers):
    """A request whose body goes in chunks, with no Content-Length (http.client's encode_chunked)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.putrequest(method, path)
        for name, value in {**headers, "Transfer-Encoding": "chunked"}.items():
            conn.putheader(name, value)
        conn.endheaders()
        try:
            for start in range(0, len(body), 1000):
                piece = body[start : start + 1000]
                conn.send(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
            conn.send(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass  # a server may refuse (411, 413) and close before the body is sent: read its answer
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


def test_a_chunked_post_and_patch_are_read_and_written(server, editor_token):
    json_headers = {**editor_token, "Content-Type": "application/json"}
    status, _, body = chunked(
        server,
        "POST",
        "/api/v1/outlets/",
        orjson.dumps({"name": "Chunked Wire", "kind": "news_agency"}),
        json_headers,
    )
    assert status == 201, body
    outlet = Outlet.objects.get(name="Chunked Wire")

    status, _, body = chunked(
        server,
        "PATCH",
        f"/api/v1/outlets/{outlet.pk}/",
        orjson.dumps({"name": "Chunked Wire Service"}),
        {**json_headers, "If-Match": "*"},
    )
    assert status == 200, body
    assert orjson.loads(body)["name"] == "Chunked Wire Service"
    outlet.refresh_from_db()
    assert outlet.name == "Chunked Wire Service"


def test_a_chunked_body_over_the_limit_is_a_413_in_the_error_shape(server, editor_token):
    body = orjson.dumps({"name": "x" * (settings.API_MAX_BODY_BYTES + 10), "kind": "other"})
    status, _, answer = chunked(
        server,
        "POST",
        "/api/v1/outlets/",
        body,
        {**editor_token, "Content-Type": "application/json"},
    )
    assert status == 413
    assert orjson.loads(answer)["type"] == "request_too_large"
    assert not Outlet.objects.exists()


def test_request_lines_up_to_8190_bytes_are_read(server):
    query = "?q=" + "a" * 7000
    status, _, body = request(server, "GET", "/api/v1/claims/" + query)
    assert status == 400  # the app read it: a search that long is refused with its bound
    assert orjson.loads(body)["type"] == "validation_error"
    # Longer, gunicorn refuses it before the app: in the error shape all the same.
    status, headers, body = request(server, "GET", "/api/v1/claims/?q=" + "a" * 8200)
    assert status == 414
    assert headers["Content-Type"] == "application/json"
    assert orjson.loads(body)["type"] == "uri_too_long"


def test_what_gunicorn_refuses_itself_is_answered_in_the_error_shape(server):
    status, headers, body = request(
        server, "GET", "/api/v1/claims/", headers={"X-Long": "a" * 9000}
    )
    assert (status, headers["Content-Type"]) == (431, "application/json")
    assert orjson.loads(body) == {
        "type": "request_header_fields_too_large",
        "status": 431,
        "detail": "A header is longer than 8,190 bytes, or there are more than 100 of them.",
    }
    with socket.create_connection(("127.0.0.1", server), timeout=30) as sock:
        sock.sendall(b"GET /api/v1/claims/ HTTP/1.1\r\nHost: localhost\r\nBad Header: x\r\n\r\n")
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400 Bad Request")
    assert orjson.loads(body)["type"] == "bad_request"


def test_a_server_that_cannot_read_chunks_answers_411_not_a_silent_success():
    """Django's development server (wsgiref) hands the app the chunks undecoded: refused, in the
    error shape, before anything is written."""
    import threading
    from wsgiref.simple_server import WSGIRequestHandler, make_server

    from tracker.wsgi import application

    class Quiet(WSGIRequestHandler):
        def log_message(self, *args):
            pass

    port = _free_port()
    httpd = make_server("127.0.0.1", port, application, handler_class=Quiet)
    thread = threading.Thread(target=httpd.handle_request)
    thread.start()
    try:
        status, _, body = chunked(
            port, "POST", "/api/v1/outlets/", b'{"name": "x", "kind": "other"}', {}
        )
    finally:
        thread.join(timeout=30)
        httpd.server_close()
    assert status == 411
    assert orjson.loads(body)["type"] == "length_required"
    assert not Outlet.objects.exists()


def test_a_url_too_long_is_a_414_in_the_error_shape_whatever_the_server(client):
    response = client.get("/api/v1/claims/", {"q": "a" * 9000})
    assert response.status_code == 414
    assert response.json()["type"] == "uri_too_long"


def test_parallel_writes_are_each_answered_with_the_version_they_wrote(server, editor_token):
    claim = ClaimFactory(wording="The bridge opens in May.")
    start = claim.version
    headers = {**editor_token, "Content-Type": "application/json", "If-Match": "*"}

    def write(n):
        body = orjson.dumps({"wording": f"The bridge opens in May ({n}).", "change_note": "x"})
        status, answer_headers, answer = request(
            server, "PATCH", f"/api/v1/claims/{claim.pk}/", body, headers
        )
        assert status == 200, answer
        data = orjson.loads(answer)
        return n, data["version"], data["wording"], answer_headers["ETag"]

    with ThreadPoolExecutor(10) as pool:
        answers = list(pool.map(write, range(20)))
    assert sorted(version for _, version, _, _ in answers) == list(range(start + 1, start + 21))
    for n, version, wording, etag in answers:
        # Each client is told of its own write: its wording, at the version it made.
        assert wording == f"The bridge opens in May ({n}).", (n, version, wording)
        assert etag.startswith(f'"{claim.pk}-v{version}-')
    history = dict(claim.history.values_list("version", "wording"))
    for _, version, wording, _ in answers:
        assert history[version] == wording
