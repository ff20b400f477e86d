"""What every exporter shares: the citations to export, in streaming order, and the
description of a source that bibliographic formats build on."""

from __future__ import annotations

import datetime
import itertools
import re
import unicodedata
from collections.abc import Iterable, Iterator
from typing import ClassVar

from django.db.models import F, QuerySet, Value
from django.db.models.functions import Coalesce, Lower, NullIf
from django.utils.text import slugify

from claims.models import Citation, Source, Statement

from .rows import CitationRow, SourceRow, citation_rows

# Characters gathered before a piece of the export is sent.
BUFFER_SIZE = 64 * 1024

# Everything any exporter reads from a citation as model instances, in one query (no
# prefetch, so that `.iterator()` streams on every database). `Exporter.stream()`
# reads rows instead (`rows.py`); `export_citations` still reads instances.
CITATION_RELATIONS = (
    "source__publisher",
    "source__author",
    "statement__actor",
    "statement__on_behalf_of",
    "statement__claim",
)

# Long texts no exporter reads: a source's text alone would make every row as large
# as the whole article.
UNREAD_FIELDS = (
    "source__text",
    "source__notes",
    "source__publisher__description",
    "source__author__description",
    "statement__actor__description",
    "statement__on_behalf_of__description",
    "statement__claim__description",
)


def citations_for(statements: QuerySet[Statement]) -> QuerySet[Citation]:
    """The citations backing `statements`, with everything exporters read.

    `statements` must already be what the reader may see
    (`Statement.objects.visible_to(user)`, then filtered): a citation's visibility is
    its statement's. One query whatever the number of statements.
    """
    return (
        Citation.objects.filter(statement__in=statements.order_by().values("pk"))
        .select_related(*CITATION_RELATIONS)
        .defer(*UNREAD_FIELDS)
    )


def source_sort_key() -> Lower:
    """The order of a bibliography, as the database can sort it: the author, else the
    byline, else the title, else the publisher, case-insensitively.

    A CSL processor sorts by the rendered author (or its substitute) with the
    locale's collation; sorting in the database instead lets a bibliography stream in
    one pass. The two agree on the common cases (a named author, a titled work);
    a source with none of these comes last.
    """
    return Lower(
        Coalesce(
            NullIf(F("source__author__name"), Value("")),
            NullIf(F("source__byline"), Value("")),
            NullIf(F("source__title"), Value("")),
            NullIf(F("source__publisher__name"), Value("")),
        )
    )


def by_source(citations: QuerySet[Citation]) -> QuerySet[Citation]:
    """Each source's citations together, in text order: one bibliography entry per
    source can be written as soon as its group ends."""
    return citations.order_by(
        source_sort_key().asc(nulls_last=True),
        F("source__published_on").asc(nulls_last=True),
        "source_id",
        "start",
        "pk",
    )


def by_statement(citations: QuerySet[Citation]) -> QuerySet[Citation]:
    """In the order the statements were made (a timeline), then as quoted."""
    return citations.order_by(
        F("statement__made_on").asc(nulls_last=True),
        "statement_id",
        "source_id",
        "start",
        "pk",
    )


def grouped_by_source(
    citations: Iterable[CitationRow],
) -> Iterator[tuple[SourceRow, list[CitationRow]]]:
    """(source, its citations) for citations ordered `by_source`; holds one group."""
    for _, group in itertools.groupby(citations, key=lambda c: c.source_id):
        quoted = list(group)
        yield quoted[0].source, quoted


def buffered(chunks: Iterable[str], size: int = BUFFER_SIZE) -> Iterator[str]:
    """Small chunks joined into pieces of about `size` characters: fewer writes to
    the network, while the first piece still leaves long before the last row."""
    pending: list[str] = []
    length = 0
    for chunk in chunks:
        pending.append(chunk)
        length += len(chunk)
        if length >= size:
            yield "".join(pending)
            pending, length = [], 0
    if pending:
        yield "".join(pending)


class Exporter:
    """One export format: its name, media type, file extension and a generator of
    text chunks over citations. No HTTP: the API, the admin and the management
    commands all call `stream()`."""

    name: ClassVar[str]
    label: ClassVar[str]
    media_type: ClassVar[str]
    extension: ClassVar[str]
    # Bibliographies need each source's citations together; row formats follow the
    # statements' timeline.
    per_source: ClassVar[bool] = False
    # Whether the output depends on a citation style (APA, Chicago).
    styled: ClassVar[bool] = False
    # Whether it prints what `rows.DetailedStatementRow` and
    # `rows.DetailedCitationRow` add (a claim, a principal, a quote's context).
    detailed: ClassVar[bool] = False

    def __init__(self, *, style: str = "apa", base_url: str = "") -> None:
        self.style = style
        self.base_url = base_url.rstrip("/")

    def order(self, citations: QuerySet[Citation]) -> QuerySet[Citation]:
        return by_source(citations) if self.per_source else by_statement(citations)

    def stream(self, statements: QuerySet[Statement]) -> Iterator[str]:
        """The whole export of the citations backing `statements`, chunk by chunk."""
        return buffered(self.chunks(self.citations(statements)))

    def citations(self, statements: QuerySet[Statement]) -> Iterator[CitationRow]:
        """The citations backing `statements` in this format's order, as rows."""
        return citation_rows(
            self.order(citations_for(statements)), detailed=self.detailed
        )

    def chunks(self, citations: Iterable[CitationRow]) -> Iterator[str]:
        raise NotImplementedError

    def filename(self, day: datetime.date, stem: str = "factdb-citations") -> str:
        style = f"-{self.style}" if self.styled else ""
        return f"{stem}{style}-{day.isoformat()}.{self.extension}"


# Describing a source ---------------------------------------------------------------


def source_title(source: Source | SourceRow) -> str:
    """The title as published; for an untitled source, a description in square
    brackets, as APA and Chicago describe untitled works."""
    if source.title:
        return source.title
    described = ", ".join(
        part
        for part in [
            f"Untitled {source.get_kind_display()}",
            source.publisher.name if source.publisher_id else "",
            source.published_on.isoformat() if source.published_on else "",
        ]
        if part
    )
    return f"[{described}]"


def source_authors(source: Source | SourceRow) -> list[str]:
    """Who wrote it, as printed: the author actor, else the byline.

    A byline is kept as printed even when it is a social-media handle
    (@ChaudhryMAli88): it is the only attribution the source gives, and APA cites a
    writer known only by a handle by that handle.
    """
    if source.author_id:
        return [source.author.name]
    if source.byline:
        return [source.byline]
    return []


_NOT_ASCII_WORD = re.compile(r"[^a-z0-9_]")


def ascii_word(text: str) -> str:
    """`text` as lower-case ASCII letters, digits and inner underscores: accents
    dropped (é as e), other scripts and punctuation removed."""
    if text.isascii():
        # What the slugify below gives for ASCII text, without its three regular
        # expressions and Unicode normalisation: keys are made for every source.
        return _NOT_ASCII_WORD.sub("", text.lower()).strip("_")
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return slugify(folded).replace("-", "")


_SKIPPED_TITLE_WORDS = {"a", "an", "the", "on", "of"}


def first_title_word(title: str) -> str:
    """The title's first word that says something ("The Of Beijing..." gives
    beijing), as `ascii_word`; folds words only until it finds one."""
    for word in title.split():
        folded = ascii_word(word)
        if folded and folded not in _SKIPPED_TITLE_WORDS:
            return folded
    return ""


def citation_key(source: Source | SourceRow) -> str:
    """A stable, unique and readable key: who, year, first title word, source id
    (`thestraitstimes_nd_beijing_3`). The id makes it unique and stable across
    exports; the rest makes it readable."""
    names = source_authors(source) or (
        [source.publisher.name] if source.publisher_id else []
    )
    who = ascii_word(names[0])[:24] if names else ""
    year = str(source.published_on.year) if source.published_on else "nd"
    word = first_title_word(source_title(source))
    return "_".join(part for part in [who or "anon", year, word[:20], str(source.pk)])


def quote_note(citation: Citation | CitationRow) -> str:
    """One quote and who it backs, for a bibliography's notes."""
    statement = citation.statement
    return (
        f"\u201c{citation.quote}\u201d \u2014 {statement.actor.name}, "
        f"{statement.get_stance_display()}, {statement.made_on.isoformat()} "
        f"(statement {statement.pk}; characters {citation.start}\u2013{citation.end})"
    )


def one_line(text: str) -> str:
    """Line breaks of a quote as spaces, for line-based formats."""
    return " ".join(text.split())
