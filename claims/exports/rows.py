"""Citations read for an export as plain rows rather than model instances.

Exporters read a citation as `citation.statement.actor.name`,
`citation.source.get_kind_display()` and the like. Building the citation, its
statement, source and their actors as model instances took a third of an export's
time; here one `values_list()` row of exactly the columns exporters read becomes a
few small objects with the same attributes. A statement or a source is
built once and shared by the rows that follow (in a cache of bounded size, so
memory stays flat whatever the export's length). Model instances still work
wherever a row does: the dossier and the public pages pass them.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.db.models import QuerySet

from claims.models import Citation, SourceKind
from claims.stances import Stance

# Rows fetched per database round trip: large enough to be fast, small enough that
# memory stays flat however many citations an export holds.
CHUNK_SIZE = 2000
# Statements and sources kept for the rows that follow; past that, forgotten.
CACHE_SIZE = 1000

_KIND_LABELS = dict(SourceKind.choices)
_STANCE_LABELS = dict(Stance.choices)


class ActorRow:
    """An actor as exports name it."""

    __slots__ = ("pk", "name")

    def __init__(self, pk: int, name: str) -> None:
        self.pk, self.name = pk, name


class ClaimRow:
    __slots__ = ("pk", "text")

    def __init__(self, pk: int, text: str) -> None:
        self.pk, self.text = pk, text


class SourceRow:
    """A source's bibliographic fields (never its text)."""

    __slots__ = (
        "pk",
        "kind",
        "title",
        "byline",
        "published_on",
        "accessed_on",
        "url",
        "archive_url",
        "language",
        "publisher_id",
        "publisher",
        "author_id",
        "author",
    )
    # The columns of the constructor's arguments, in order.
    columns = (
        "source_id",
        "source__kind",
        "source__title",
        "source__byline",
        "source__published_on",
        "source__accessed_on",
        "source__url",
        "source__archive_url",
        "source__language",
        "source__publisher_id",
        "source__publisher__name",
        "source__author_id",
        "source__author__name",
    )

    def __init__(
        self,
        pk: int,
        kind: str,
        title: str,
        byline: str,
        published_on: datetime.date | None,
        accessed_on: datetime.date | None,
        url: str,
        archive_url: str,
        language: str,
        publisher_id: int | None,
        publisher_name: str | None,
        author_id: int | None,
        author_name: str | None,
    ) -> None:
        self.pk, self.kind, self.title, self.byline = pk, kind, title, byline
        self.published_on, self.accessed_on = published_on, accessed_on
        self.url, self.archive_url, self.language = url, archive_url, language
        self.publisher_id = publisher_id
        self.publisher = (
            None if publisher_id is None else ActorRow(publisher_id, publisher_name)
        )
        self.author_id = author_id
        self.author = None if author_id is None else ActorRow(author_id, author_name)

    def get_kind_display(self) -> str:
        return _KIND_LABELS.get(self.kind, self.kind)


class StatementRow:
    """What every export says of a statement: who took which stance when."""

    __slots__ = ("pk", "actor", "stance", "made_on")
    columns = (
        "statement_id",
        "statement__actor_id",
        "statement__actor__name",
        "statement__stance",
        "statement__made_on",
    )

    def __init__(
        self,
        pk: int,
        actor_id: int,
        actor_name: str,
        stance: str,
        made_on: datetime.date,
    ) -> None:
        self.pk, self.actor = pk, ActorRow(actor_id, actor_name)
        self.stance, self.made_on = stance, made_on

    def get_stance_display(self) -> str:
        return _STANCE_LABELS.get(self.stance, self.stance)


class DetailedStatementRow(StatementRow):
    """With what the row formats add (CSV, annotations): the claim, the principal,
    the summary, the date's precision."""

    __slots__ = (
        "date_precision",
        "summary",
        "on_behalf_of_id",
        "on_behalf_of",
        "claim_id",
        "claim",
    )
    columns = StatementRow.columns + (
        "statement__date_precision",
        "statement__summary",
        "statement__on_behalf_of_id",
        "statement__on_behalf_of__name",
        "statement__claim_id",
        "statement__claim__text",
    )

    def __init__(
        self,
        pk: int,
        actor_id: int,
        actor_name: str,
        stance: str,
        made_on: datetime.date,
        date_precision: str,
        summary: str,
        on_behalf_of_id: int | None,
        on_behalf_of_name: str | None,
        claim_id: int | None,
        claim_text: str | None,
    ) -> None:
        super().__init__(pk, actor_id, actor_name, stance, made_on)
        self.date_precision, self.summary = date_precision, summary
        self.on_behalf_of_id = on_behalf_of_id
        self.on_behalf_of = (
            None
            if on_behalf_of_id is None
            else ActorRow(on_behalf_of_id, on_behalf_of_name)
        )
        self.claim_id = claim_id
        self.claim = None if claim_id is None else ClaimRow(claim_id, claim_text)


class CitationRow:
    """A quote, its offsets, and the statement and source it links."""

    __slots__ = (
        "pk",
        "quote",
        "start",
        "end",
        "statement_id",
        "statement",
        "source_id",
        "source",
    )
    columns = ("pk", "quote", "start", "end")

    def __init__(
        self,
        pk: int,
        quote: str,
        start: int,
        end: int,
        statement: StatementRow,
        source: SourceRow,
    ) -> None:
        self.pk, self.quote, self.start, self.end = pk, quote, start, end
        self.statement_id, self.statement = statement.pk, statement
        self.source_id, self.source = source.pk, source


class DetailedCitationRow(CitationRow):
    """With the quote's context and creation time, for annotations."""

    __slots__ = ("prefix", "suffix", "created_at")
    columns = CitationRow.columns + ("prefix", "suffix", "created_at")

    def __init__(
        self,
        pk: int,
        quote: str,
        start: int,
        end: int,
        prefix: str,
        suffix: str,
        created_at: datetime.datetime,
        statement: StatementRow,
        source: SourceRow,
    ) -> None:
        super().__init__(pk, quote, start, end, statement, source)
        self.prefix, self.suffix, self.created_at = prefix, suffix, created_at


def citation_rows(
    citations: QuerySet[Citation], *, detailed: bool = False
) -> Iterator[CitationRow]:
    """`citations` (filtered and ordered) as rows, streamed from the database.

    Rows are `detailed` only for the formats that print the details: the claim and
    the principal cost two more joins (past eight tables PostgreSQL's default
    `join_collapse_limit` keeps the written join order) and longer rows.
    """
    citation_row = DetailedCitationRow if detailed else CitationRow
    statement_row = DetailedStatementRow if detailed else StatementRow
    own = len(citation_row.columns)
    of_statement = own + len(statement_row.columns)
    statements: dict[int, StatementRow] = {}
    sources: dict[int, SourceRow] = {}
    columns = citation_row.columns + statement_row.columns + SourceRow.columns
    for row in citations.values_list(*columns).iterator(chunk_size=CHUNK_SIZE):
        statement = statements.get(row[own])
        if statement is None:
            if len(statements) >= CACHE_SIZE:
                statements.clear()
            statement = statements[row[own]] = statement_row(*row[own:of_statement])
        source = sources.get(row[of_statement])
        if source is None:
            if len(sources) >= CACHE_SIZE:
                sources.clear()
            source = sources[row[of_statement]] = SourceRow(*row[of_statement:])
        yield citation_row(*row[:own], statement, source)
