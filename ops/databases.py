"""Backup and restore of the whole database, while the app serves.

SQLite: the online backup API (a consistent copy page by page, readers and the writer go on).
PostgreSQL: pg_dump's custom format (one consistent snapshot, every table, sequences included)
and pg_restore into an empty database (a plain-SQL pg_dump restores too, through psql). A backup
is recognised by its first bytes, never by its name. Either way every row comes back as it was, timestamps to
the microsecond, history included (unlike dumpdata/loaddata, which go through JSON).
"""

import os
import sqlite3
import subprocess
from pathlib import Path

import dj_database_url


def settings_for(url: str | None):
    from django.db import connection

    if url:
        return dj_database_url.parse(url)
    return connection.settings_dict


def is_sqlite(db) -> bool:
    return db["ENGINE"].endswith("sqlite3")


def _pg(db) -> tuple[list[str], dict]:
    args = ["--dbname", str(db["NAME"]), "--no-password"]
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


def backup(db, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    if is_sqlite(db):
        source = sqlite3.connect(str(db["NAME"]))
        target = sqlite3.connect(str(partial))
        try:
            source.backup(target)
        finally:
            target.close()
            source.close()
    else:
        args, env = _pg(db)
        subprocess.run(  # noqa: S603
            ["pg_dump", "--format=custom", "--file", str(partial), *args],  # noqa: S607
            env=env,
            check=True,
        )
    partial.replace(path)  # a backup file is whole or absent, never half-written


# What a backup is, from its first bytes (a name's extension says nothing: files get renamed).
SQLITE_HEADER = b"SQLite format 3\x00"
PG_CUSTOM_HEADER = b"PGDMP"
PG_PLAIN_HEADERS = (b"--\n-- PostgreSQL database dump", b"-- PostgreSQL database dump")


def backup_kind(path: Path) -> str | None:
    """ "sqlite", "pg_custom" (pg_dump --format=custom), "pg_plain" (pg_dump's SQL) or None."""
    with path.open("rb") as file:
        head = file.read(64)
    if head.startswith(SQLITE_HEADER):
        return "sqlite"
    if head.startswith(PG_CUSTOM_HEADER):
        return "pg_custom"
    if head.lstrip(b"\xef\xbb\xbf").startswith(PG_PLAIN_HEADERS):
        return "pg_plain"
    return None


def restore(db, path: Path) -> None:
    if backup_kind(path) == "pg_plain":
        args, env = _pg(db)
        subprocess.run(  # noqa: S603
            [  # noqa: S607 (PostgreSQL's own client, from PATH)
                "psql",
                "--single-transaction",
                "--set",
                "ON_ERROR_STOP=1",
                "--quiet",
                "--file",
                str(path),
                *args,
            ],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        return
    if is_sqlite(db):
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        target = sqlite3.connect(str(db["NAME"]))
        try:
            source.backup(target)
        finally:
            target.close()
            source.close()
    else:
        args, env = _pg(db)
        subprocess.run(  # noqa: S603
            [  # noqa: S607 (PostgreSQL's own client, from PATH)
                "pg_restore",
                "--no-owner",
                "--single-transaction",
                "--exit-on-error",
                *args,
                str(path),
            ],
            env=env,
            check=True,
        )


def has_tables(db) -> bool:
    if is_sqlite(db):
        if not Path(db["NAME"]).exists():
            return False
        with sqlite3.connect(str(db["NAME"])) as conn:
            return bool(conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table'").fetchone())
    import psycopg

    with psycopg.connect(**_conninfo(db)) as conn:
        return bool(
            conn.execute(
                "SELECT 1 FROM information_schema.tables WHERE table_schema = 'public'"
            ).fetchone()
        )


def _conninfo(db) -> dict:
    info = {"dbname": db["NAME"]}
    for key, name in (
        ("HOST", "host"),
        ("PORT", "port"),
        ("USER", "user"),
        ("PASSWORD", "password"),
    ):
        if db.get(key):
            info[name] = str(db[key])
    return info
