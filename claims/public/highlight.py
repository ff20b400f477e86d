"""A source's text with its cited passages marked: pure, no ORM.

Citations may overlap (two statements quoting sentences that share words), and HTML
marks cannot: the text is cut at every citation's start and end, and each piece
covered by one or more citations becomes one <mark> naming all of them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe


@dataclass(frozen=True)
class Passage:
    """A cited passage: the citation's id and offsets, and where its statement is."""

    citation_id: int
    start: int
    end: int
    label: str  # "BBC reports, 3 Feb 2021"
    href: str  # the statement's anchor on a public page
    statement_id: int


def highlight(text: str, passages: Sequence[Passage]) -> SafeString:
    """`text`, escaped, with each cited piece in a <mark>; the first piece of a
    citation carries its anchor (`citation-<id>`), the last is followed by links to
    the statements quoting it."""
    bounds = sorted(
        {0, len(text), *(p.start for p in passages), *(p.end for p in passages)}
    )
    parts: list[str] = []
    for start, end in zip(bounds, bounds[1:], strict=False):
        covering = [p for p in passages if p.start <= start and end <= p.end]
        piece = escape(text[start:end])
        if not covering:
            parts.append(piece)
            continue
        starting = sorted((p for p in covering if p.start == start), key=_key)
        ending = sorted((p for p in covering if p.end == end), key=_key)
        # One id per element: further citations starting here get empty anchors.
        parts.extend(
            format_html('<span class="anchor" id="citation-{}"></span>', p.citation_id)
            for p in starting[1:]
        )
        statements = " ".join(sorted({str(p.statement_id) for p in covering}))
        parts.append(
            format_html(
                '<mark{} data-statements="{}" title="{}">{}</mark>',
                format_html(' id="citation-{}"', starting[0].citation_id)
                if starting
                else "",
                statements,
                "; ".join(p.label for p in sorted(covering, key=_key)),
                piece,
            )
        )
        if ending:
            parts.append(
                format_html(
                    '<sup class="refs">{}</sup>',
                    format_html_join(
                        " ",
                        '<a href="{}" aria-label="Statement {}: {}">{}</a>',
                        (
                            (p.href, p.statement_id, p.label, p.statement_id)
                            for p in ending
                        ),
                    ),
                )
            )
    return mark_safe("".join(parts))  # every piece above is escaped


def _key(passage: Passage) -> tuple[int, int]:
    return passage.statement_id, passage.citation_id
