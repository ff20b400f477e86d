"""CSL-JSON, the input format of every CSL processor and of Zotero, Mendeley and
pandoc: one item per source, its quotes in the note."""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable, Iterator
from typing import Any

from claims.models import Source, SourceKind

from .base import (
    Exporter,
    citation_key,
    grouped_by_source,
    quote_note,
    source_authors,
    source_title,
)
from .rows import CitationRow, SourceRow

# FactDB's kind of source -> (CSL type, genre printed by styles, publisher role).
# A newspaper, a platform or a channel is the container of what it publishes; a
# ministry or a UN office is the publisher of its report or release.
CSL_TYPES: dict[str, tuple[str, str, str]] = {
    SourceKind.NEWS_ARTICLE: ("article-newspaper", "", "container-title"),
    SourceKind.REPORT: ("report", "", "publisher"),
    SourceKind.PRESS_BRIEFING: ("speech", "Press briefing", "publisher"),
    SourceKind.PRESS_RELEASE: ("report", "Press release", "publisher"),
    SourceKind.SOCIAL_MEDIA_POST: ("post", "", "container-title"),
    SourceKind.VIDEO: ("motion_picture", "Video", "container-title"),
    SourceKind.LETTER: ("document", "Letter", "publisher"),
    SourceKind.OTHER: ("document", "", "publisher"),
}


def date_parts(day: datetime.date) -> dict[str, list[list[int]]]:
    return {"date-parts": [[day.year, day.month, day.day]]}


def csl_item(
    source: Source | SourceRow,
    citations: Iterable[CitationRow] = (),
    *,
    notes: bool = True,
) -> dict[str, Any]:
    """The CSL-JSON item of a source; with `notes`, its quotes in `note`."""
    csl_type, genre, publisher_role = CSL_TYPES.get(
        source.kind, CSL_TYPES[SourceKind.OTHER]
    )
    item: dict[str, Any] = {
        "id": citation_key(source),
        "type": csl_type,
        "title": source_title(source),
    }
    authors = source_authors(source)
    if authors:
        # Literal: names are kept as printed, never split into given and family
        # names (an organisation, a handle, a name in another script).
        item["author"] = [{"literal": name} for name in authors]
    if source.publisher_id:
        item[publisher_role] = source.publisher.name
    if genre:
        item["genre"] = genre
    if source.published_on:
        item["issued"] = date_parts(source.published_on)
    if source.accessed_on:
        item["accessed"] = date_parts(source.accessed_on)
    if source.url or source.archive_url:
        item["URL"] = source.url or source.archive_url
    # "und" (undetermined) says nothing a reference manager can use.
    if source.language and source.language != "und":
        item["language"] = source.language
    quotes = [quote_note(citation) for citation in citations]
    if notes and quotes:
        item["note"] = "\n\n".join(quotes)
    return item


class CslJsonExporter(Exporter):
    name = "csl-json"
    label = "CSL-JSON (Zotero, Mendeley, pandoc)"
    media_type = "application/vnd.citationstyles.csl+json; charset=utf-8"
    extension = "json"
    per_source = True

    def chunks(self, citations: Iterable[CitationRow]) -> Iterator[str]:
        # A JSON array written item by item, so nothing holds the whole document.
        separator = "[\n"
        for source, quoted in grouped_by_source(citations):
            # One item a line: compact, and still readable and diffable.
            yield separator + json.dumps(csl_item(source, quoted), ensure_ascii=False)
            separator = ",\n"
        yield "[]\n" if separator == "[\n" else "\n]\n"
