"""RIS, the tagged format every reference manager imports (EndNote, Zotero,
Mendeley, RefWorks): one record per source, one N1 note per quote."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from claims.models import Source, SourceKind

from .base import (
    Exporter,
    citation_key,
    grouped_by_source,
    one_line,
    quote_note,
    source_authors,
    source_title,
)
from .rows import CitationRow, SourceRow

# Reference type and the tag naming the publisher: a newspaper's name is the
# article's secondary title (T2), a body's is the publisher (PB).
RIS_TYPES: dict[str, tuple[str, str]] = {
    SourceKind.NEWS_ARTICLE: ("NEWS", "T2"),
    SourceKind.REPORT: ("RPRT", "PB"),
    SourceKind.PRESS_BRIEFING: ("GEN", "PB"),
    SourceKind.PRESS_RELEASE: ("GEN", "PB"),
    SourceKind.SOCIAL_MEDIA_POST: ("ELEC", "T2"),
    SourceKind.VIDEO: ("VIDEO", "PB"),
    SourceKind.LETTER: ("GEN", "PB"),
    SourceKind.OTHER: ("GEN", "PB"),
}


def ris_record(source: Source | SourceRow, citations: Iterable[CitationRow]) -> str:
    ris_type, publisher_tag = RIS_TYPES.get(source.kind, RIS_TYPES[SourceKind.OTHER])
    tags: list[tuple[str, str]] = [("TY", ris_type), ("ID", citation_key(source))]
    tags += [("AU", name) for name in source_authors(source)]
    tags.append(("TI", source_title(source)))
    if source.publisher_id:
        tags.append((publisher_tag, source.publisher.name))
    if ris_type == "GEN":
        tags.append(("M3", source.get_kind_display()))
    if source.published_on:
        tags.append(("PY", str(source.published_on.year)))
        tags.append(("DA", source.published_on.strftime("%Y/%m/%d")))
    if source.accessed_on:
        tags.append(("Y2", source.accessed_on.strftime("%Y/%m/%d")))
    if source.url or source.archive_url:
        tags.append(("UR", source.url or source.archive_url))
    if source.language and source.language != "und":
        tags.append(("LA", source.language))
    tags += [("N1", quote_note(citation)) for citation in citations]
    # RIS is one tag per line: a line break inside a value would end it.
    lines = [f"{tag}  - {one_line(value)}" for tag, value in tags]
    return "\n".join([*lines, "ER  - ", ""])


class RisExporter(Exporter):
    name = "ris"
    label = "RIS (EndNote, Zotero, Mendeley)"
    media_type = "application/x-research-info-systems; charset=utf-8"
    extension = "ris"
    per_source = True

    def chunks(self, citations: Iterable[CitationRow]) -> Iterator[str]:
        for source, quoted in grouped_by_source(citations):
            yield ris_record(source, quoted) + "\n"
