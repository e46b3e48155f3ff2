"""The shared database cache's table on PostgreSQL is UNLOGGED (common/cache.py): its counts do
not wait for the write-ahead log, and it counts the same."""

import pytest
from django.core.cache import caches
from django.db import connection

from common.cache import set_logged

pytestmark = pytest.mark.django_db


def persistence() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT relpersistence FROM pg_class WHERE relname = 'tracker_cache'")
        return cursor.fetchone()[0]


@pytest.fixture
def postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("UNLOGGED tables are PostgreSQL's; SQLite has no write-ahead log to skip")


def test_the_migrations_leave_the_counters_table_unlogged(postgresql):
    assert persistence() == "u"


def test_logged_and_unlogged_again_it_counts_the_same(postgresql):
    shared = caches["shared"]
    assert shared.count_in_window("unlogged-test", 1, 60)[0] == 1
    set_logged(connection, logged=True)
    assert persistence() == "p"
    assert shared.count_in_window("unlogged-test", 1, 60)[0] == 2
    set_logged(connection, logged=False)
    assert persistence() == "u"
    assert shared.count_in_window("unlogged-test", 1, 60)[0] == 3
