"""Exports of citations: one class per format, registered here by name.

`exporter(name, style=...).stream(statements)` yields the export of the citations
backing `statements` (already narrowed to what the reader may see) as text chunks,
streaming from the database; `dossier(name, style=...)` does the same for a
claim's dossier. The API, the admin and the management commands all go through
these, so every surface exports the same bytes.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError

from .annotations import AnnotationsExporter
from .base import (
    Exporter,
    buffered,
    by_source,
    by_statement,
    citations_for,
)
from .bibliography import (
    DEFAULT_STYLE,
    STYLES,
    HtmlBibliographyExporter,
    MarkdownBibliographyExporter,
    TextBibliographyExporter,
    format_reference,
)
from .bibtex import BibTexExporter
from .csl import CslJsonExporter
from .csv import CsvExporter
from .dossier import HtmlDossier, MarkdownDossier
from .ris import RisExporter
from .rows import CHUNK_SIZE

EXPORTERS: dict[str, type[Exporter]] = {
    exporter.name: exporter
    for exporter in (
        CslJsonExporter,
        BibTexExporter,
        RisExporter,
        CsvExporter,
        TextBibliographyExporter,
        HtmlBibliographyExporter,
        MarkdownBibliographyExporter,
        AnnotationsExporter,
    )
}

DOSSIERS = {dossier.name: dossier for dossier in (MarkdownDossier, HtmlDossier)}

__all__ = [
    "CHUNK_SIZE",
    "DEFAULT_STYLE",
    "DOSSIERS",
    "EXPORTERS",
    "STYLES",
    "Exporter",
    "buffered",
    "by_source",
    "by_statement",
    "citations_for",
    "dossier",
    "exporter",
    "format_reference",
]


def _chosen(kind: str, value: str, valid: list[str]) -> None:
    if not value:
        raise ValidationError(
            {kind: f"Choose a {kind}. Valid {kind}s: {', '.join(sorted(valid))}."}
        )
    if value not in valid:
        raise ValidationError(
            {
                kind: f"Unknown {kind} {value!r}. Valid {kind}s: "
                f"{', '.join(sorted(valid))}."
            }
        )


def exporter(name: str, *, style: str = DEFAULT_STYLE, base_url: str = "") -> Exporter:
    """The exporter of format `name`; a ValidationError naming the valid formats or
    styles otherwise."""
    _chosen("format", name, list(EXPORTERS))
    _chosen("style", style, list(STYLES))
    return EXPORTERS[name](style=style, base_url=base_url)


def dossier(name: str, *, style: str = DEFAULT_STYLE) -> MarkdownDossier | HtmlDossier:
    _chosen("format", name, list(DOSSIERS))
    _chosen("style", style, list(STYLES))
    return DOSSIERS[name](style=style)
