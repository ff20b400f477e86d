"""Django's database cache with a set() of one statement.

The API's rate limiter reads and writes a counter on every request. Django's
`DatabaseCache.set()` counts the table's rows, opens a savepoint, reads the key and
then updates or inserts it: five statements, about half of a small API read's
queries. Here a set is one `INSERT ... ON CONFLICT DO UPDATE` (PostgreSQL and
SQLite), and the table is counted (and culled when full) on every CULL_EVERY-th set
of a process instead of on each.
"""

from __future__ import annotations

import base64
import itertools
import pickle
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.db import DatabaseCache
from django.db import connections, router
from django.utils.timezone import now as tz_now

CULL_EVERY = 100


class UpsertDatabaseCache(DatabaseCache):
    def __init__(self, table: str, params: dict[str, Any]) -> None:
        super().__init__(table, params)
        self._sets = itertools.count(1)

    def set(
        self, key: str, value: Any, timeout: Any = DEFAULT_TIMEOUT, version=None
    ) -> None:
        database = router.db_for_write(self.cache_model_class)
        connection = connections[database]
        if connection.vendor not in ("postgresql", "sqlite"):
            super().set(key, value, timeout, version)
            return
        key = self.make_and_validate_key(key, version=version)
        timeout = self.get_backend_timeout(timeout)
        tz = UTC if settings.USE_TZ else None
        if timeout is None:
            expires = datetime.max.replace(tzinfo=tz)
        else:
            expires = datetime.fromtimestamp(timeout, tz=tz)
        expires = connection.ops.adapt_datetimefield_value(
            expires.replace(microsecond=0)
        )
        encoded = base64.b64encode(pickle.dumps(value, self.pickle_protocol))
        quote = connection.ops.quote_name
        table = quote(self._table)
        with connection.cursor() as cursor:
            if next(self._sets) % CULL_EVERY == 0:
                cursor.execute(f"SELECT COUNT(*) FROM {table}")
                (count,) = cursor.fetchone()
                if count > self._max_entries:
                    self._cull(database, cursor, tz_now().replace(microsecond=0), count)
            cursor.execute(
                f"INSERT INTO {table} ({quote('cache_key')}, {quote('value')}, "
                f"{quote('expires')}) VALUES (%s, %s, %s) "
                f"ON CONFLICT ({quote('cache_key')}) DO UPDATE SET "
                f"{quote('value')} = excluded.{quote('value')}, "
                f"{quote('expires')} = excluded.{quote('expires')}",
                [key, encoded.decode("latin1"), expires],
            )
