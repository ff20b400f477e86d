"""PostgreSQL full-text search: stored generated tsvector columns with GIN indexes.

Each searchable table gets a `search_vector` column `GENERATED ALWAYS AS (...) STORED`:
PostgreSQL computes it on every insert and update, whatever writes the row (the ORM,
loaddata, `QuerySet.update()`, raw SQL), so it cannot fall out of sync and needs no
trigger. The models do not declare the column; queries reach it through RowSQL.

Weights: the title-like field A, the body B, secondary text C. A statement also
matches through its citations' quotes, an actor through its aliases.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import BooleanField, FloatField, QuerySet

from .base import VECTOR_COLUMN, RowSQL, SearchBackend
from .query import START_MARK, STOP_MARK, ParsedQuery, Term, marked_to_html


def _weighted(column: str, weight: str, *, slug: bool = False) -> str:
    value = f"coalesce({column}, '')"
    if slug:
        # Hyphens would make the slug one compound token; its words are what match.
        value = f"replace({value}, '-', ' ')"
    return f"setweight(to_tsvector('english'::regconfig, {value}), '{weight}')"


# table: the tsvector expression of a row.
DOCUMENTS = {
    "claims_claim": " || ".join(
        [
            _weighted('"text"', "A"),
            _weighted("slug", "B", slug=True),
            _weighted("description", "B"),
        ]
    ),
    "claims_source": " || ".join([_weighted("title", "A"), _weighted('"text"', "B")]),
    "claims_actor": " || ".join(
        [_weighted("name", "A"), _weighted("description", "C")]
    ),
    "claims_actoralias": _weighted("name", "A"),
    "claims_statement": " || ".join(
        [_weighted("summary", "A"), _weighted("context", "C")]
    ),
    "claims_citation": _weighted("quote", "B"),
}

# kind: (its table, (table of the related rows it also matches through, their FK)).
KINDS: dict[str, tuple[str, tuple[str, str] | None]] = {
    "claim": ("claims_claim", None),
    "source": ("claims_source", None),
    "statement": ("claims_statement", ("claims_citation", "statement_id")),
    "actor": ("claims_actor", ("claims_actoralias", "actor_id")),
}

# The text a snippet is cut from, per kind, for the row aliased `t` when its own
# fields match; otherwise from its best matching related row's text.
SNIPPET_DOCUMENTS = {
    "claim": ['t."text"', "t.description", "t.slug"],
    "source": ["t.title", 't."text"'],
    "statement": ["t.summary", "t.context"],
    "actor": ["t.name", "t.description"],
}
SNIPPET_RELATED_TEXT = {"statement": "quote", "actor": "name"}

HEADLINE_OPTIONS = (
    f"StartSel={START_MARK}, StopSel={STOP_MARK}, MaxWords=30, MinWords=15, "
    'ShortWord=3, MaxFragments=1, FragmentDelimiter=" … "'
)
# ts_headline drops what its parser takes for HTML tags ("<script>"), and a marker
# inside the stored text would confuse the highlighting: markers are dropped and
# angle brackets stood in for by two more private-use characters, which
# `_headline_to_html` turns back into brackets before escaping.
_WITHOUT_MARKERS = (
    "translate({}, '<>' || chr(57344) || chr(57345), chr(57346) || chr(57347))"
)
_BRACKETS = str.maketrans({"\ue002": "<", "\ue003": ">"})


def _headline_to_html(headline: str) -> str:
    return marked_to_html(headline.translate(_BRACKETS))


def _install_statements() -> list[str]:
    statements = []
    for table, document in DOCUMENTS.items():
        statements += [
            f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {VECTOR_COLUMN} tsvector "
            f"GENERATED ALWAYS AS ({document}) STORED",
            # Serves every `search_vector @@ query` of claims.search.
            f"CREATE INDEX IF NOT EXISTS {table}_search_idx ON {table} "
            f"USING GIN ({VECTOR_COLUMN})",
        ]
    return statements


def _uninstall_statements() -> list[str]:
    statements = []
    for table in DOCUMENTS:
        statements += [
            f"DROP INDEX IF EXISTS {table}_search_idx",
            f"ALTER TABLE {table} DROP COLUMN IF EXISTS {VECTOR_COLUMN}",
        ]
    return statements


def install(connection: BaseDatabaseWrapper) -> None:
    """Add the generated columns (computed for existing rows too) and their indexes."""
    with connection.cursor() as cursor:
        for statement in _install_statements():
            cursor.execute(statement)


def uninstall(connection: BaseDatabaseWrapper) -> None:
    with connection.cursor() as cursor:
        for statement in _uninstall_statements():
            cursor.execute(statement)


class _SQL:
    """SQL text and its parameters, built left to right so they stay in order."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.params: list = []

    def add(self, sql: str, *params) -> _SQL:
        self.parts.append(sql)
        self.params.extend(params)
        return self

    def add_query(self, query: ParsedQuery) -> _SQL:
        """The tsquery: every group, each an OR of its terms, and no excluded term."""
        self.add("(")
        for i, group in enumerate(query.groups):
            self.add(" && (" if i else "(")
            for j, term in enumerate(group):
                self._add_term(term, " || " if j else "")
            self.add(")")
        for term in query.excluded:
            self._add_term(term, " && !! ")
        return self.add(")")

    def _add_term(self, term: Term, operator: str) -> None:
        # Quoted, the term is a phrase to websearch_to_tsquery: no operator inside it
        # (a leading '-', 'or') is interpreted, and its words still get stemmed.
        self.add(f"{operator}websearch_to_tsquery('english', %s)", f'"{term.text}"')

    @property
    def sql(self) -> str:
        return "".join(self.parts)


def _match(
    kind: str,
    query: ParsedQuery,
    *,
    vector: str,
    pk: str,
    candidates: int | None = None,
) -> _SQL:
    table, related = KINDS[kind]
    if not related and candidates is None:
        return _SQL().add(f"{vector} @@ ").add_query(query)
    if candidates is None:
        sql = _SQL().add(f"{pk} IN (")
    else:
        # An array of at most `candidates` ids, looked up in the primary key: as
        # `IN (subquery)` PostgreSQL hash-joins them against the whole table (a
        # 50,000-row scan for claims). Each half newest first and cut, so that for a
        # common word PostgreSQL walks an id index backwards until it has enough,
        # instead of reading every match.
        sql = _SQL().add(f"{pk} = ANY(ARRAY(SELECT fts_m.id FROM ((")
    sql.add(f"SELECT fts_o.id FROM {table} fts_o WHERE fts_o.{VECTOR_COLUMN} @@ ")
    sql.add_query(query)
    if candidates is not None:
        sql.add(" ORDER BY fts_o.id DESC LIMIT %s)", candidates)
    if related:
        # One IN over a UNION, not `own OR IN (...)`: both halves then use their
        # GIN index, where an OR with a subquery scans the whole table.
        related_table, fk = related
        sql.add(" UNION (" if candidates is not None else " UNION ")
        distinct = "DISTINCT " if candidates is not None else ""
        sql.add(
            f"SELECT {distinct}fts_r.{fk} FROM {related_table} fts_r "
            f"WHERE fts_r.{VECTOR_COLUMN} @@ "
        )
        sql.add_query(query)
        if candidates is not None:
            sql.add(f" ORDER BY fts_r.{fk} DESC LIMIT %s)", candidates)
    if candidates is not None:
        sql.add(") fts_m(id) ORDER BY fts_m.id DESC LIMIT %s)", candidates)
    return sql.add(")")


def _rank(kind: str, query: ParsedQuery) -> _SQL:
    # ts_rank scores a query with a negation as 0: rank on what is looked for.
    query = query.positive
    table, related = KINDS[kind]
    # Normalisation 1 divides by 1 + log(length): a long text does not win by
    # repeating a word.
    own = _SQL().add("ts_rank({vector}, ").add_query(query).add(", 1)")
    if not related:
        return own
    related_table, fk = related
    return (
        _SQL()
        .add("GREATEST(")
        .add(own.sql, *own.params)
        .add(
            f", (SELECT max(ts_rank(fts_r.{VECTOR_COLUMN}, ",
        )
        .add_query(query)
        .add(
            f", 1)) FROM {related_table} fts_r WHERE fts_r.{fk} = {{pk}} "
            f"AND fts_r.{VECTOR_COLUMN} @@ "
        )
        .add_query(query)
        .add("))")
    )


class PostgresBackend(SearchBackend):
    name = "postgresql"

    def search(
        self,
        queryset: QuerySet,
        kind: str,
        query: ParsedQuery,
        *,
        candidates: int | None = None,
    ) -> QuerySet:
        match = _match(kind, query, vector="{vector}", pk="{pk}", candidates=candidates)
        rank = _rank(kind, query)
        return queryset.filter(
            RowSQL(match.sql, match.params, BooleanField())
        ).annotate(search_rank=RowSQL(rank.sql, rank.params, FloatField()))

    def snippets(
        self, kind: str, ids: Sequence[int], query: ParsedQuery, *, using: str
    ) -> dict[int, str]:
        if not ids:
            return {}
        table, related = KINDS[kind]
        wanted = query.positive
        document = ", ".join(f"NULLIF({part}, '')" for part in SNIPPET_DOCUMENTS[kind])
        own = (
            _SQL()
            .add("ts_headline('english', ")
            .add(_WITHOUT_MARKERS.format(f"concat_ws(' … ', {document})"))
            .add(", ")
            .add_query(wanted)
            .add(", %s)", HEADLINE_OPTIONS)
        )
        headline = own
        if related:
            related_table, fk = related
            text = _WITHOUT_MARKERS.format(f"fts_r.{SNIPPET_RELATED_TEXT[kind]}")
            headline = (
                _SQL()
                .add(f"CASE WHEN t.{VECTOR_COLUMN} @@ ")
                .add_query(query)
                .add(" THEN ")
                .add(own.sql, *own.params)
                .add(f" ELSE (SELECT ts_headline('english', {text}, ")
                .add_query(wanted)
                .add(", %s)", HEADLINE_OPTIONS)
                .add(
                    f" FROM {related_table} fts_r WHERE fts_r.{fk} = t.id "
                    f"AND fts_r.{VECTOR_COLUMN} @@ "
                )
                .add_query(query)
                .add(f" ORDER BY ts_rank(fts_r.{VECTOR_COLUMN}, ")
                .add_query(wanted)
                .add(", 1) DESC, fts_r.id LIMIT 1) END")
            )
        # Row by row: the ids are few, and the whole kind's matches are many.
        match = _SQL().add(f"t.{VECTOR_COLUMN} @@ ").add_query(query)
        if related:
            match.add(
                f" OR EXISTS (SELECT 1 FROM {related_table} fts_r WHERE "
                f"fts_r.{fk} = t.id AND fts_r.{VECTOR_COLUMN} @@ "
            ).add_query(query).add(")")
        sql = (
            _SQL()
            .add("SELECT t.id, ")
            .add(headline.sql, *headline.params)
            .add(f" FROM {table} t WHERE t.id = ANY(%s) AND (", list(ids))
            .add(match.sql, *match.params)
            .add(")")
        )
        with connections[using].cursor() as cursor:
            cursor.execute(sql.sql, sql.params)
            return {pk: _headline_to_html(text) for pk, text in cursor.fetchall()}
