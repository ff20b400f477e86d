"""Any quote survives, byte for byte: saved and read back through the ORM, written
and read back through the API, and through every export format.

Quotes are drawn from the whole of Unicode but surrogates (no UTF-8 for them) and
NUL (refused, tests/test_bad_input.py), with the characters each format treats
specially drawn often: combining marks, right-to-left text, emoji sequences, quote
marks, line breaks, LaTeX's specials, CSV's commas and formula starts. A quote is
what an editor would paste: the locator trims surrounding whitespace, so quotes
here start and end with something else. Where a format cannot hold a quote as
it is, the test asserts what the README says it does instead.

Under CI (CI=true) Hypothesis loads its derandomized "ci" profile (tests/
conftest.py): every run tries the same examples.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re

import bibtexparser
import pytest
import rispy
from django.db import transaction
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from claims import exports
from claims.models import Citation, Source, Statement
from claims.services import attach_citation
from tests.helpers import api_client, member_of

SPECIAL = (
    "\u0301\u0308\u20dd"  # combining marks
    "\u05e9\u05dc\u05d5\u05dd\u0627\u0644\u200f\u202e\u2066"  # RTL text and marks
    "\U0001f600\U0001f469\u200d\U0001f469\u200d\U0001f467\U0001f1fa\U0001f1f3"
    "\"'\u2018\u2019\u201c\u201d\u00ab\u00bb\u2026\u2014-"  # quotes, dashes
    "\n\r\t\u2028\u00a0 "  # line breaks and spaces
    "{}\\%$&#_^~"  # LaTeX specials
    ",;=+@"  # CSV separators and formula starts
    "<>*`[]|"  # HTML and Markdown specials
)
ANY_CHARACTER = st.characters(exclude_categories=("Cs",), exclude_characters="\x00")
QUOTES = (
    st.text(st.one_of(st.sampled_from(SPECIAL), ANY_CHARACTER), min_size=1, max_size=60)
    .map(str.strip)
    .filter(bool)
)
EXAMPLES = settings(
    max_examples=60,
    deadline=None,
    # The database and the client are set up once per test; each example runs in
    # a transaction of its own that is rolled back.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

BEFORE, AFTER = "It was said: ", " That is all."
# Tried on every run, whatever Hypothesis draws.
KNOWN_HARD = [
    "=1+1",
    "'=SUM(A1:A9)",  # Read back as "=SUM(...)" before CSV neutralising was reversible
    "a \\ {b} 100% $5 & #1 x_1 ^ ~",
    "} lone brace, then {{ unbalanced }",
    'first line\n\nsecond, "quoted"\r\nthird',
    "\u05e9\u05dc\u05d5\u05dd \u202e\u0627\u0644 "
    "\U0001f469\u200d\U0001f469\u200d\U0001f467 e\u0301",
]


def with_known_hard(test):
    for quote in KNOWN_HARD:
        test = example(quote=quote)(test)
    return test


class Rollback(Exception):
    pass


def in_rolled_back_transaction(check):
    """Run `check` in a transaction that leaves nothing behind."""
    try:
        with transaction.atomic():
            check()
            raise Rollback
    except Rollback:
        pass


@pytest.fixture
def statement(make_statement) -> Statement:
    return make_statement(summary="China denies the allegations.")


def source_quoting(quote: str) -> Source:
    return Source.objects.create(
        kind=Source.Kind.NEWS_ARTICLE,
        title="A news article",
        text=BEFORE + quote + AFTER,
    )


# ORM and API ------------------------------------------------------------------------


@EXAMPLES
@with_known_hard
@given(quote=QUOTES)
def test_a_quote_survives_the_database(statement, quote):
    def check():
        source = source_quoting(quote)
        saved = attach_citation(
            statement=statement, source=source, quote=quote, start=len(BEFORE)
        )

        reloaded = Citation.objects.get(pk=saved.pk)
        assert reloaded.quote == quote
        assert (reloaded.start, reloaded.end) == (len(BEFORE), len(BEFORE) + len(quote))
        assert reloaded.check_against_source() == Citation.Verification.VERIFIED

    in_rolled_back_transaction(check)


@pytest.fixture
def editor_api(db):
    return api_client(member_of("Editors"))


@EXAMPLES
@with_known_hard
@given(quote=QUOTES)
def test_a_quote_survives_the_api(editor_api, statement, quote):
    def check():
        source = source_quoting(quote)
        created = editor_api.post(
            "/api/v1/citations/",
            {
                "statement": statement.pk,
                "source": source.pk,
                "quote": quote,
                "start": len(BEFORE),
            },
            format="json",
        )
        assert created.status_code == 201, created.content

        read = editor_api.get(f"/api/v1/citations/{created.json()['id']}/")
        assert read.json()["quote"] == quote

    in_rolled_back_transaction(check)


# Exports -----------------------------------------------------------------------------

# The BibTeX exporter's escaping of LaTeX's specials (README, "Exporting citations").
LATEX_ESCAPES = {
    r"\textbackslash{}": "\\",
    # A brace without its pair (BibTeX counts braces, escaped or not).
    r"\textbraceleft{}": "{",
    r"\textbraceright{}": "}",
    r"\{": "{",
    r"\}": "}",
    r"\$": "$",
    r"\&": "&",
    r"\%": "%",
    r"\#": "#",
    r"\_": "_",
    r"\^{}": "^",
    r"\~{}": "~",
}
LATEX_ESCAPE = re.compile("|".join(map(re.escape, LATEX_ESCAPES)))
MARKDOWN_ESCAPE = re.compile(r"\\([\\`*_\[\]<>#|])")
# "> " after each line break of a quote keeps its every line in the blockquote.
BLOCKQUOTE_LINE = re.compile(r"(\r\n|\r|\n)> ")
FORMULA_START = re.compile("^'+[=+\\-@\t\r\uff1d\uff0b\uff0d\uff20]")


def one_line(text: str) -> str:
    """What the line-based formats (BibTeX, RIS) write for a quote: each run of
    whitespace, line breaks included, as one space (README)."""
    return " ".join(text.split())


def noted(text: str) -> str:
    """The start of a quote's note: the quote in curly quotes, then a dash."""
    return f"\u201c{text}\u201d \u2014 "


def read_back(name: str, output: str) -> str:
    """The part of an export of format `name` holding the quote, decoded as a
    reader of the format decodes it."""
    if name == "csl-json":
        (item,) = json.loads(output)
        return item["note"]
    if name == "annotations":
        (annotation,) = json.loads(output)["items"]
        return annotation["target"]["selector"][0]["exact"]
    if name == "csv":
        (row,) = csv.DictReader(io.StringIO(output.removeprefix("\ufeff"), newline=""))
        cell = row["quote"]
        # A formula start is neutralised with one more leading apostrophe (README).
        return cell[1:] if FORMULA_START.match(cell) else cell
    if name == "bibtex":
        library = bibtexparser.parse_string(output)
        assert library.failed_blocks == []
        (entry,) = library.entries
        return LATEX_ESCAPE.sub(lambda m: LATEX_ESCAPES[m.group()], entry["note"])
    if name == "ris":
        (record,) = rispy.loads(output)
        (note,) = record["notes"]
        return note
    if name == "html":
        return html.unescape(output)
    if name == "markdown":
        return MARKDOWN_ESCAPE.sub(r"\1", BLOCKQUOTE_LINE.sub(r"\1", output))
    return output  # the plain-text bibliography


def holds(name: str, read: str, quote: str) -> bool:
    if name in ("annotations", "csv"):
        return read == quote
    if name in ("csl-json", "bibtex", "ris"):
        return read.startswith(noted(one_line(quote) if name != "csl-json" else quote))
    # A bibliography lists each quote's note under its source.
    return noted(quote) in read


@EXAMPLES
@with_known_hard
@given(quote=QUOTES)
@pytest.mark.parametrize("name", list(exports.EXPORTERS))
def test_a_quote_survives_every_export(statement, name, quote):
    def check():
        source = source_quoting(quote)
        attach_citation(
            statement=statement, source=source, quote=quote, start=len(BEFORE)
        )
        exporter = exports.exporter(name)
        output = "".join(exporter.stream(Statement.objects.filter(pk=statement.pk)))

        assert holds(name, read_back(name, output), quote)

    in_rolled_back_transaction(check)
