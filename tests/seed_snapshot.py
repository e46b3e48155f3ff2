"""The seed, loaded once per test session and copied into each test that asks for it.

Loading the seed goes through the services (every claim's states, reviews and history), which
costs far more than the tests that read it. So the real loader runs once per session (per xdist
worker) inside a transaction that is rolled back; every row it wrote, history included, is kept in
memory and inserted again, as it was, into each test's own database. What the tests see is exactly
what ``load_seed`` wrote, because it is what ``load_seed`` wrote; ``tests/claims/test_seed.py``
still runs the loader itself where the loading is what is tested.
"""

import io

from django.apps import apps
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction

# The seed's rows get ids from here up, far above anything a test makes itself, so a test can make
# users or articles before or after asking for the seed without two rows meeting on one id.
FIRST_ID = 1_000_000_000


def _tables():
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    ]


def _rows(model):
    return {row[model._meta.pk.attname]: row for row in model._base_manager.values()}


def take() -> dict:
    """Run ``load_seed`` and return the rows it added, table by table; leave the database as it
    was. Refuses a seed that changes rows it did not add: those could not be copied this way."""
    models = _tables()
    before = {model: _rows(model) for model in models}
    snapshot = {}
    with transaction.atomic():
        _start_ids_at(FIRST_ID, models)
        call_command("load_seed", stdout=io.StringIO())
        for model in models:
            after = _rows(model)
            changed = [pk for pk, row in before[model].items() if after.get(pk) != row]
            assert not changed, f"the seed changed existing {model.__name__} rows {changed}"
            added = [row for pk, row in sorted(after.items()) if pk not in before[model]]
            if added:
                snapshot[model] = added
        transaction.set_rollback(True)
    # SQLite's counters rolled back with the transaction; PostgreSQL's sequences do not roll back.
    _reset_sequences(models)
    return snapshot


def _autoincrement(models):
    return [
        model
        for model in models
        if model._meta.pk.get_internal_type() in {"AutoField", "BigAutoField", "SmallAutoField"}
    ]


def _start_ids_at(first: int, models) -> None:
    with connection.cursor() as cursor:
        for model in _autoincrement(models):
            table, column = model._meta.db_table, model._meta.pk.column
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT setval(pg_get_serial_sequence(%s, %s), %s)", [table, column, first]
                )
            else:
                cursor.execute("DELETE FROM sqlite_sequence WHERE name = %s", [table])
                cursor.execute(
                    "INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [table, first]
                )


def _reset_sequences(models) -> None:
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def restore(snapshot: dict) -> None:
    """Insert the snapshot's rows as they were (primary keys included). Foreign keys are checked
    at commit on both databases, so the order of the tables does not matter. The sequences are
    left where they are: rows the test makes next take ids below the seed's (PostgreSQL), or
    after them (SQLite's AUTOINCREMENT follows the largest id), never one of them."""
    from django.contrib.auth.models import Group, User

    # The seed's author joins the role groups the migrations made. A transactional test's flush
    # removes those groups (unless it restores them); then the rows cannot be copied as they
    # are, and the real loader runs instead, as it would on such a database.
    memberships = snapshot.get(User.groups.through, [])
    groups = {row["group_id"] for row in memberships}
    if Group.objects.filter(pk__in=groups).count() != len(groups):
        call_command("load_seed", stdout=io.StringIO())
        return
    with transaction.atomic():
        for model, rows in snapshot.items():
            model._base_manager.bulk_create([model(**row) for row in rows])
