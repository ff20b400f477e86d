"""BibTeX, for LaTeX: one entry per source, its quotes in the note.

Values keep their Unicode characters (biber, and LaTeX since 2018, read UTF-8);
the characters LaTeX treats as commands are escaped.
"""

from __future__ import annotations

import re
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

# Entry type and the field naming the publisher. A newspaper article is an
# @article in its paper's `journal`, as Zotero and biblatex export it; anything
# without a standard BibTeX type is a @misc with what it is in `howpublished`.
ENTRY_TYPES: dict[str, tuple[str, str]] = {
    SourceKind.NEWS_ARTICLE: ("article", "journal"),
    SourceKind.REPORT: ("techreport", "institution"),
    SourceKind.PRESS_BRIEFING: ("misc", "organization"),
    SourceKind.PRESS_RELEASE: ("misc", "organization"),
    SourceKind.SOCIAL_MEDIA_POST: ("misc", "organization"),
    SourceKind.VIDEO: ("misc", "organization"),
    SourceKind.LETTER: ("misc", "organization"),
    SourceKind.OTHER: ("misc", "organization"),
}

_LATEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "$": r"\$",
    "&": r"\&",
    "%": r"\%",
    "#": r"\#",
    "_": r"\_",
    "^": r"\^{}",
    "~": r"\~{}",
}
# A regular expression finds the few specials in C: 15 times faster than a
# character-by-character replacement or str.translate on non-ASCII text.
_LATEX_SPECIAL = re.compile(r"[\\{}$&%#_^~]")
# BibTeX counts braces whether or not a backslash precedes them: `\{` without its
# `\}` would end a field early or never end it. A brace without its pair is
# written as LaTeX's name for the character instead.
_UNPAIRED_BRACES = {"{": r"\textbraceleft{}", "}": r"\textbraceright{}"}
_BRACE = re.compile(r"[{}]")


def _unpaired_braces(text: str) -> list[int]:
    """The positions of the braces in `text` that have no pair, in order."""
    opened: list[int] = []
    unpaired: list[int] = []
    for brace in _BRACE.finditer(text):
        if brace.group() == "{":
            opened.append(brace.start())
        elif opened:
            opened.pop()
        else:
            unpaired.append(brace.start())
    return sorted(unpaired + opened)


def _escaped(text: str) -> str:
    return _LATEX_SPECIAL.sub(lambda special: _LATEX_SPECIALS[special.group()], text)


def latex_escape(text: str) -> str:
    """`text` with LaTeX's specials escaped, its braces still balanced for BibTeX."""
    pieces, start = [], 0
    for index in _unpaired_braces(text):
        pieces += [_escaped(text[start:index]), _UNPAIRED_BRACES[text[index]]]
        start = index + 1
    pieces.append(_escaped(text[start:]))
    return "".join(pieces)


def url_escape(url: str) -> str:
    # \url{} takes URLs verbatim but BibTeX still needs balanced braces, and a bare
    # % starts a comment when the field is written back into LaTeX.
    return url.replace("{", "%7B").replace("}", "%7D").replace("%", r"\%")


def bibtex_entry(source: Source | SourceRow, citations: Iterable[CitationRow]) -> str:
    entry_type, publisher_field = ENTRY_TYPES.get(
        source.kind, ENTRY_TYPES[SourceKind.OTHER]
    )
    fields: list[tuple[str, str]] = []
    authors = source_authors(source)
    if authors:
        # Each name in its own braces: printed as is, never split into first and
        # last names (an organisation, a handle).
        fields.append(
            ("author", " and ".join(f"{{{latex_escape(n)}}}" for n in authors))
        )
    # Double braces keep the title's capitals (UN, OHCHR) in every style.
    fields.append(("title", f"{{{latex_escape(source_title(source))}}}"))
    if source.publisher_id:
        fields.append((publisher_field, latex_escape(source.publisher.name)))
    if entry_type == "misc":
        fields.append(("howpublished", latex_escape(source.get_kind_display())))
    if source.published_on:
        fields.append(("year", str(source.published_on.year)))
        fields.append(("date", source.published_on.isoformat()))
    if source.url or source.archive_url:
        fields.append(("url", url_escape(source.url or source.archive_url)))
    if source.accessed_on:
        fields.append(("urldate", source.accessed_on.isoformat()))
    if source.language and source.language != "und":
        fields.append(("language", latex_escape(source.language)))
    # One line per quote: a blank line would be a paragraph break inside a field.
    quotes = [latex_escape(one_line(quote_note(c))) for c in citations]
    if quotes:
        fields.append(("note", "\n".join(quotes)))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@{entry_type}{{{citation_key(source)},\n{body}\n}}\n"


class BibTexExporter(Exporter):
    name = "bibtex"
    label = "BibTeX (LaTeX)"
    media_type = "application/x-bibtex; charset=utf-8"
    extension = "bib"
    per_source = True

    def chunks(self, citations: Iterable[CitationRow]) -> Iterator[str]:
        first = True
        for source, quoted in grouped_by_source(citations):
            yield ("" if first else "\n") + bibtex_entry(source, quoted)
            first = False
