"""The search query language every backend understands, parsed once in Python.

Web-search syntax, as PostgreSQL's `websearch_to_tsquery` reads it: words must all
match, "quoted phrases" match in order, `OR` between two terms matches either, and
`-word` or `-"a phrase"` excludes. Exclusions apply to the whole query (`a OR -b` is
`a` without `b`). Common English words ("the", "of": PostgreSQL's english stop list)
are dropped outside phrases, on every backend, so backends agree on what is
searchable. No user text ever reaches a database as syntax: backends bind each term as
a parameter (PostgreSQL) or as a quoted FTS5 string (SQLite).
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass

MAX_QUERY_LENGTH = 200

EMPTY_QUERY = "Type something to search for."
QUERY_TOO_LONG = "Use at most {limit} characters; the search has {length}."
NO_SEARCHABLE_WORDS = (
    "Give at least one word to search for that is not excluded with '-', an "
    "operator (OR) or a common word such as 'the'."
)

# Private-use characters that backends wrap around matched terms; `marked_to_html`
# turns them into <mark> tags after escaping the text.
START_MARK = "\ue000"
STOP_MARK = "\ue001"

# PostgreSQL's tsearch_data/english.stop: the words its 'english' configuration drops.
_ENGLISH_STOP = """
    i me my myself we our ours ourselves you your yours yourself yourselves he him his
    himself she her hers herself it its itself they them their theirs themselves what
    which who whom this that these those am is are was were be been being have has had
    having do does did doing a an the and but if or because as until while of at by for
    with about against between into through during before after above below to from up
    down in out on off over under again further then once here there when where why how
    all any both each few more most other some such no nor not only own same so than too
    very s t can will just don should now
"""
STOP_WORDS = frozenset(_ENGLISH_STOP.split())

_QUOTES = str.maketrans(dict.fromkeys("\u201c\u201d\u201e\u201f\u00ab\u00bb", '"'))
# A phrase runs to its closing quote, or to the end of the query if there is none.
_TOKEN = re.compile(r'(?P<minus>-*)"(?P<phrase>[^"]*)(?:"|$)|(?P<word>[^\s"]+)')
_ALNUM_RUN = re.compile(r"[^\W_]+")


class SearchQueryError(ValueError):
    """Message says what is wrong with q (empty, too long > 200 chars, no searchable
    words)."""


@dataclass(frozen=True)
class Term:
    """A word or a phrase, as typed (without quotes or the leading minus)."""

    text: str
    phrase: bool = False

    @property
    def words(self) -> list[str]:
        """Its runs of letters and digits, lower-cased: 'U.S.' gives ['u', 's']."""
        return [run.lower() for run in _ALNUM_RUN.findall(self.text)]


@dataclass(frozen=True)
class ParsedQuery:
    """Every group must match (a group matches if any of its terms does); no
    excluded term may."""

    groups: tuple[tuple[Term, ...], ...]
    excluded: tuple[Term, ...] = ()

    @property
    def positive(self) -> ParsedQuery:
        """Without the exclusions: what ranking and highlighting look for."""
        return ParsedQuery(self.groups)

    @property
    def positive_terms(self) -> list[Term]:
        return [term for group in self.groups for term in group]


def parse_query(query: str) -> ParsedQuery:
    """Parse `query`, or raise SearchQueryError saying what is wrong with it."""
    text = _clean(query if isinstance(query, str) else "")
    if not text:
        raise SearchQueryError(EMPTY_QUERY)
    if len(text) > MAX_QUERY_LENGTH:
        raise SearchQueryError(
            QUERY_TOO_LONG.format(limit=MAX_QUERY_LENGTH, length=len(text))
        )
    groups: list[list[Term]] = []
    excluded: list[Term] = []
    join_with_previous = False
    for match in _TOKEN.finditer(text):
        if match["word"] is not None:
            word = match["word"]
            if word.upper() == "OR":
                join_with_previous = bool(groups)
                continue
            negated = word.startswith("-")
            term = Term(word.lstrip("-"))
        else:
            negated = bool(match["minus"])
            term = Term(" ".join(match["phrase"].split()), phrase=True)
        if not _searchable(term):
            continue
        if negated:
            excluded.append(term)
        elif join_with_previous:
            groups[-1].append(term)
        else:
            groups.append([term])
        join_with_previous = False
    if not groups:
        raise SearchQueryError(NO_SEARCHABLE_WORDS)
    return ParsedQuery(tuple(tuple(group) for group in groups), tuple(excluded))


def _clean(query: str) -> str:
    """Curly quotes made straight; control characters, NULs and lone surrogates
    (which PostgreSQL refuses) made spaces."""
    query = query.translate(_QUOTES)
    return "".join(
        " " if unicodedata.category(char) in ("Cc", "Cs") else char for char in query
    ).strip()


def _searchable(term: Term) -> bool:
    return any(word not in STOP_WORDS for word in term.words)


def marked_to_html(marked: str) -> str:
    """Escape `marked` for HTML and turn START_MARK/STOP_MARK into <mark> tags.

    Always balanced: a stray marker (one the stored text itself contained) is dropped.
    """
    parts: list[str] = []
    open_mark = False
    for piece in re.split(f"([{START_MARK}{STOP_MARK}])", marked):
        if piece == START_MARK:
            if not open_mark:
                parts.append("<mark>")
                open_mark = True
        elif piece == STOP_MARK:
            if open_mark:
                parts.append("</mark>")
                open_mark = False
        else:
            parts.append(html.escape(piece))
    if open_mark:
        parts.append("</mark>")
    return "".join(parts).replace("<mark></mark>", "")
