"""Locating and verifying quotes in source texts: pure text logic, no ORM.

Editors paste quotes with straight quotes where the source has curly ones, other
whitespace, other dashes or an ellipsis character. `locate_quote` finds the passage
while ignoring exactly those differences and returns the *exact* source substring
and its offsets, which is what a citation stores. Offsets are Python string indices
(Unicode code points), the unit of both SQLite's and PostgreSQL's `length()`.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

CONTEXT_WIDTH = 32
"""Characters of prefix and suffix kept around a quote (W3C TextQuoteSelector)."""

VERIFIED = "verified"
AMBIGUOUS = "ambiguous"
DRIFTED = "drifted"
ORPHANED = "orphaned"

_FOLDED = {
    **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\u0060\u00b4", "'"),
    **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb", '"'),
    **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"),
    "\u2026": "...",
}


@dataclass(frozen=True)
class QuoteMatch:
    start: int
    end: int
    quote: str
    prefix: str
    suffix: str


class QuoteError(ValueError):
    """A quote that cannot be located; the message tells an editor what to do."""


class QuoteNotFound(QuoteError):
    def __init__(self, quote: str, closest: str | None, closest_start: int | None):
        self.quote = quote
        self.closest = closest
        self.closest_start = closest_start
        if closest:
            message = (
                f"The quote is not in the source text. The closest passage "
                f"(at offset {closest_start}) is: \u201c{closest}\u201d"
            )
        else:
            message = "The quote is not in the source text."
        super().__init__(message)


class QuoteAmbiguous(QuoteError):
    def __init__(self, quote: str, starts: list[int]):
        self.quote = quote
        self.starts = starts
        offsets = ", ".join(str(s) for s in starts)
        super().__init__(
            f"The quote occurs {len(starts)} times in the source (at offsets "
            f"{offsets}); give a prefix or suffix of context, or the start offset "
            f"of the one you mean."
        )


class QuoteOffsetMismatch(QuoteError):
    def __init__(self, start: int, starts: list[int]):
        self.start = start
        self.starts = starts
        offsets = ", ".join(str(s) for s in starts)
        super().__init__(
            f"The quote does not start at offset {start}; it occurs at offset(s) "
            f"{offsets}."
        )


def normalize(text: str) -> tuple[str, list[int]]:
    """Fold typographic variants and whitespace runs, mapping output to input.

    Returns the folded text and, for each of its characters, the index in `text` it
    came from (an ellipsis expands to three characters with the same origin).
    """
    folded: list[str] = []
    origin: list[int] = []
    in_space = False
    for index, char in enumerate(text):
        if char.isspace():
            if not in_space:
                folded.append(" ")
                origin.append(index)
            in_space = True
            continue
        in_space = False
        replacement = _FOLDED.get(char, char)
        folded.extend(replacement)
        origin.extend([index] * len(replacement))
    return "".join(folded), origin


def context_around(text: str, start: int, end: int) -> tuple[str, str]:
    """The exact prefix and suffix of a passage, as stored in a TextQuoteSelector."""
    return text[max(0, start - CONTEXT_WIDTH) : start], text[end : end + CONTEXT_WIDTH]


def _occurrences(haystack: str, needle: str) -> list[int]:
    found, position = [], haystack.find(needle)
    while position != -1:
        found.append(position)
        position = haystack.find(needle, position + 1)
    return found


def locate_quote(
    text: str,
    quote: str,
    *,
    prefix: str = "",
    suffix: str = "",
    start: int | None = None,
) -> QuoteMatch:
    """Find `quote` in `text`, ignoring quote marks, dashes, ellipses and whitespace.

    `prefix`, `suffix` (text just before and after) and `start` (an offset) choose
    between several occurrences. Raises a QuoteError subclass when the quote is
    missing, ambiguous or not at the given offset.
    """
    norm_quote = normalize(quote)[0].strip()
    if not norm_quote:
        raise QuoteError("The quote is empty.")
    norm_text, origin = normalize(text)
    candidates: list[tuple[int, int]] = []  # original (start, end) of each occurrence
    for norm_start in _occurrences(norm_text, norm_quote):
        norm_end = norm_start + len(norm_quote)
        # A match must not begin or end inside an expanded ellipsis.
        if norm_start > 0 and origin[norm_start] == origin[norm_start - 1]:
            continue
        if norm_end < len(norm_text) and origin[norm_end] == origin[norm_end - 1]:
            continue
        if prefix.strip() and not norm_text[:norm_start].rstrip().endswith(
            normalize(prefix)[0].strip()
        ):
            continue
        if suffix.strip() and not norm_text[norm_end:].lstrip().startswith(
            normalize(suffix)[0].strip()
        ):
            continue
        candidates.append((origin[norm_start], origin[norm_end - 1] + 1))

    if not candidates:
        closest, closest_start = _closest_passage(text, norm_text, origin, norm_quote)
        raise QuoteNotFound(quote, closest, closest_start)
    if start is not None:
        chosen = [c for c in candidates if c[0] == start]
        if not chosen:
            raise QuoteOffsetMismatch(start, [c[0] for c in candidates])
        candidates = chosen
    if len(candidates) > 1:
        raise QuoteAmbiguous(quote, [c[0] for c in candidates])
    found_start, found_end = candidates[0]
    found_prefix, found_suffix = context_around(text, found_start, found_end)
    return QuoteMatch(
        start=found_start,
        end=found_end,
        quote=text[found_start:found_end],
        prefix=found_prefix,
        suffix=found_suffix,
    )


def _closest_passage(
    text: str, norm_text: str, origin: list[int], norm_quote: str
) -> tuple[str | None, int | None]:
    """The source passage of the quote's length that shares the most with it."""
    if not norm_text:
        return None, None
    matcher = difflib.SequenceMatcher(None, norm_text, norm_quote, autojunk=False)
    block = matcher.find_longest_match(0, len(norm_text), 0, len(norm_quote))
    if block.size < 3:
        return None, None
    # Align the quote around its longest shared run, then trim the window to the
    # first and last runs it shares with the quote.
    slack = len(norm_quote) // 2
    low = max(0, block.a - block.b - slack)
    high = min(len(norm_text), block.a - block.b + len(norm_quote) + slack)
    local = difflib.SequenceMatcher(
        None, norm_text[low:high], norm_quote, autojunk=False
    )
    runs = [run for run in local.get_matching_blocks() if run.size >= 3]
    norm_start = low + runs[0].a
    norm_end = low + runs[-1].a + runs[-1].size
    start, end = origin[norm_start], origin[norm_end - 1] + 1
    return text[start:end].strip(), start


def verify_quote(
    text: str | None,
    quote: str,
    start: int,
    end: int,
    *,
    prefix: str = "",
    suffix: str = "",
) -> str:
    """Classify a stored citation against its source text.

    verified: the quote is exactly the text between its offsets.
    drifted:  it is not, but the exact quote occurs once elsewhere (it needs an
              editor to re-anchor it; nothing does that silently).
    ambiguous: it is not, and the quote occurs several times elsewhere.
    orphaned: the exact quote is nowhere in the text (or there is no text).
    """
    if not text or not quote:
        return ORPHANED
    if 0 <= start < end <= len(text) and text[start:end] == quote:
        return VERIFIED
    starts = _occurrences(text, quote)
    if len(starts) > 1 and (prefix or suffix):
        in_context = [
            s
            for s in starts
            if text[:s].endswith(prefix) and text[s + len(quote) :].startswith(suffix)
        ]
        starts = in_context or starts
    if not starts:
        return ORPHANED
    return DRIFTED if len(starts) == 1 else AMBIGUOUS
