"""`manage.py backup` then `manage.py restore` into an empty database gives back every row of
every table, history included, timestamps to the microsecond."""

import re
import sqlite3
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from accounts.models import ApiToken

# Committed rows (pg_dump and SQLite's backup see only those); serialized_rollback brings back the
# role groups the migrations made, which an earlier transactional test's flush removed.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _sqlite_rows(path):
    with sqlite3.connect(path) as conn:
        tables = [
            name
            for (name,) in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        return {
            t: sorted(conn.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr)  # noqa: S608
            for t in tables
        }


def _pg_rows(conninfo):
    import psycopg

    with psycopg.connect(**conninfo) as conn:
        tables = [
            name
            for (name,) in conn.execute(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = 'public' ORDER BY table_name"
            )
        ]
        return {
            t: sorted(conn.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr)  # noqa: S608
            for t in tables
        }


def _has_microseconds(value) -> bool:
    if hasattr(value, "microsecond"):
        return value.microsecond != 0
    return (
        isinstance(value, str)
        and re.fullmatch(r"20\d\d-\d\d-\d\d.*\.\d*[1-9]\d*", value) is not None
    )


def _conninfo(db):
    return {
        "dbname": db["NAME"],
        "host": db["HOST"] or "127.0.0.1",
        "port": str(db["PORT"] or 5432),
        "user": db["USER"] or "postgres",
    }


@pytest.fixture
def empty_database(tmp_path):
    """A DATABASE_URL of an empty database of the same kind, and how to read its rows."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        target = tmp_path / "restored.sqlite3"
        yield f"sqlite:///{target}", lambda: _sqlite_rows(target)
        return
    import psycopg

    name = f"{db['NAME']}_restored"
    admin = {**_conninfo(db), "dbname": "postgres"}
    with psycopg.connect(**admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    info = {**_conninfo(db), "dbname": name}
    url = f"postgres://{info['user']}@{info['host']}:{info['port']}/{name}"
    yield url, lambda: _pg_rows(info)
    with psycopg.connect(**admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _live_rows():
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return _sqlite_rows(db["NAME"])
    return _pg_rows(_conninfo(db))


def test_a_backup_restores_every_row_to_the_microsecond(
    load_seed_copy, fact_checker, tmp_path, empty_database, capsys
):
    load_seed_copy()  # claims, evidence, states, reviews and their history, committed
    ApiToken.objects.create_key(user=fact_checker, name="kept")
    into, restored_rows = empty_database
    suffix = "sqlite3" if connection.vendor == "sqlite" else "dump"
    backup = tmp_path / f"claimtracker.{suffix}"

    call_command("backup", str(backup))
    assert capsys.readouterr().out.strip() == str(backup)
    call_command("restore", str(backup), "--into", into)

    live, restored = _live_rows(), restored_rows()
    assert live.keys() == restored.keys()
    for table, rows in live.items():
        assert restored[table] == rows, table
    # Not a vacuous equality: the history is there, and timestamps carry microseconds.
    assert len(live["claims_reviewevent"]) >= 10
    assert len(live["sources_historicalsource"]) >= 1
    assert any(_has_microseconds(value) for row in live["claims_reviewevent"] for value in row)


def test_restore_refuses_a_database_that_has_tables(tmp_path):
    suffix = "sqlite3" if connection.vendor == "sqlite" else "dump"
    backup = tmp_path / f"claimtracker.{suffix}"
    call_command("backup", str(backup))
    with pytest.raises(CommandError, match="already has tables"):
        call_command("restore", str(backup))
    assert Path(backup).stat().st_size > 0


def test_a_backup_is_recognised_by_its_content_not_its_name(tmp_path, empty_database):
    into, restored_rows = empty_database
    backup = tmp_path / "claimtracker-monday.bak"  # no telling extension
    call_command("backup", str(backup))
    call_command("restore", str(backup), "--into", into)
    assert restored_rows().keys() == _live_rows().keys()


def test_a_file_that_is_no_backup_is_refused_by_its_content(tmp_path, empty_database):
    into, _ = empty_database
    impostor = tmp_path / "claimtracker.sqlite3"
    impostor.write_text("not a database")
    with pytest.raises(CommandError, match="not a backup this command reads"):
        call_command("restore", str(impostor), "--into", into)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump's plain SQL: PostgreSQL")
def test_a_plain_sql_pg_dump_restores(tmp_path, empty_database):
    import subprocess

    into, restored_rows = empty_database
    db = connection.settings_dict
    plain = tmp_path / "claimtracker.sql"
    info = _conninfo(db)
    dump = ["pg_dump", "--no-owner", "--file", str(plain), "--dbname", info["dbname"],
            "--host", info["host"], "--port", info["port"], "--username", info["user"]]  # fmt: skip
    subprocess.run(dump, check=True)  # PostgreSQL's own client, from PATH
    call_command("restore", str(plain), "--into", into)
    assert restored_rows().keys() == _live_rows().keys()
