"""Writing many rows fast: PostgreSQL `COPY FROM STDIN`, `executemany` elsewhere.

Rows are written as they are, bypassing `Model.save()`: no signals, so no history
rows (django-simple-history listens to `post_save`). Database triggers still fire
(the citation integrity checks of claims.integrity, SQLite's full-text index) and
PostgreSQL computes generated columns (the search vectors) on COPY as on INSERT.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models, transaction

# Rows per COPY or executemany: large enough to amortise the round trip, small
# enough that a batch's text stays a few megabytes.
BATCH_SIZE = 5000

Progress = Callable[[int], None]


def _copy_value(value: Any) -> str:
    """A value in COPY's text format: \\N for NULL, backslash escapes."""
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, str):
        return (
            value.replace("\\", "\\\\")
            .replace("\t", "\\t")
            .replace("\n", "\\n")
            .replace("\r", "\\r")
        )
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    return str(value)


def _sql_value(value: Any) -> Any:
    """A value as SQLite (and other executemany backends) store Django's fields."""
    if isinstance(value, datetime.datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


class TableWriter:
    """Appends rows to one model's table; `columns` are attribute names
    (`actor_id`); every other concrete field gets its default."""

    def __init__(self, model: type[models.Model], columns: Sequence[str]) -> None:
        self.model = model
        self.table = model._meta.db_table
        fields = {f.attname: f for f in model._meta.concrete_fields}
        unknown = [c for c in columns if c not in fields]
        if unknown:
            raise ValueError(f"{model.__name__} has no column {', '.join(unknown)}.")
        self.columns = list(columns)
        self.defaults: list[Any] = []
        for attname, field in fields.items():
            if attname in self.columns:
                continue
            if field.has_default():
                default = field.get_default()
            elif field.null:
                default = None
            else:
                raise ValueError(
                    f"{model.__name__}.{attname} has no default: give its values."
                )
            self.columns.append(attname)
            self.defaults.append(default)
        self.db_columns = [fields[c].column for c in self.columns]

    def write(
        self, rows: Iterable[Sequence[Any]], on_progress: Progress | None = None
    ) -> int:
        """Write `rows` (values in `columns` order) in batches; returns the count."""
        written = 0
        batch: list[Sequence[Any]] = []
        for row in rows:
            batch.append(row)
            if len(batch) == BATCH_SIZE:
                written += self._flush(batch)
                batch = []
                if on_progress:
                    on_progress(written)
        if batch:
            written += self._flush(batch)
        return written

    def _flush(self, batch: list[Sequence[Any]]) -> int:
        defaults = self.defaults
        with transaction.atomic(), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                lines = [
                    "\t".join(_copy_value(v) for v in (*row, *defaults))
                    for row in batch
                ]
                data = io.StringIO("\n".join(lines) + "\n")
                columns = ", ".join(f'"{c}"' for c in self.db_columns)
                cursor.cursor.copy_expert(
                    f'COPY "{self.table}" ({columns}) FROM STDIN', data, size=1 << 20
                )
            else:
                quoted = ", ".join(
                    connection.ops.quote_name(c) for c in self.db_columns
                )
                marks = ", ".join(["%s"] * len(self.db_columns))
                cursor.executemany(
                    f"INSERT INTO {connection.ops.quote_name(self.table)} "
                    f"({quoted}) VALUES ({marks})",
                    [[_sql_value(v) for v in (*row, *defaults)] for row in batch],
                )
        return len(batch)


def next_id(model: type[models.Model]) -> int:
    """The first free primary key: generated rows carry their ids, so that rows
    written later can refer to them without reading them back."""
    last = model.objects.aggregate(last=models.Max("pk"))["last"]
    return (last or 0) + 1


def reset_sequences(model_list: Sequence[type[models.Model]]) -> None:
    """Move the id sequences past the ids written (PostgreSQL; SQLite moves its own)."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(model_list))
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def analyze(model_list: Sequence[type[models.Model]]) -> None:
    """Refresh the planner's statistics after a bulk load; on PostgreSQL outside a
    transaction, VACUUM too, which marks the pages all-visible so index-only scans
    (counts) need not read the table (autovacuum would, some time later)."""
    vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
    with connection.cursor() as cursor:
        for model in model_list:
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(
                f"VACUUM (ANALYZE) {table}" if vacuum else f"ANALYZE {table}"
            )
