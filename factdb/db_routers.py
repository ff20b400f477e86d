"""Reads from PostgreSQL read replicas, writes to the primary.

With `DATABASE_REPLICA_URLS` set, the settings add one database alias per replica
(`replica_1`, `replica_2`, ...) and this router sends reads there. A read must see
the writes made before it, so reads stay on the primary:
- inside a transaction on the primary (a service reading back what it wrote);
- for the whole of a request that may write (POST, PUT, PATCH, DELETE) and for the
  admin, whose pages read back what an editor just saved
  (PrimaryForWritersMiddleware).
Replication lag can still show a reader an older version of a record for a moment;
a change based on it is refused by the version check (If-Match, 412), never lost.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import HttpRequest, HttpResponse

_on_primary: ContextVar[bool] = ContextVar("factdb_reads_on_primary", default=False)

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Counters that must be exact, read and written on every request: the rate limits
# (the database cache) and the login attempts (django-axes).
PRIMARY_ONLY_APPS = frozenset({"django_cache", "axes"})


def replica_aliases() -> list[str]:
    return [alias for alias in settings.DATABASES if alias.startswith("replica_")]


@contextmanager
def reads_on_primary():
    """Send every read in the block to the primary."""
    token = _on_primary.set(True)
    try:
        yield
    finally:
        _on_primary.reset(token)


class PrimaryReplicaRouter:
    def db_for_read(self, model, **hints) -> str:
        replicas = replica_aliases()
        if (
            not replicas
            or model._meta.app_label in PRIMARY_ONLY_APPS
            or _on_primary.get()
            or connections[DEFAULT_DB_ALIAS].in_atomic_block
        ):
            return DEFAULT_DB_ALIAS
        return random.choice(replicas)

    def db_for_write(self, model, **hints) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        # Every alias holds the same data.
        return True

    def allow_migrate(self, db: str, app_label: str, **hints) -> bool:
        # Replicas receive the primary's schema by replication.
        return db == DEFAULT_DB_ALIAS


class PrimaryForWritersMiddleware:
    """Keeps a request that may write, and every admin page, on the primary."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.admin_prefix = "/admin/"

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in SAFE_METHODS or request.path.startswith(
            self.admin_prefix
        ):
            with reads_on_primary():
                return self.get_response(request)
        return self.get_response(request)
