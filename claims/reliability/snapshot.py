"""A digest of every table and of the schema of a database: run it on a database and
on its restored backup, and equal digests mean every row came back.

Each table is digested as its row count and the SHA-256 of its rows (each row as
JSON, sorted, so the order the database returns them in does not matter). Left out
by default, because a restore into a freshly migrated database rightly makes them
anew: the migration log (`django_migrations`, its `applied` times), sessions, the
cache table, and SQLite FTS5's internal shadow tables (the FTS5 tables themselves,
the search index's content, are compared). The surrogate `id` of a many-to-many
link row is not compared either: nothing refers to it and `loaddata` numbers the
links afresh. `every_table=True` compares all of it, for a physical copy
(pg_dump/pg_restore).
"""

from __future__ import annotations

import datetime
import decimal
import hashlib
import json
import re
import uuid
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import connection as default_connection
from django.db.backends.base.base import BaseDatabaseWrapper

RECREATED_TABLES = {"django_migrations", "django_session"}
FTS5_SHADOW = re.compile(r"_fts_(data|idx|docsize|config|content)$")

_SQLITE_SCHEMA = [
    "SELECT type, name, tbl_name, sql FROM sqlite_master "
    "WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name"
]
_POSTGRESQL_SCHEMA = [
    "SELECT table_name, column_name, data_type, is_nullable, column_default, "
    "is_identity, generation_expression FROM information_schema.columns "
    "WHERE table_schema = current_schema() ORDER BY 1, 2",
    # Names and kinds only: a restore re-parses a CHECK, and PostgreSQL prints the
    # same condition back with its casts placed differently.
    "SELECT conrelid::regclass::text, conname, contype FROM pg_constraint "
    "WHERE connamespace = current_schema()::regnamespace ORDER BY 1, 2",
    "SELECT tablename, indexname, indexdef FROM pg_indexes "
    "WHERE schemaname = current_schema() ORDER BY 1, 2",
    "SELECT tgrelid::regclass::text, tgname, pg_get_triggerdef(oid) FROM pg_trigger "
    "WHERE NOT tgisinternal ORDER BY 1, 2",
    "SELECT proname, pg_get_functiondef(oid) FROM pg_proc "
    "WHERE pronamespace = current_schema()::regnamespace AND prokind = 'f' "
    "ORDER BY 1",
]
_TRIGGERS = {
    "sqlite": "SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name",
    "postgresql": "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal "
    "ORDER BY tgname",
}


def take_snapshot(
    connection: BaseDatabaseWrapper | None = None, *, every_table: bool = False
) -> dict[str, Any]:
    """`{"tables": {name: {"rows", "sha256"}}, "triggers": [...], "schema_sha256"}`."""
    connection = connection or default_connection
    skipped = set() if every_table else RECREATED_TABLES | _cache_tables()
    link_tables = set() if every_table else _many_to_many_tables()
    with connection.cursor() as cursor:
        virtual = _virtual_tables(connection, cursor)
        tables = {}
        for table in connection.introspection.table_names(cursor):
            if table in skipped or (not every_table and FTS5_SHADOW.search(table)):
                continue
            columns = "rowid, *" if table in virtual else "*"
            cursor.execute(f"SELECT {columns} FROM {connection.ops.quote_name(table)}")
            names = [column[0] for column in cursor.description]
            rows = cursor.fetchall()
            if table in link_tables and "id" in names:
                keep = [i for i, name in enumerate(names) if name != "id"]
                names = [names[i] for i in keep]
                rows = [[row[i] for i in keep] for row in rows]
            tables[table] = {"rows": len(rows), "sha256": _digest(names, rows)}
        cursor.execute(_TRIGGERS[connection.vendor])
        triggers = [name for (name,) in cursor.fetchall()]
        schema = []
        for query in _schema_queries(connection):
            cursor.execute(query)
            schema.append(cursor.fetchall())
    return {
        "tables": tables,
        "triggers": triggers,
        "schema_sha256": _digest(["schema"], schema),
    }


def differences(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """What differs between two snapshots, one line per table or schema part."""
    lines = []
    for table in sorted(before["tables"].keys() | after["tables"].keys()):
        old, new = before["tables"].get(table), after["tables"].get(table)
        if old != new:
            lines.append(f"{table}: {old} != {new}")
    if before["triggers"] != after["triggers"]:
        lines.append(f"triggers: {before['triggers']} != {after['triggers']}")
    if before["schema_sha256"] != after["schema_sha256"]:
        lines.append("schema: the tables, indexes or triggers differ")
    return lines


def _schema_queries(connection: BaseDatabaseWrapper) -> list[str]:
    return {"sqlite": _SQLITE_SCHEMA, "postgresql": _POSTGRESQL_SCHEMA}[
        connection.vendor
    ]


def _virtual_tables(connection: BaseDatabaseWrapper, cursor: Any) -> set[str]:
    """SQLite's FTS5 tables, whose `rowid` (the indexed row's id) `*` leaves out."""
    if connection.vendor != "sqlite":
        return set()
    cursor.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' "
        "AND sql LIKE 'CREATE VIRTUAL TABLE%'"
    )
    return {name for (name,) in cursor.fetchall()}


def _cache_tables() -> set[str]:
    return {
        cache["LOCATION"]
        for cache in settings.CACHES.values()
        if cache["BACKEND"].endswith("DatabaseCache")
    }


def _many_to_many_tables() -> set[str]:
    return {
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.auto_created
    }


def _digest(names: list[str], rows: list[Any]) -> str:
    encoded = sorted(
        json.dumps(list(row), default=_plain, ensure_ascii=False) for row in rows
    )
    digest = hashlib.sha256(json.dumps(names).encode())
    for line in encoded:
        digest.update(b"\n" + line.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def _plain(value: Any) -> Any:
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return bytes(value).hex()
    return repr(value)
