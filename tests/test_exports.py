"""Exports of citations (issue 4): every format read back by an independent library
and compared with the seed fixtures; styles pinned by golden strings; the API, the
admin action and the management commands; visibility, errors, streaming, queries."""

from __future__ import annotations

import csv
import datetime
import html
import io
import json
import re
from pathlib import Path

import bibtexparser
import jsonschema
import pytest
import rispy
from bibtexparser.middlewares import LatexDecodingMiddleware
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.management import CommandError, call_command
from django.db import connection
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from claims import exports
from claims.models import Citation, Source, Statement
from claims.services import attach_citation
from tests.conftest import THROTTLE_QUERIES

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parent / "data"
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
CSL_SCHEMA = json.loads((DATA / "csl-data.json").read_text(encoding="utf-8"))
EXPORT = "/api/v1/citations/export/"
CLAIM = "xinjiang-camps-sexual-violence"


def _fixture(name: str, model: str) -> dict[int, dict]:
    records = json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))
    return {r["pk"]: r["fields"] for r in records if r["model"] == f"claims.{model}"}


# What the seed fixtures say, read from their JSON rather than through the ORM.
ACTORS = _fixture("actors", "actor")
SOURCES = _fixture("sources", "source")
STATEMENTS = _fixture("statements", "statement")
CITATIONS = _fixture("statements", "citation")
CITED_SOURCES = sorted({c["source"] for c in CITATIONS.values()})


def quotes_of(source_id: int) -> list[str]:
    """A source's quotes in text order, as a bibliography lists them."""
    cited = [
        (c["start"], pk, c["quote"])
        for pk, c in CITATIONS.items()
        if c["source"] == source_id
    ]
    return [quote for _, _, quote in sorted(cited)]


def expected_title(source_id: int) -> str:
    source = SOURCES[source_id]
    if source["title"]:
        return source["title"]
    parts = ["Untitled news article"]
    if source["publisher"]:
        parts.append(ACTORS[source["publisher"]]["name"])
    parts.append(source["published_on"])
    return f"[{', '.join(parts)}]"


def publisher(source_id: int) -> str | None:
    publisher_id = SOURCES[source_id]["publisher"]
    return ACTORS[publisher_id]["name"] if publisher_id else None


def body(response) -> str:
    assert response.status_code == 200, response.content
    return b"".join(response.streaming_content).decode("utf-8")


def export(client, **params) -> str:
    return body(client.get(EXPORT, params))


@pytest.fixture
def client() -> APIClient:
    return APIClient()


def token_client(*permissions: str) -> APIClient:
    user = get_user_model().objects.create_user(username=f"u{len(permissions)}")
    for codename in permissions:
        user.user_permissions.add(Permission.objects.get(codename=codename))
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user)}")
    return api


@pytest.fixture
def draft(seeds) -> Citation:
    """A draft statement on the claim, quoting article 000: editors only."""
    statement = Statement.objects.create(
        actor_id=35,
        stance="asserts",
        claim_id=Statement.objects.get(pk=1).claim_id,
        made_on=datetime.date(2021, 2, 5),
        summary="Draft: the BBC stands by its reporting.",
        status="draft",
    )
    return attach_citation(
        statement=statement,
        source=Source.objects.get(pk=1),
        quote="Beijing denies all the charges",
    )


@pytest.fixture
def awkward(make_actor, make_statement, make_source, make_citation) -> Citation:
    """A source and quote full of what breaks exporters: curly quotes, ampersands,
    LaTeX and Markdown specials, HTML, non-Latin names, a formula."""
    text = (
        "Intro. =HYPERLINK(\u201chttp://evil\u201d) & <b>bold</b> 100% of #1_a "
        "\u2014 said \u738b\u6587\u658c. End."
    )
    source = make_source(
        text,
        title="\u201cFake news\u201d & facts: 100% #1_a {x} <b>",
        publisher=make_actor("Nov\u00e1 & Co Zeitung", kind="media_outlet"),
        author=make_actor(
            "\u0412\u0430\u043d \u0412\u044d\u043d\u044c\u0431\u0438\u043d",
            kind="person",
        ),
        published_on=datetime.date(2022, 9, 1),
        url="https://example.org/a?b=1&c=50%25",
        language="en",
    )
    statement = make_statement(
        make_actor("\u738b\u6587\u658c", kind="person"), status="published"
    )
    return make_citation(
        statement=statement,
        source=source,
        quote="=HYPERLINK(\u201chttp://evil\u201d) & <b>bold</b> 100% of #1_a "
        "\u2014 said \u738b\u6587\u658c",
    )


# CSL-JSON ------------------------------------------------------------------------


def test_csl_json_is_valid_against_the_official_schema_one_item_per_source(
    client, seeds
):
    items = json.loads(export(client, format="csl-json"))

    jsonschema.validate(items, CSL_SCHEMA)
    assert len(items) == len(CITED_SOURCES) == 5
    assert len({item["id"] for item in items}) == 5


def test_csl_json_items_match_the_seed_sources_field_by_field(client, seeds):
    items = json.loads(export(client, format="csl-json"))
    by_title = {item["title"]: item for item in items}

    for source_id in CITED_SOURCES:
        source = SOURCES[source_id]
        item = by_title[expected_title(source_id)]
        assert item["type"] == "article-newspaper"
        assert item.get("container-title") == publisher(source_id)
        assert item["language"] == source["language"]
        if source["published_on"]:
            day = datetime.date.fromisoformat(source["published_on"])
            assert item["issued"] == {"date-parts": [[day.year, day.month, day.day]]}
        else:
            assert "issued" not in item
        if source["byline"]:
            assert item["author"] == [{"literal": source["byline"]}]
        else:
            assert "author" not in item
        notes = item["note"].split("\n\n")
        assert len(notes) == len(quotes_of(source_id))
        for note, quote in zip(notes, quotes_of(source_id), strict=True):
            assert note.startswith(f"\u201c{quote}\u201d \u2014 ")


def test_an_untitled_source_gets_a_bracketed_description_as_title(client, seeds):
    items = json.loads(export(client, format="csl-json", source=1))

    item = next(item for item in items if item["id"].endswith("_1"))
    assert item["title"] == "[Untitled news article, UrduPoint News, 2021-02-04]"
    assert item["id"] == "chaudhrymali88_2021_untitled_1"


# BibTeX ----------------------------------------------------------------------------


def test_bibtex_parses_with_bibtexparser_one_entry_per_source(client, seeds):
    library = bibtexparser.parse_string(
        export(client, format="bibtex"), append_middleware=[LatexDecodingMiddleware()]
    )

    assert library.failed_blocks == []
    keys = [entry.key for entry in library.entries]
    assert len(keys) == len(set(keys)) == 5
    for entry in library.entries:
        source_id = int(entry.key.rsplit("_", 1)[1])
        assert entry.entry_type == "article"
        assert entry["title"] == expected_title(source_id)
        assert (
            entry.fields_dict.get("journal")
            and entry["journal"] == publisher(source_id)
            or publisher(source_id) is None
        )
        notes = entry["note"].split("\n")
        assert [n.split("\u201d \u2014 ")[0] for n in notes] == [
            "\u201c" + " ".join(q.split()) for q in quotes_of(source_id)
        ]


def test_bibtex_keys_are_stable_across_exports(client, seeds):
    first = export(client, format="bibtex")
    again = export(client, format="bibtex", claim=CLAIM)

    keys = re.findall(r"^@\w+\{([^,]+),", again, flags=re.M)
    assert keys and all(f"{{{key}," in first for key in keys)


# RIS -------------------------------------------------------------------------------


def test_ris_parses_with_rispy_and_matches_the_seed_sources(client, seeds):
    records = rispy.loads(export(client, format="ris"))

    assert len(records) == 5
    for record in records:
        source_id = int(record["id"].rsplit("_", 1)[1])
        source = SOURCES[source_id]
        assert record["type_of_reference"] == "NEWS"
        assert record["title"] == expected_title(source_id)
        assert record.get("secondary_title") == publisher(source_id)
        assert record.get("authors", []) == (
            [source["byline"]] if source["byline"] else []
        )
        assert record.get("date") == (
            source["published_on"].replace("-", "/") if source["published_on"] else None
        )
        assert [n.split("\u201d \u2014 ")[0] for n in record["notes"]] == [
            "\u201c" + " ".join(q.split()) for q in quotes_of(source_id)
        ]


# CSV -------------------------------------------------------------------------------


def test_csv_has_a_header_and_one_row_per_citation_matching_the_seeds(client, seeds):
    rows = list(
        csv.DictReader(io.StringIO(export(client, format="csv").lstrip("\ufeff")))
    )

    assert len(rows) == len(CITATIONS) == 103
    assert list(rows[0]) == [
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
    ]
    for row in rows:
        citation = CITATIONS[int(row["citation_id"])]
        statement = STATEMENTS[citation["statement"]]
        assert int(row["statement_id"]) == citation["statement"]
        assert row["actor"] == ACTORS[statement["actor"]]["name"]
        assert row["on_behalf_of"] == (
            ACTORS[statement["on_behalf_of"]]["name"]
            if statement["on_behalf_of"]
            else ""
        )
        assert row["stance"] == statement["stance"]
        assert row["made_on"] == statement["made_on"]
        assert row["quote"] == citation["quote"]
        assert int(row["source_id"]) == citation["source"]
        assert row["source_title"] == expected_title(citation["source"])
        assert row["publisher"] == (publisher(citation["source"]) or "")
        assert (int(row["start"]), int(row["end"])) == (
            citation["start"],
            citation["end"],
        )


def test_csv_starts_with_a_byte_order_mark_for_spreadsheets(client, seeds):
    assert export(client, format="csv", source=3).startswith("\ufeffcitation_id,")


def test_csv_cells_a_spreadsheet_would_run_as_formulas_are_neutralised(client, awkward):
    (row,) = csv.DictReader(io.StringIO(export(client, format="csv").lstrip("\ufeff")))

    assert row["quote"] == "'" + awkward.quote
    assert row["actor"] == "\u738b\u6587\u658c"


# Web Annotations -----------------------------------------------------------------


def test_annotations_select_each_quote_by_text_and_position(client, seeds):
    page = json.loads(export(client, format="annotations"))

    assert page["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert page["type"] == "AnnotationPage"
    assert len(page["items"]) == 103
    for annotation in page["items"]:
        citation_id = int(annotation["id"].rstrip("/").rsplit("/", 1)[1])
        citation = CITATIONS[citation_id]
        quote, position = annotation["target"]["selector"]
        assert annotation["type"] == "Annotation"
        assert quote == {
            "type": "TextQuoteSelector",
            "exact": citation["quote"],
            "prefix": citation["prefix"],
            "suffix": citation["suffix"],
        }
        assert position == {
            "type": "TextPositionSelector",
            "start": citation["start"],
            "end": citation["end"],
        }
        assert annotation["target"]["source"] == (
            f"http://testserver/api/v1/sources/{citation['source']}/"
        )
        text = SOURCES[citation["source"]]["text"]
        assert text[position["start"] : position["end"]] == quote["exact"]


# Formatted bibliographies ----------------------------------------------------------

GOLDEN = {
    ("apa", 3): "Beijing slams UN report which finds serious human rights violations "
    "in Xinjiang. (n.d.). The Straits Times.",
    ("apa", 1): "@ChaudhryMAli88. (2021, February 4). [Untitled news article, "
    "UrduPoint News, 2021-02-04]. UrduPoint News.",
    ("chicago-author-date", 3): "The Straits Times. n.d. \u201cBeijing Slams UN Report "
    "Which Finds Serious Human Rights Violations in Xinjiang\u201d.",
    ("chicago-author-date", 1): "@ChaudhryMAli88. 2021. \u201c[Untitled News Article, "
    "UrduPoint News, 2021-02-04]\u201d. UrduPoint News, February 4.",
}
GOLDEN_HTML = {
    ("apa", 3): "Beijing slams UN report which finds serious human rights violations "
    "in Xinjiang. (n.d.). <i>The Straits Times</i>.",
    ("chicago-author-date", 1): "@ChaudhryMAli88. 2021. \u201c[Untitled News Article, "
    "UrduPoint News, 2021-02-04]\u201d. <i>UrduPoint News</i>, February 4.",
}
GOLDEN_MARKDOWN = {
    ("apa", 1): "@ChaudhryMAli88. (2021, February 4). \\[Untitled news article, "
    "UrduPoint News, 2021-02-04\\]. *UrduPoint News*.",
    ("chicago-author-date", 3): "*The Straits Times*. n.d. \u201cBeijing Slams UN "
    "Report Which Finds Serious Human Rights Violations in Xinjiang\u201d.",
}


@pytest.mark.parametrize(("style", "source_id"), list(GOLDEN))
def test_the_plain_text_bibliography_gives_the_exact_style_entry(
    client, seeds, style, source_id
):
    text = export(client, format="text", style=style, source=source_id)

    entries = [block.split("\n")[0] for block in text.strip().split("\n\n")]
    assert GOLDEN[style, source_id] in entries


@pytest.mark.parametrize(("style", "source_id"), list(GOLDEN_HTML))
def test_the_html_bibliography_gives_the_exact_style_entry(
    client, seeds, style, source_id
):
    page = export(client, format="html", style=style, source=source_id)

    assert f"<p>{GOLDEN_HTML[style, source_id]}</p>" in page


@pytest.mark.parametrize(("style", "source_id"), list(GOLDEN_MARKDOWN))
def test_the_markdown_bibliography_gives_the_exact_style_entry(
    client, seeds, style, source_id
):
    page = export(client, format="markdown", style=style, source=source_id)

    assert f"\n{GOLDEN_MARKDOWN[style, source_id]}\n" in page


def test_a_source_cited_by_several_statements_appears_once_with_all_its_quotes(
    client, seeds
):
    text = export(client, format="text")

    blocks = text.strip().split("\n\n")
    assert len(blocks) == 5
    (straits_times,) = [b for b in blocks if "The Straits Times" in b.split("\n")[0]]
    quotes = [line.strip() for line in straits_times.split("\n")[1:]]
    assert len(quotes) == len(quotes_of(3)) == 28
    assert [q.split("\u201d \u2014 ")[0] for q in quotes] == [
        f"\u201c{q}" for q in quotes_of(3)
    ]


# Special characters in every format -----------------------------------------------

AWKWARD_TITLE = "\u201cFake news\u201d & facts: 100% #1_a {x} <b>"
AWKWARD_AUTHOR = "\u0412\u0430\u043d \u0412\u044d\u043d\u044c\u0431\u0438\u043d"


def test_special_characters_survive_csl_json(client, awkward):
    (item,) = json.loads(export(client, format="csl-json"))

    jsonschema.validate([item], CSL_SCHEMA)
    assert item["title"] == AWKWARD_TITLE
    assert item["author"] == [{"literal": AWKWARD_AUTHOR}]
    assert item["container-title"] == "Nov\u00e1 & Co Zeitung"
    assert awkward.quote in item["note"]


def test_special_characters_survive_bibtex_escaped_for_latex(client, awkward):
    text = export(client, format="bibtex")
    library = bibtexparser.parse_string(
        text, append_middleware=[LatexDecodingMiddleware()]
    )

    assert r"\&" in text and r"100\%" in text and r"\#1\_a" in text
    (entry,) = library.entries
    assert entry["title"] == AWKWARD_TITLE
    assert entry["author"] == AWKWARD_AUTHOR
    assert entry["journal"] == "Nov\u00e1 & Co Zeitung"
    assert awkward.quote in entry["note"]


def test_special_characters_survive_ris(client, awkward):
    (record,) = rispy.loads(export(client, format="ris"))

    assert record["title"] == AWKWARD_TITLE
    assert record["authors"] == [AWKWARD_AUTHOR]
    assert awkward.quote in record["notes"][0]


def test_special_characters_survive_annotations(client, awkward):
    (annotation,) = json.loads(export(client, format="annotations"))["items"]

    assert annotation["target"]["selector"][0]["exact"] == awkward.quote
    assert annotation["target"]["source"] == "https://example.org/a?b=1&c=50%25"


@pytest.mark.parametrize("style", list(exports.STYLES))
def test_special_characters_survive_the_bibliographies_escaped(client, awkward, style):
    text = export(client, format="text", style=style)
    page = export(client, format="html", style=style)
    markdown = export(client, format="markdown", style=style)

    assert AWKWARD_AUTHOR in text and "Nov\u00e1 & Co Zeitung" in text
    assert awkward.quote in text
    assert "<b>" not in page and "&lt;b&gt;" in page
    assert "Nov\u00e1 &amp; Co Zeitung" in page
    assert AWKWARD_AUTHOR in page
    assert r"\<b\>" in markdown and r"\#1\_a" in markdown
    assert AWKWARD_AUTHOR in markdown


# The claim dossier -----------------------------------------------------------------


@pytest.mark.parametrize("format", ["markdown", "html"])
def test_a_claims_dossier_lists_every_statement_of_its_timeline(client, seeds, format):
    timeline = client.get(f"/api/v1/claims/{CLAIM}/timeline/").json()
    response = client.get(f"/api/v1/claims/{CLAIM}/dossier/", {"format": format})
    document = body(response)

    statement_ids = [s["id"] for s in timeline["statements"]]
    assert len(statement_ids) == 8
    shown = [int(n) for n in re.findall(r"\(statement (\d+)\)", document)]
    assert shown == statement_ids
    quotes = [c["quote"] for s in timeline["statements"] for c in s["citations"]]
    assert len(quotes) == 14
    for quote in quotes:
        assert (quote if format == "markdown" else html.escape(quote)) in document


def test_the_markdown_dossier_numbers_its_notes_into_the_bibliography(client, seeds):
    document = body(
        client.get(f"/api/v1/claims/{CLAIM}/dossier/", {"format": "markdown"})
    )

    used = set(re.findall(r"\u201d\[\^(\d+)\]", document))
    defined = re.findall(r"^\[\^(\d+)\]: (.+)$", document, flags=re.M)
    assert used == {number for number, _ in defined} == {"1", "2", "3"}
    assert defined[0] == (
        "1",
        GOLDEN["apa", 1]
        .replace("[", "\\[")
        .replace("]", "\\]")
        .replace("UrduPoint News.", "*UrduPoint News*."),
    )


def test_the_dossier_is_a_download_with_its_media_type(client, seeds):
    response = client.get(f"/api/v1/claims/{CLAIM}/dossier/", {"format": "html"})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert re.fullmatch(
        rf'attachment; filename="factdb-dossier-{CLAIM}-\d{{4}}-\d\d-\d\d\.html"',
        response["Content-Disposition"],
    )


# The API: downloads, errors, visibility, streaming, queries ---------------------

MEDIA = {
    "csl-json": ("application/vnd.citationstyles.csl+json; charset=utf-8", "json"),
    "bibtex": ("application/x-bibtex; charset=utf-8", "bib"),
    "ris": ("application/x-research-info-systems; charset=utf-8", "ris"),
    "csv": ("text/csv; charset=utf-8; header=present", "csv"),
    "text": ("text/plain; charset=utf-8", "txt"),
    "html": ("text/html; charset=utf-8", "html"),
    "markdown": ("text/markdown; charset=utf-8", "md"),
    "annotations": (
        'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"; '
        "charset=utf-8",
        "jsonld",
    ),
}


@pytest.mark.parametrize("format", list(MEDIA))
def test_every_format_is_a_streamed_download_with_its_media_type_and_filename(
    client, seeds, format
):
    response = client.get(EXPORT, {"format": format, "claim": CLAIM})

    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    media_type, extension = MEDIA[format]
    assert response["Content-Type"] == media_type
    style = "-apa" if format in ("text", "html", "markdown") else ""
    assert re.fullmatch(
        rf'attachment; filename="factdb-citations{style}-\d{{4}}-\d\d-\d\d\.'
        rf'{extension}"',
        response["Content-Disposition"],
    )
    assert body(response)


def test_the_style_is_in_the_filename_of_a_bibliography(client, seeds):
    response = client.get(
        EXPORT, {"format": "text", "style": "chicago-author-date", "source": 3}
    )

    assert "factdb-citations-chicago-author-date-" in response["Content-Disposition"]


def test_format_names_an_export_format_not_a_drf_renderer(client, seeds):
    # DRF reads ?format= for its own renderers and would answer 404 to "bibtex".
    assert client.get(EXPORT, {"format": "bibtex"}).status_code == 200
    assert client.get("/api/v1/statements/?format=json").status_code == 200
    assert client.get("/api/v1/statements/?format=api").status_code == 200


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        (
            {"format": "docx"},
            {
                "format": [
                    "Unknown format 'docx'. Valid formats: annotations, bibtex, "
                    "csl-json, csv, html, markdown, ris, text."
                ]
            },
        ),
        (
            {},
            {
                "format": [
                    "Choose a format. Valid formats: annotations, bibtex, csl-json, "
                    "csv, html, markdown, ris, text."
                ]
            },
        ),
        (
            {"format": "text", "style": "mla"},
            {"style": ["Unknown style 'mla'. Valid styles: apa, chicago-author-date."]},
        ),
        (
            {"format": "csv", "date_from": "2021-02-30"},
            {"date_from": ["Give an ISO date, YYYY-MM-DD, that exists."]},
        ),
        (
            {"format": "csv", "claim": "no-such-claim"},
            {"claim": ["No claim has the slug no-such-claim."]},
        ),
    ],
)
def test_bad_exports_are_a_400_listing_what_is_valid(client, seeds, params, expected):
    response = client.get(EXPORT, params)

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json() == expected


def test_an_unknown_export_parameter_is_refused_not_ignored(client, seeds):
    response = client.get(EXPORT, {"format": "csv", "claimm": CLAIM})

    assert response.status_code == 400
    assert list(response.json()) == ["claimm"]
    assert "claim, country" in response.json()["claimm"][0]


def test_an_unknown_dossier_format_is_a_400_and_an_unknown_claim_a_404(client, seeds):
    response = client.get(f"/api/v1/claims/{CLAIM}/dossier/", {"format": "pdf"})

    assert response.status_code == 400
    assert response.json() == {
        "format": ["Unknown format 'pdf'. Valid formats: html, markdown."]
    }
    missing = client.get("/api/v1/claims/nope/dossier/", {"format": "html"})
    assert missing.status_code == 404


def test_statement_filters_narrow_the_export(client, seeds):
    rows = list(
        csv.DictReader(
            io.StringIO(
                export(
                    client, format="csv", actor="china", stance="denies,rejects"
                ).lstrip("\ufeff")
            )
        )
    )

    assert {int(r["statement_id"]) for r in rows} == {
        4,
        17,
        19,
        22,
        31,
        32,
        35,
        56,
        58,
        60,
        61,
        63,
    }


def test_anonymous_readers_and_journalists_do_not_export_drafts(client, draft):
    for reader in (client, token_client()):
        rows = export(reader, format="csv", claim=CLAIM)
        assert f"\n{draft.pk}," not in rows
        assert str(draft.statement_id) not in [
            r["statement_id"]
            for r in csv.DictReader(io.StringIO(rows.lstrip("\ufeff")))
        ]


def test_editors_export_drafts(draft):
    editor = token_client("change_statement")

    rows = csv.DictReader(
        io.StringIO(export(editor, format="csv", claim=CLAIM).lstrip("\ufeff"))
    )

    assert draft.pk in [int(r["citation_id"]) for r in rows]


def test_drafts_stay_out_of_a_claims_dossier_for_readers(client, draft):
    document = body(
        client.get(f"/api/v1/claims/{CLAIM}/dossier/", {"format": "markdown"})
    )

    assert f"(statement {draft.statement_id})" not in document


@pytest.mark.parametrize("format", list(MEDIA))
def test_an_export_issues_the_same_queries_for_one_statement_as_for_all(
    client, seeds, format
):
    def queries(**filters) -> tuple[int, str]:
        with CaptureQueriesContext(connection) as captured:
            exported = export(client, format=format, **filters)
        return len(captured), exported

    # People on 2018-01-01: Bachelet's statement 11 alone, with its one citation.
    one, alone = queries(
        date_from="2018-01-01", date_to="2018-01-01", actor_kind="person"
    )
    everything, _ = queries()

    assert "first asked for access to the Xinjiang region" in alone

    # One query: the citations with their statements, actors, claims and sources
    # joined, the statements' filter as a subquery; and the rate limit's.
    assert one == everything == 1 + THROTTLE_QUERIES


# The admin action ------------------------------------------------------------------


def test_the_statement_admin_exports_the_selected_statements_citations(
    editor_client, seeds
):
    url = "/admin/claims/statement/"
    chosen = {"action": "export_citations", "_selected_action": ["4", "58"]}

    form = editor_client.post(url, chosen)
    download = editor_client.post(
        url, {**chosen, "export": "yes", "format": "bibtex", "style": "apa"}
    )

    assert form.status_code == 200
    assert "Export the citations backing 2 selected statements" in form.content.decode()
    assert download.status_code == 200
    assert download["Content-Type"] == "application/x-bibtex; charset=utf-8"
    assert download["Content-Disposition"].startswith(
        'attachment; filename="factdb-citations-'
    )
    library = bibtexparser.parse_string(b"".join(download.streaming_content).decode())
    assert [e.key for e in library.entries] == [
        "chaudhrymali88_2021_untitled_1",
        "fahadshabbir_2021_untitled_2",
        "thestraitstimes_nd_beijing_3",
    ]


def test_the_claim_admin_exports_the_citations_of_the_selected_claims(
    editor_client, seeds
):
    claim_id = Statement.objects.get(pk=1).claim_id
    response = editor_client.post(
        "/admin/claims/claim/",
        {
            "action": "export_citations",
            "_selected_action": [str(claim_id)],
            "export": "yes",
            "format": "text",
            "style": "chicago-author-date",
        },
    )

    text = b"".join(response.streaming_content).decode()
    assert GOLDEN["chicago-author-date", 1] in text
    assert response["Content-Type"] == "text/plain; charset=utf-8"


# The management commands -------------------------------------------------------


def test_the_command_writes_bibtex_for_a_claim_to_stdout_and_a_summary_to_stderr(
    seeds,
):
    out, err = io.StringIO(), io.StringIO()

    call_command(
        "export_citations",
        "--format",
        "bibtex",
        "--claim",
        CLAIM,
        stdout=out,
        stderr=err,
    )

    api = export(APIClient(), format="bibtex", claim=CLAIM)
    assert out.getvalue() == api
    assert err.getvalue() == (
        "Exported 9 citation(s) of 3 source(s) as bibtex in "
        + re.search(r"in (\d+\.\d\d) s", err.getvalue()).group(1)
        + " s.\n"
    )


def test_the_command_takes_the_api_filters_and_writes_a_file(seeds, tmp_path):
    target = tmp_path / "denials.csv"

    call_command(
        "export_citations",
        "--format",
        "csv",
        "--actor",
        "china",
        "--stance",
        "denies,rejects",
        "--output",
        str(target),
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )

    rows = list(csv.DictReader(io.StringIO(target.read_text("utf-8-sig"))))
    assert {int(r["statement_id"]) for r in rows} == {
        4,
        17,
        19,
        22,
        31,
        32,
        35,
        56,
        58,
        60,
        61,
        63,
    }


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--format", "rtf"], "--format: Unknown format 'rtf'."),
        (["--format", "text", "--style", "mla"], "--style: Unknown style 'mla'."),
        (
            ["--format", "csv", "--date-from", "2021-02-30"],
            "--date-from: Give an ISO date, YYYY-MM-DD, that exists.",
        ),
        (["--format", "csv", "--actor-exact", "nobody"], "--actor-exact: No actor"),
    ],
)
def test_bad_command_options_are_a_command_error_naming_the_option(
    seeds, arguments, message
):
    with pytest.raises(CommandError, match=re.escape(message)):
        call_command("export_citations", *arguments, stdout=io.StringIO())


def test_the_command_leaves_drafts_out_unless_asked(draft):
    def citation_ids(*extra: str) -> set[int]:
        out = io.StringIO()
        call_command(
            "export_citations",
            "--format",
            "csv",
            *extra,
            stdout=out,
            stderr=io.StringIO(),
        )
        rows = csv.DictReader(io.StringIO(out.getvalue().lstrip("\ufeff")))
        return {int(r["citation_id"]) for r in rows}

    assert draft.pk not in citation_ids()
    assert draft.pk in citation_ids("--include-drafts")


def test_the_benchmark_measures_every_format_and_leaves_the_database_as_it_was(
    seeds, tmp_path
):
    report = tmp_path / "benchmarks.md"
    out = io.StringIO()

    call_command(
        "benchmark_exports",
        "--citations",
        "40",
        "--per-source",
        "10",
        "--report",
        str(report),
        stdout=out,
        stderr=io.StringIO(),
    )

    assert Citation.objects.count() == 103
    assert Source.objects.count() == 12
    lines = out.getvalue().splitlines()
    assert [line.split(" | ")[0].strip("| ") for line in lines[2:]] == list(
        exports.EXPORTERS
    )
    assert all(line.split(" | ")[1] == "40" for line in lines[2:])
    assert "40 citations, 10 per source" in report.read_text()
