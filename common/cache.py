"""The cache every worker process of one machine shares when no Redis is configured: Django's
database cache (a table in the app's own database, made by ``manage.py prepare``), with the one
operation the rate limits count with made atomic.

Django's ``DatabaseCache.incr`` reads the value and writes it back (two statements, no lock), and
its ``add`` of a key whose row has expired updates the row without a lock: two workers counting
at once both read 7 and both write 8, which is how a limit of 20 let 85 through. The rate limits
count with ``count_in_window`` instead (one ``INSERT … ON CONFLICT DO UPDATE … RETURNING``: the
database's own atomic add-or-increment, one round trip per request), and never call ``add`` or
``incr`` on this cache (common/api/throttles.py ``WindowCounter``; Redis, ``CACHE_URL``, has
atomic ``INCR`` and ``SET NX`` of its own). Its rows hold the count as plain digits, not
pickled: only ``count_in_window`` reads them.

On PostgreSQL its table is UNLOGGED (``set_logged``): a count is then written without waiting
for the write-ahead log to reach the disk, a quarter of the time (4.3 -> 1.0 ms a count on this
machine), and every anonymous API request counts once. What an unlogged table gives up is what a
cache never needed: it is emptied after a crash (the windows start again) and is not copied to a
standby.
"""

from datetime import UTC, datetime

from django.conf import settings
from django.core.cache.backends.db import DatabaseCache
from django.db import connections, router
from django.utils import timezone
from django.utils.module_loading import import_string


class SharedDatabaseCache(DatabaseCache):
    def __init__(self, table, params):
        # Culling by count deletes live entries (a third of them, whichever sort first): rate
        # counters must not vanish mid-window. Expired rows are deleted instead
        # (count_in_window).
        params = {**params, "OPTIONS": {"MAX_ENTRIES": 10**9, **params.get("OPTIONS", {})}}
        super().__init__(table, params)

    def _connection(self):
        return connections[router.db_for_write(self.cache_model_class)]

    def _expiry(self, timeout):
        seconds = self.get_backend_timeout(timeout)
        moment = (
            datetime.max.replace(tzinfo=UTC)
            if seconds is None
            else datetime.fromtimestamp(seconds, tz=UTC)
        )
        return moment.replace(microsecond=0)

    def count_in_window(self, key, delta: int, duration: int, version=None):
        """Adds ``delta`` to the count of the window ``key`` and returns (count, end). A window
        starts at its first count (at ``delta``) and ends ``duration`` seconds later; a count
        after its end starts the next. One statement: PostgreSQL locks the row for the update,
        SQLite (3.35+, for RETURNING) writes one statement at a time, so concurrent counts
        queue and none is lost."""
        key = self.make_and_validate_key(key, version=version)
        connection = self._connection()
        quote = connection.ops.quote_name
        table = quote(self._table)
        value, expires = quote("value"), quote("expires")
        adapt = connection.ops.adapt_datetimefield_value
        now = timezone.now().replace(microsecond=0)
        ended = f"{table}.{expires} < %s"
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} ({quote('cache_key')}, {value}, {expires}) "  # noqa: S608 (names quoted, values bound)
                f"VALUES (%s, %s, %s) ON CONFLICT ({quote('cache_key')}) DO UPDATE SET "
                f"{value} = CASE WHEN {ended} THEN excluded.{value} "
                f"ELSE CAST(CAST({table}.{value} AS BIGINT) + %s AS TEXT) END, "
                f"{expires} = CASE WHEN {ended} THEN excluded.{expires} ELSE {table}.{expires} END "
                f"RETURNING {value}, {expires}",
                [key, str(delta), adapt(self._expiry(duration)), adapt(now), delta, adapt(now)],
            )
            counted, end = cursor.fetchone()
            counted = int(counted)
            if counted == delta:
                # A new window somewhere: the rows whose time is over go.
                cursor.execute(f"DELETE FROM {table} WHERE {expires} < %s", [adapt(now)])  # noqa: S608
        if isinstance(end, str):  # SQLite hands the text back
            end = datetime.fromisoformat(end)
        if timezone.is_naive(end):
            end = end.replace(tzinfo=UTC)
        return counted, end.timestamp()


def set_logged(connection, *, logged: bool) -> None:
    """The tables of the shared database caches on ``connection`` become LOGGED or UNLOGGED
    (PostgreSQL; nothing elsewhere, and nothing for a table not made yet or already so). Unlogged
    by ops' migration 0002 and by ``manage.py prepare`` after createcachetable."""
    if connection.vendor != "postgresql":
        return
    tables = [
        params["LOCATION"]
        for params in settings.CACHES.values()
        if issubclass(import_string(params["BACKEND"]), SharedDatabaseCache)
    ]
    wanted = "p" if logged else "u"
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(
                "SELECT relpersistence FROM pg_class WHERE oid = to_regclass(%s)", [table]
            )
            found = cursor.fetchone()
            if found is not None and found[0] != wanted:
                persistence = "LOGGED" if logged else "UNLOGGED"
                cursor.execute(f"ALTER TABLE {connection.ops.quote_name(table)} SET {persistence}")
