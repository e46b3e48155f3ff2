"""Personas and shared fixtures.

Every permission test uses these people: an admin (superuser), a fact-checker and an editor
(staff, in their groups, as the data migration made them), and an outsider (signed in, no staff
access). Anonymous visitors are simply an unauthenticated client.
"""

import contextlib
import subprocess
import sys

import pytest

from . import seed_snapshot
from .factories import UserFactory, desk_user


def pytest_configure(config):
    # The production hasher (PBKDF2, hundreds of thousands of rounds) made up much of the suite's
    # time; tests check who may sign in, not how hard a hash is to break.
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Pages render with plain static names, straight from the finders: no collectstatic before a
    # test run. CI serves the collected, hashed files over HTTP with the production server.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.WHITENOISE_USE_FINDERS = True
    # The suite's own process counts its rate limits in memory: the query counts pinned in the
    # tests are the app's queries, not the counters'. The servers the tests start (gunicorn, with
    # several workers) count in the database cache, as make run does; listing it here makes the
    # test database hold its table (the test database's creation runs createcachetable).
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "shared": {"BACKEND": "common.cache.SharedDatabaseCache", "LOCATION": "tracker_cache"},
    }


@pytest.fixture(scope="session", autouse=True)
def seed_rows(django_db_setup, django_db_blocker):
    """Every row ``load_seed`` writes, taken once per session (see tests/seed_snapshot.py).

    Taken first thing in the session (autouse), while the database still holds what the
    migrations made: a transactional test's flush would otherwise take the role groups, and with
    them the seed account's permission to write through the services."""
    with django_db_blocker.unblock():
        return seed_snapshot.take()


@pytest.fixture
def load_seed_copy(seed_rows):
    """``load_seed_copy()``: the seed in this test's database, as ``load_seed`` writes it."""
    return lambda: seed_snapshot.restore(seed_rows)


@pytest.fixture
def admin_user(db):
    return UserFactory(username="admin", is_staff=True, is_superuser=True)


@pytest.fixture
def fact_checker(db):
    return desk_user("fiona.factchecker", "Fact-checkers", staff=True)


@pytest.fixture
def editor(db):
    return desk_user("eddie.editor", "Editors", staff=True)


@pytest.fixture
def outsider(db):
    return desk_user("oscar.outsider", None, staff=False)


@pytest.fixture
def client_for(client):
    """``client_for(user)``: the test client signed in as that user."""

    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Throttle counters live in the cache, answers kept for the public in the process's memory
    (claims.public.memory): every test starts with none."""
    from django.core.cache import cache

    from claims.public.memory import SERVED

    cache.clear()
    SERVED.clear()
    yield
    cache.clear()
    SERVED.clear()


@pytest.fixture
def api():
    """An anonymous API client; ``api_as(user)`` gives one that sends the user's token."""
    from rest_framework.test import APIClient

    return APIClient()


@pytest.fixture
def api_as():
    from rest_framework.test import APIClient

    from accounts.models import ApiToken

    def with_token(user):
        _, key = ApiToken.objects.create_key(user=user, name="test client")
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        return client

    return with_token


def _database_url_of(settings_dict) -> str:
    """The test database as a DATABASE_URL, for a process started by a test."""
    if settings_dict["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{settings_dict['NAME']}"
    user = settings_dict.get("USER") or ""
    password = f":{settings_dict['PASSWORD']}" if settings_dict.get("PASSWORD") else ""
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or "5432"
    return f"postgres://{user}{password}@{host}:{port}/{settings_dict['NAME']}"


@contextlib.contextmanager
def gunicorn(port: int, environment: dict, *options: str):
    """gunicorn serving tracker.wsgi on 127.0.0.1:``port`` with these settings (the whole
    environment) and command-line options, its output dropped; ended when the block ends. The
    caller waits until it answers."""
    from django.conf import settings

    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", *options, "--bind", f"127.0.0.1:{port}", "tracker.wsgi"],
        cwd=settings.BASE_DIR,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield process
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.fixture
def run_task_worker(django_db_serialized_rollback, transactional_db):
    """``run_task_worker()``: run the background worker as ``make run`` does (a process of its
    own, ``manage.py db_worker``), against this test's database, until no task is left
    (``--batch``). Returns its output. The test's writes must be committed for the worker to see
    them: this fixture makes the test transactional, with the serialized rollback every
    transactional test here uses (the tables are emptied when it ends; this restores what the
    migrations made, such as the role groups, for the tests after it)."""
    import os
    import subprocess
    import sys

    from django.conf import settings
    from django.db import connection

    def run(*, timeout: float = 60.0, env: dict[str, str] | None = None) -> str:
        """``env``: more settings for the worker (``EMAIL_HOST`` …)."""
        env = {
            **os.environ,
            "DATABASE_URL": _database_url_of(connection.settings_dict),
            "DEBUG": "0",
            # The app's own key, as in production (the worker signs what the app checks, such as
            # an invitation's set-password link).
            "SECRET_KEY": settings.SECRET_KEY,
            **(env or {}),
        }
        done = subprocess.run(
            [sys.executable, "manage.py", "db_worker", "--batch", "--queue-name", "*"],
            cwd=settings.BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout + done.stderr

    return run


@pytest.fixture
def local_site(settings, monkeypatch):
    """A real HTTP server on 127.0.0.1 (tests/local_site.py) that the fetcher may reach: the
    test-only setting ``FETCH_ALLOW_LOCAL_TEST_SERVER`` and the server's port are on, here and,
    through the environment, in a worker process a test starts (``run_task_worker``)."""
    from .local_site import LocalSite

    site = LocalSite("127.0.0.1").start()
    ports = (80, 443, site.port)
    settings.FETCH_ALLOW_LOCAL_TEST_SERVER = True
    settings.FETCH_ALLOWED_PORTS = ports
    monkeypatch.setenv("FETCH_ALLOW_LOCAL_TEST_SERVER", "1")
    monkeypatch.setenv("FETCH_ALLOWED_PORTS", ",".join(map(str, ports)))
    yield site
    site.stop()
