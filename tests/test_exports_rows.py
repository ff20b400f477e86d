"""Exports read as plain rows (issue 9): the same bytes as from model instances,
citation keys, and two fixes: a Markdown blockquote holds every line of a quote,
and BibTeX fields keep their braces balanced whatever the quote's braces."""

from __future__ import annotations

import datetime
import re

import bibtexparser
import pytest
from django.utils.text import slugify
from rest_framework.test import APIClient

from claims import exports
from claims.exports import rows
from claims.exports.base import ascii_word, citation_key
from claims.models import Citation, Source, Statement

pytestmark = pytest.mark.django_db

EXPORT = "/api/v1/citations/export/"


def body(response) -> str:
    assert response.status_code == 200, response.content
    return b"".join(response.streaming_content).decode("utf-8")


@pytest.fixture
def cite(make_actor, make_statement, make_source, make_citation):
    def cite(quote: str, **source_fields) -> Citation:
        """A published statement of Wang Wenbin citing `quote` in a new source."""
        source = make_source(f"Intro. {quote} End.", **source_fields)
        statement = make_statement(
            make_actor("Wang Wenbin", kind="person"), status="published"
        )
        return make_citation(statement=statement, source=source, quote=quote)

    return cite


# Rows give the same bytes as model instances ---------------------------------------


@pytest.fixture
def varied(seeds, make_actor, make_statement, make_source, make_citation):
    """The seeds plus sources and statements with and without every optional
    field, each cited twice from different statements."""
    outlet = make_actor("Nov\u00e1 & Co Zeitung", kind="media_outlet")
    author = make_actor("\u738b\u6587\u658c", kind="person")
    speaker = make_actor("Hua Chunying", kind="person")
    for n, title in enumerate(["", "The Of \u00c9l\u00e8ve", "\u65b0\u7586 report"]):
        source = make_source(
            "Intro. First quote. Second quote. End.",
            title=title,
            kind=[Source.Kind.REPORT, Source.Kind.VIDEO, Source.Kind.LETTER][n],
            publisher=outlet if n != 1 else None,
            author=author if n == 1 else None,
            byline="@handle" if n == 2 else "",
            published_on=datetime.date(2021, 1, n + 1) if n else None,
            accessed_on=datetime.date(2022, 1, 1) if n != 2 else None,
            url="https://example.org/a?b=1&c=%7B" if n else "",
            archive_url="https://archive.example/x" if n != 1 else "",
            language=["und", "zh-Hans", "ru"][n],
        )
        for quote in ("First quote.", "Second quote."):
            statement = make_statement(
                speaker,
                status="published",
                on_behalf_of=outlet if n == 2 else None,
                date_precision=["day", "month", "on_or_before"][n],
                stance=["calls_for", "expresses_concern", "denies"][n],
            )
            make_citation(statement=statement, source=source, quote=quote)


@pytest.mark.parametrize("name", list(exports.EXPORTERS))
def test_rows_export_the_same_bytes_as_model_instances(varied, monkeypatch, name):
    # A cache of one statement and one source: every reuse and every eviction.
    monkeypatch.setattr(rows, "CACHE_SIZE", 1)
    exporter = exports.exporter(name, base_url="http://testserver/")
    statements = Statement.objects.all()
    instances = exporter.order(exports.citations_for(statements)).iterator()

    from_rows = "".join(exporter.stream(statements))

    assert from_rows == "".join(exporter.chunks(instances))
    assert "Second quote." in from_rows


# Citation keys ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "key"),
    [
        ("", "anon_nd_untitled_7"),  # "[Untitled news article]"
        ("The", "anon_nd__7"),
        ("The Of An  \u00c9l\u00e8ve caf\u00e9", "anon_nd_eleve_7"),
        ("\u65b0\u7586\u95ee\u9898 Xinjiang", "anon_nd_xinjiang_7"),
        ("\u65b0\u7586\u95ee\u9898", "anon_nd__7"),
        (
            "\u0412\u0430\u043d \u0432\u044b\u0441\u0442\u0443\u043f\u0438\u043b today",
            "anon_nd_today_7",
        ),
        ("--- _under_ score", "anon_nd_under_7"),
        ("\u201cFake news\u201d & facts", "anon_nd_fake_7"),
        ("On the A-B-C of it", "anon_nd_abc_7"),
        ("THE BBC's report", "anon_nd_bbcs_7"),
        ("x\u2014y", "anon_nd_xy_7"),
        ("\ufb01nal", "anon_nd_final_7"),
        ("\u2460 one", "anon_nd_1_7"),
        ("A\u00a0the\u2003Beijing", "anon_nd_beijing_7"),
        ("\u0130stanbul", "anon_nd_istanbul_7"),
        ("Z\u0308\u0301rich", "anon_nd_zrich_7"),
        ("\U0001f600 emoji first", "anon_nd_emoji_7"),
        ("Averyveryverylongfirstword here", "anon_nd_averyveryverylongfir_7"),
    ],
)
def test_the_citation_key_takes_the_first_title_word_that_says_something(title, key):
    source = Source(pk=7, kind=Source.Kind.NEWS_ARTICLE, title=title)

    assert citation_key(source) == key


def test_ascii_words_are_what_slugify_gives_without_hyphens():
    # ascii_word() skips slugify for ASCII text (a fast path): the same result.
    ascii = [chr(code) for code in range(128)]
    texts = [*ascii, *(f"a{c}B{c}{c}9_" for c in ascii), "_-_x-_", "Re-Port's #1 _"]

    assert [ascii_word(t) for t in texts] == [
        slugify(t).replace("-", "") for t in texts
    ]
    assert ascii_word("\u00c9l\u00e8ve \u65b0\u7586 caf\u00e9") == "elevecafe"


def test_the_citation_key_names_the_byline_and_the_year():
    by_author = Source(
        pk=3, kind="report", title="Report", byline="Wang Wenbin", published_on=None
    )
    dated = Source(
        pk=4, kind="report", title="", published_on=datetime.date(2022, 8, 31)
    )

    assert citation_key(by_author) == "wangwenbin_nd_report_3"
    assert citation_key(dated) == "anon_2022_untitled_4"


# Markdown: every line of a quote inside its blockquote -----------------------------

TWO_PARAGRAPHS = "First paragraph.\n\nSecond paragraph,\r\nthird line."


def test_a_quote_with_a_blank_line_stays_in_its_markdown_blockquote(cite):
    citation = cite(TWO_PARAGRAPHS, title="Two paragraphs")

    document = body(APIClient().get(EXPORT, {"format": "markdown"}))

    assert document == (
        "# FactDB bibliography (APA)\n\n"
        "*Two paragraphs*. (n.d.).\n\n"
        "> \u201cFirst paragraph.\n"
        "> \n"
        "> Second paragraph,\r\n"
        "> third line.\u201d \u2014 Wang Wenbin, denies, 2022-09-01 "
        f"(statement {citation.statement_id}; characters 7\u201355)\n"
        "\n"
    )


def test_a_quote_with_a_blank_line_stays_in_its_markdown_dossier_blockquote(cite):
    citation = cite(TWO_PARAGRAPHS, title="Two paragraphs")
    claim = citation.statement.claim

    document = body(
        APIClient().get(f"/api/v1/claims/{claim.slug}/dossier/", {"format": "markdown"})
    )

    assert (
        "> \u201cFirst paragraph.\n"
        "> \n"
        "> Second paragraph,\r\n"
        "> third line.\u201d[^1]\n"
        "\n"
        "## Sources\n"
    ) in document


# BibTeX: braces balanced as BibTeX counts them -------------------------------------

UNBALANCED = "} first, then {{ one more }"


def bibtex_balanced(value: str) -> bool:
    """Whether BibTeX reads `value` as one field: it counts every brace, with or
    without a backslash before it."""
    depth = 0
    for brace in re.findall(r"[{}]", value):
        depth += 1 if brace == "{" else -1
        if depth < 0:
            return False
    return depth == 0


def test_bibtex_writes_an_unpaired_brace_as_its_latex_name(cite, make_actor):
    citation = cite(
        UNBALANCED,
        title="Braces {in} the} title",
        publisher=make_actor("Nov\u00e1 & Co {Zeitung", kind="media_outlet"),
    )

    document = body(APIClient().get(EXPORT, {"format": "bibtex"}))

    source = citation.source_id
    assert document == (
        f"@article{{novacozeitung_nd_braces_{source},\n"
        "  title = {{Braces \\{in\\} the\\textbraceright{} title}},\n"
        "  journal = {Nov\u00e1 \\& Co \\textbraceleft{}Zeitung},\n"
        "  language = {en},\n"
        "  note = {\u201c\\textbraceright{} first, then \\textbraceleft{}\\{ one "
        "more \\}\u201d \u2014 Wang Wenbin, denies, 2022-09-01 "
        f"(statement {citation.statement_id}; characters 7\u201334)}}\n"
        "}\n"
    )
    library = bibtexparser.parse_string(document)
    (entry,) = library.entries
    assert library.failed_blocks == []
    assert all(bibtex_balanced(field.value) for field in entry.fields)
