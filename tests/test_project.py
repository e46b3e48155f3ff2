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


@pytest.mark.django_db
def test_first_admin_password_can_be_handed_to_the_server_in_a_private_file(tmp_path, capsys):
    handed = tmp_path / "first-admin-password"
    call_command("create_first_admin", password_file=handed)

    assert "password:" not in capsys.readouterr().out
    assert oct(handed.stat().st_mode & 0o777) == "0o600"
    username, password = handed.read_text().split("\n")[:2]
    assert get_user_model().objects.get(username=username).check_password(password)


def test_the_supervisor_shows_the_password_once_then_deletes_it(tmp_path, capsys):
    from ops.serve import announce

    handed = tmp_path / "first-admin-password"
    handed.write_text("admin\ns3cret-once\n")
    announce("http://127.0.0.1:8000", handed)
    shown = capsys.readouterr().out
    assert shown.rstrip().endswith("password: s3cret-once")
    assert not handed.exists()

    announce("http://127.0.0.1:8000", handed)
    assert "s3cret-once" not in capsys.readouterr().out


def test_static_files_are_collected_again_only_when_a_source_changed(tmp_path, settings):
    from ops.management.commands.prepare import static_sources_fingerprint

    source = tmp_path / "static"
    (source / "css").mkdir(parents=True)
    sheet = source / "css" / "extra.css"
    sheet.write_text("body { color: black; }")
    settings.STATICFILES_DIRS = [*settings.STATICFILES_DIRS, str(source)]
    before = static_sources_fingerprint()
    assert static_sources_fingerprint() == before

    sheet.write_text("body { color: navy; }")
    assert static_sources_fingerprint() != before


def _imported_packages(package: str) -> dict[str, set[str]]:
    """The top-level packages each module of ``package`` imports, from its source."""
    import ast
    from pathlib import Path

    found = {}
    for path in (Path(settings.BASE_DIR) / package).rglob("*.py"):
        names = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
        found[str(path.relative_to(settings.BASE_DIR))] = names
    return found


def _project_apps() -> set[str]:
    from pathlib import Path

    return {path.parent.name for path in Path(settings.BASE_DIR).glob("*/apps.py")} | {"tracker"}


@pytest.mark.parametrize(
    ("package", "forbidden"),
    [
        ("common", "every app"),  # web plumbing every app uses
        ("sources", "every other app"),  # outlets and sources: claims builds on them
        # The article page shows the suggestions through a template tag of theirs.
        ("claims", {"suggestions"}),
    ],
)
def test_shared_code_imports_no_app_that_builds_on_it(package, forbidden):
    if isinstance(forbidden, str):
        forbidden = _project_apps() - ({package} if forbidden == "every other app" else set())
    wrong = {
        module: sorted(names & forbidden)
        for module, names in _imported_packages(package).items()
        if names & forbidden
    }
    assert wrong == {}
