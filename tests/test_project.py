"""Settings that fail loudly, the SQLite set-up, the health check and the first admin account."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.urls import reverse


def run_settings(**env):
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    return subprocess.run(
        [sys.executable, "-c", "import tracker.settings"],
        env={**clean, **env},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
    )


def test_without_debug_a_missing_secret_key_stops_start_up_with_a_sentence():
    result = run_settings(DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY is not set. Set the SECRET_KEY environment variable" in result.stderr


def test_debug_alone_starts_with_a_development_key():
    assert run_settings(DEBUG="1").returncode == 0


def test_a_nonsense_debug_value_is_refused():
    result = run_settings(DEBUG="maybe", SECRET_KEY="x")
    assert "DEBUG must be one of" in result.stderr


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite set-up only")
def test_sqlite_uses_wal_and_immediate_transactions():
    options = settings.DATABASES["default"]["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] >= 5
    assert "journal_mode=WAL" in options["init_command"]


@pytest.mark.django_db
def test_healthz_reports_the_database(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": connection.vendor}


@pytest.mark.django_db
def test_first_admin_is_created_once_with_a_printed_password(capsys):
    call_command("create_first_admin")
    printed = capsys.readouterr().out
    password = printed.split("password: ")[1].strip()
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser
    assert admin.check_password(password)

    call_command("create_first_admin")
    again = capsys.readouterr().out
    assert "already exists" in again
    assert password not in again
    assert get_user_model().objects.count() == 1
