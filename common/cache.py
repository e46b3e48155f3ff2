"""The cache every worker process of one machine shares when no Redis is configured: Django's
database cache (a table in the app's own database, made by ``manage.py prepare``), with the two
operations the rate limits count with made atomic.

Django's ``DatabaseCache.incr`` reads the value and writes it back (two statements, no lock), and
its ``add`` of a key whose row has expired updates the row without a lock: two workers counting
at once both read 7 and both write 8, which is how a limit of 20 let 85 through. Here both take
the row's lock first (``SELECT … FOR UPDATE`` on PostgreSQL; on SQLite the settings' IMMEDIATE
transactions take the database's write lock when the transaction starts), so concurrent counts
queue instead of overwriting each other. Redis (``CACHE_URL``) has atomic ``INCR`` and
``SET NX`` of its own.

The rate limits count with ``count_in_window`` (one ``INSERT … ON CONFLICT DO UPDATE … RETURNING``: the
database's own atomic add-or-increment, one round trip per request instead of four locked ones).
Its rows hold the count as plain digits, not pickled: only ``count_in_window`` reads them.
"""

import base64
import pickle
from datetime import UTC, datetime

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.db import DatabaseCache
from django.db import DatabaseError, connections, router, transaction
from django.utils import timezone


class SharedDatabaseCache(DatabaseCache):
    def __init__(self, table, params):
        # Culling by count deletes live entries (a third of them, whichever sort first): rate
        # counters must not vanish mid-window. Expired rows are deleted instead (see add).
        params = {**params, "OPTIONS": {"MAX_ENTRIES": 10**9, **params.get("OPTIONS", {})}}
        super().__init__(table, params)

    def _connection(self):
        return connections[router.db_for_write(self.cache_model_class)]

    def _locked_row(self, cursor, connection, key):
        quote = connection.ops.quote_name
        lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
        cursor.execute(
            f"SELECT {quote('value')}, {quote('expires')} FROM {quote(self._table)} "  # noqa: S608 (names quoted, values bound)
            f"WHERE {quote('cache_key')} = %s{lock}",
            [key],
        )
        row = cursor.fetchone()
        if row is None:
            return None
        value, expires = row
        if isinstance(expires, str):  # SQLite hands the text back
            expires = datetime.fromisoformat(expires)
        if timezone.is_naive(expires):
            expires = expires.replace(tzinfo=UTC)
        return value, expires

    @staticmethod
    def _encode(value) -> str:
        return base64.b64encode(pickle.dumps(value, pickle.HIGHEST_PROTOCOL)).decode("latin1")

    def _expiry(self, timeout):
        seconds = self.get_backend_timeout(timeout)
        moment = (
            datetime.max.replace(tzinfo=UTC)
            if seconds is None
            else datetime.fromtimestamp(seconds, tz=UTC)
        )
        return moment.replace(microsecond=0)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_and_validate_key(key, version=version)
        connection = self._connection()
        quote = connection.ops.quote_name
        table = quote(self._table)
        now = timezone.now().replace(microsecond=0)
        expires = connection.ops.adapt_datetimefield_value(self._expiry(timeout))
        try:
            with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
                row = self._locked_row(cursor, connection, key)
                if row is not None and row[1] >= now:
                    return False
                if row is not None:
                    cursor.execute(
                        f"UPDATE {table} SET {quote('value')} = %s, {quote('expires')} = %s "  # noqa: S608
                        f"WHERE {quote('cache_key')} = %s",
                        [self._encode(value), expires, key],
                    )
                else:
                    cursor.execute(
                        f"INSERT INTO {table} ({quote('cache_key')}, {quote('value')}, "  # noqa: S608
                        f"{quote('expires')}) VALUES (%s, %s, %s)",
                        [key, self._encode(value), expires],
                    )
                # A new entry is a new window somewhere: the rows whose time is over go.
                cursor.execute(
                    f"DELETE FROM {table} WHERE {quote('expires')} < %s",  # noqa: S608
                    [connection.ops.adapt_datetimefield_value(now)],
                )
        except DatabaseError:
            # Another worker inserted the same key first (the unique key refused this one):
            # it exists, which is what add reports.
            return False
        return True

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

    def incr(self, key, delta=1, version=None):
        key = self.make_and_validate_key(key, version=version)
        connection = self._connection()
        quote = connection.ops.quote_name
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            row = self._locked_row(cursor, connection, key)
            if row is None or row[1] < timezone.now().replace(microsecond=0):
                raise ValueError(f"Key '{key}' not found.")
            value = pickle.loads(base64.b64decode(connection.ops.process_clob(row[0]).encode()))  # noqa: S301 (our own rows)
            value += delta
            # The row keeps its expiry: a counter's window does not grow as it counts.
            cursor.execute(
                f"UPDATE {quote(self._table)} SET {quote('value')} = %s "  # noqa: S608
                f"WHERE {quote('cache_key')} = %s",
                [self._encode(value), key],
            )
        return value
