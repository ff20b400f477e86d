"""Search backends, one per database vendor, behind claims.search.

The DDL each native backend needs (PostgreSQL generated tsvector columns and GIN
indexes, SQLite FTS5 tables and triggers) lives in its module; the migration
claims/0004_search_index and the tests both install it through the functions here.
"""

from __future__ import annotations

from django.db.backends.base.base import BaseDatabaseWrapper

from . import postgres, sqlite


def install_search_index(connection: BaseDatabaseWrapper) -> None:
    """Create the full-text index for `connection`'s vendor; idempotent."""
    if connection.vendor == "postgresql":
        postgres.install(connection)
    elif connection.vendor == "sqlite":
        sqlite.install(connection)
    # Other vendors get the fallback backend, which needs no index.


def uninstall_search_index(connection: BaseDatabaseWrapper) -> None:
    if connection.vendor == "postgresql":
        postgres.uninstall(connection)
    elif connection.vendor == "sqlite":
        sqlite.uninstall(connection)
