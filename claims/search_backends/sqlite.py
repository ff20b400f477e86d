"""SQLite FTS5: one full-text table per searchable table, kept in sync by triggers.

Each `<table>_fts` holds its own copy of the indexed columns under the row's id
(`rowid`), so a trigger removes a row by id alone and the index cannot be corrupted by
a write that happened before the triggers existed. AFTER INSERT/UPDATE/DELETE triggers
on the base table keep it in sync whatever writes the rows (the ORM, loaddata,
`QuerySet.update()`, raw SQL). The `porter` tokenizer stems English ("denied" and
"denies" both index as "deni"). Ranking is bm25() with per-column weights.
"""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Sequence

from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import BooleanField, FloatField, QuerySet

from .base import RowSQL, SearchBackend
from .query import START_MARK, STOP_MARK, ParsedQuery, Term, marked_to_html

TOKENIZER = "porter unicode61 remove_diacritics 2"

# table: its indexed columns and their bm25 weights (title-like 10, body 4, other 2).
TABLES: dict[str, dict[str, float]] = {
    "claims_claim": {"slug": 4.0, "text": 10.0, "description": 4.0},
    "claims_source": {"title": 10.0, "text": 4.0},
    "claims_actor": {"name": 10.0, "description": 2.0},
    "claims_actoralias": {"name": 10.0},
    "claims_statement": {"summary": 10.0, "context": 2.0},
    "claims_citation": {"quote": 4.0},
}

# kind: (its table, (table of the related rows it also matches through, their FK)).
KINDS: dict[str, tuple[str, tuple[str, str] | None]] = {
    "claim": ("claims_claim", None),
    "source": ("claims_source", None),
    "statement": ("claims_statement", ("claims_citation", "statement_id")),
    "actor": ("claims_actor", ("claims_actoralias", "actor_id")),
}

TRIGGER_EVENTS = ("insert", "update", "delete")

SNIPPET_TOKENS = 30
ELLIPSIS = "…"


@functools.cache
def fts5_available() -> bool:
    """Whether the SQLite library (Python's and so Django's) has FTS5 compiled in."""
    connection = sqlite3.connect(":memory:")
    try:
        connection.execute("CREATE VIRTUAL TABLE probe USING fts5(text)")
    except sqlite3.OperationalError:
        return False
    finally:
        connection.close()
    return True


def fts_table(table: str) -> str:
    return f"{table}_fts"


def _without_markers(column: str) -> str:
    """The column without the private-use characters snippets use as markers."""
    return f"replace(replace({column}, char(57344), ''), char(57345), '')"


def _install_statements() -> list[str]:
    statements = []
    for table, weights in TABLES.items():
        fts = fts_table(table)
        columns = ", ".join(f'"{column}"' for column in weights)
        new_values = ", ".join(
            _without_markers(f'NEW."{column}"') for column in weights
        )
        old_values = ", ".join(_without_markers(f'"{column}"') for column in weights)
        statements += [
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {fts} USING fts5({columns}, "
            f"tokenize = '{TOKENIZER}')",
            f"""
            CREATE TRIGGER IF NOT EXISTS {fts}_insert AFTER INSERT ON {table}
            BEGIN
                INSERT INTO {fts}(rowid, {columns}) VALUES (NEW.id, {new_values});
            END
            """,
            f"""
            CREATE TRIGGER IF NOT EXISTS {fts}_update
            AFTER UPDATE OF id, {columns} ON {table}
            BEGIN
                DELETE FROM {fts} WHERE rowid = OLD.id;
                INSERT INTO {fts}(rowid, {columns}) VALUES (NEW.id, {new_values});
            END
            """,
            f"""
            CREATE TRIGGER IF NOT EXISTS {fts}_delete AFTER DELETE ON {table}
            BEGIN
                DELETE FROM {fts} WHERE rowid = OLD.id;
            END
            """,
            # Index the rows already there (a database migrated with its data).
            f"DELETE FROM {fts}",
            f"INSERT INTO {fts}(rowid, {columns}) SELECT id, {old_values} FROM {table}",
        ]
    return statements


def _uninstall_statements() -> list[str]:
    statements = []
    for table in TABLES:
        fts = fts_table(table)
        statements += [
            *(f"DROP TRIGGER IF EXISTS {fts}_{event}" for event in TRIGGER_EVENTS),
            f"DROP TABLE IF EXISTS {fts}",
        ]
    return statements


def install(connection: BaseDatabaseWrapper) -> None:
    """Create the FTS5 tables and triggers and index existing rows (idempotent)."""
    if not fts5_available():
        # claims.search then uses the plain fallback backend.
        return
    with connection.cursor() as cursor:
        for statement in _install_statements():
            cursor.execute(statement)


def uninstall(connection: BaseDatabaseWrapper) -> None:
    with connection.cursor() as cursor:
        for statement in _uninstall_statements():
            cursor.execute(statement)


def match_expression(query: ParsedQuery) -> str:
    """The FTS5 MATCH string: every term a quoted string, so nothing the user typed
    (NEAR, *, ^, column:, parentheses) is FTS5 syntax."""
    expression = " AND ".join(
        "(" + " OR ".join(_quoted(term) for term in group) + ")"
        for group in query.groups
    )
    for term in query.excluded:
        expression = f"({expression}) NOT {_quoted(term)}"
    return expression


def _quoted(term: Term) -> str:
    return '"' + term.text.replace('"', '""') + '"'


def _bm25(table: str) -> str:
    fts = fts_table(table)
    weights = ", ".join(str(weight) for weight in TABLES[table].values())
    return f"bm25({fts}, {weights})"


def _related_join(related: tuple[str, str]) -> tuple[str, str]:
    """FROM clause over a related table's matches (the FTS table first: its auxiliary
    functions only work when it drives the join) and the FK column."""
    related_table, fk = related
    fts = fts_table(related_table)
    return (
        f"{fts} CROSS JOIN {related_table} fts_r ON fts_r.id = {fts}.rowid "
        f"WHERE {fts} MATCH %s",
        f"fts_r.{fk}",
    )


class SQLiteBackend(SearchBackend):
    name = "sqlite"

    def search(
        self,
        queryset: QuerySet,
        kind: str,
        query: ParsedQuery,
        *,
        candidates: int | None = None,
    ) -> QuerySet:
        table, related = KINDS[kind]
        fts = fts_table(table)
        expression = match_expression(query)
        match = f"{{pk}} IN (SELECT rowid FROM {fts} WHERE {fts} MATCH %s)"
        own = f"SELECT rowid AS id FROM {fts} WHERE {fts} MATCH %s"
        # bm25() is lower for better matches; it cannot be aggregated, hence
        # ORDER BY ... LIMIT 1 for the best related row.
        rank = (
            f"SELECT -{_bm25(table)} FROM {fts} "
            f"WHERE {fts} MATCH %s AND {fts}.rowid = {{pk}}"
        )
        if related:
            join, fk = _related_join(related)
            match += f" OR {{pk}} IN (SELECT {fk} FROM {join})"
            own += f" UNION SELECT {fk} FROM {join}"
            rank = (
                f"max(coalesce(({rank}), 0.0), coalesce((SELECT "
                f"-{_bm25(related[0])} FROM {join} AND {fk} = {{pk}} "
                "ORDER BY 1 DESC LIMIT 1), 0.0))"
            )
        if candidates is not None:
            match = (
                f"{{pk}} IN (SELECT fts_m.id FROM ({own}) fts_m "
                f"ORDER BY fts_m.id DESC LIMIT {int(candidates)})"
            )
        params = [expression] * match.count("%s")
        return queryset.filter(RowSQL(match, params, BooleanField())).annotate(
            search_rank=RowSQL(rank, [expression] * rank.count("%s"), FloatField())
        )

    def snippets(
        self, kind: str, ids: Sequence[int], query: ParsedQuery, *, using: str
    ) -> dict[int, str]:
        if not ids:
            return {}
        table, related = KINDS[kind]
        fts = fts_table(table)
        expression = match_expression(query)
        in_ids = ", ".join(["%s"] * len(ids))
        markers = [START_MARK, STOP_MARK, ELLIPSIS]
        snippets: dict[int, str] = {}
        with connections[using].cursor() as cursor:
            cursor.execute(
                f"SELECT rowid, snippet({fts}, -1, %s, %s, %s, {SNIPPET_TOKENS}) "
                f"FROM {fts} WHERE {fts} MATCH %s AND rowid IN ({in_ids})",
                [*markers, expression, *ids],
            )
            snippets.update(cursor.fetchall())
            missing = [pk for pk in ids if pk not in snippets]
            if related and missing:
                # Matched through a related row only: the best one's snippet.
                join, fk = _related_join(related)
                rfts = fts_table(related[0])
                cursor.execute(
                    f"SELECT {fk}, snippet({rfts}, 0, %s, %s, %s, {SNIPPET_TOKENS}) "
                    f"FROM {join} AND {fk} IN ({', '.join(['%s'] * len(missing))}) "
                    f"ORDER BY {_bm25(related[0])}",
                    [*markers, expression, *missing],
                )
                for pk, snippet in cursor.fetchall():
                    snippets.setdefault(pk, snippet)
        return {pk: marked_to_html(snippet) for pk, snippet in snippets.items()}
