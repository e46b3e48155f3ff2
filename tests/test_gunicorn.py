"""What holds only with several worker processes, tried as an attacker would: one gunicorn (its
own settings file, three workers) on the test database, real HTTP on loopback, requests sent in
parallel so that every worker answers some of them (issue 18).

- The documented rate limits hold to the number across workers (120 anonymous requests a minute,
  20 wrong tokens a minute from one address): the counters live in the database cache every
  worker shares (common/cache.py), each request counted by one atomic increment.
"""

import http.client
import os
import socket
import subprocess
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import orjson
import pytest
from django.conf import settings
from django.db import connection

from tests.conftest import _database_url_of

# Transactional: the server sees what a test commits, and no test transaction holds SQLite's
# write lock while the workers count.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ROOT = Path(settings.BASE_DIR)
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
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            "tracker/gunicorn.conf.py",
            "--bind",
            f"127.0.0.1:{port}",
            "tracker.wsgi",
        ],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(300):
            try:
                if request(port, "GET", "/healthz")[0] == 200:
                    break
            except OSError:
                time.sleep(0.1)
        else:
            raise AssertionError("gunicorn did not start")
        yield port
    finally:
        process.terminate()
        process.wait(timeout=30)


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
