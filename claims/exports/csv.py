"""CSV for spreadsheets: one row per citation, UTF-8 with a byte-order mark (so
Excel reads it as UTF-8) and a header row."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator

from .base import Exporter, source_title
from .rows import CitationRow

HEADER = (
    "citation_id",
    "statement_id",
    "actor",
    "on_behalf_of",
    "stance",
    "claim",
    "made_on",
    "date_precision",
    "quote",
    "source_id",
    "source_title",
    "publisher",
    "published_on",
    "url",
    "start",
    "end",
)

# A cell starting with one of these is run as a formula by Excel, LibreOffice and
# Google Sheets (CSV injection); a leading apostrophe makes it plain text.
# Their full-width forms count too: some spreadsheets normalise them.
_FORMULA_STARTS = (
    *("=", "+", "-", "@", "\t", "\r"),
    *("\uff1d", "\uff0b", "\uff0d", "\uff20"),
)


def neutralised(value: str) -> str:
    """`value` with a leading apostrophe if it starts with a formula character, or
    with apostrophes before one: removing one leading apostrophe from such a cell
    gives the text back exactly (a quote may itself start with "'=")."""
    bare = value.lstrip("'")
    return f"'{value}" if bare.startswith(_FORMULA_STARTS) else value


def csv_row(citation: CitationRow) -> list[str | int]:
    statement, source = citation.statement, citation.source
    about_statement = [
        statement.actor.name,
        statement.on_behalf_of.name if statement.on_behalf_of_id else "",
        statement.stance,
        statement.claim.text if statement.claim_id else "",
        statement.made_on.isoformat(),
        statement.date_precision,
        citation.quote,
    ]
    about_source = [
        source_title(source),
        source.publisher.name if source.publisher_id else "",
        source.published_on.isoformat() if source.published_on else "",
        source.url or source.archive_url,
    ]
    return [
        citation.pk,
        statement.pk,
        *map(neutralised, about_statement),
        source.pk,
        *map(neutralised, about_source),
        citation.start,
        citation.end,
    ]


class _Line:
    """A file-like target for csv.writer that hands back what it is given."""

    def write(self, line: str) -> str:
        return line


class CsvExporter(Exporter):
    name = "csv"
    label = "CSV (spreadsheets), one row per citation"
    media_type = "text/csv; charset=utf-8; header=present"
    extension = "csv"
    detailed = True

    def chunks(self, citations: Iterable[CitationRow]) -> Iterator[str]:
        writer = csv.writer(_Line())
        yield "\ufeff" + writer.writerow(HEADER)
        for citation in citations:
            yield writer.writerow(csv_row(citation))
