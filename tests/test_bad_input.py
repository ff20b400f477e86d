"""Bad input to the API is a 4xx whose body names what is wrong, never a 500, and
writes nothing: no statement, citation or source, and no history row of one."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from claims.models import Citation, Source, Statement
from tests.helpers import api_client, member_of

REPO_ROOT = Path(__file__).resolve().parent.parent
CLAIM = "xinjiang-camps-sexual-violence"
# Statement 4 (Wang Wenbin rejects the BBC's report) is cited from source 1.
STATEMENT, SOURCE = 4, 1
NUL_REFUSED = ["Null characters are not allowed."]
WRITABLE_CITATION_FIELDS = (
    "attribution, prefix, quote, quote_kind, source, start, statement, suffix, "
    "translation, translator"
)


@pytest.fixture
def editor_api(seeds):
    """An editor's token client (the Editors group of migration 0007_roles)."""
    return api_client(member_of("Editors"))


def rows() -> dict[str, int]:
    """Every table a write through the API could touch."""
    return {
        model.__name__: model.objects.count()
        for base in (Statement, Citation, Source)
        for model in (base, base.history.model)
    }


@pytest.fixture
def nothing_written(seeds):
    """Asserts, after the test, that the tables hold what they held before."""
    before = rows()
    yield
    assert rows() == before


def statement_body(**changes) -> dict:
    return {
        "actor": "china",
        "stance": "denies",
        "made_on": "2022-09-01",
        "claim": CLAIM,
        "summary": "China denies it.",
        **changes,
    }


def citation_body(**changes) -> dict:
    return {
        "statement": STATEMENT,
        "source": SOURCE,
        "quote": "rejected reports of systematic rape",
        **changes,
    }


# Sizes ----------------------------------------------------------------------------


def test_a_body_over_the_upload_limit_is_a_413_saying_the_limit(
    editor_api, nothing_written, settings
):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    body = json.dumps(citation_body(quote="x" * 10_000))

    response = editor_api.post(
        "/api/v1/citations/", body, content_type="application/json"
    )

    assert response.status_code == 413
    assert response.json() == {
        "detail": "The request body is larger than the 10000 bytes the server accepts."
    }


def test_the_upload_limit_comes_from_the_environment():
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import factdb.settings as s; print(s.DATA_UPLOAD_MAX_MEMORY_SIZE)",
        ],
        cwd=REPO_ROOT,
        env={"PATH": os.environ["PATH"], "DJANGO_DATA_UPLOAD_MAX_MEMORY_SIZE": "5000"},
        capture_output=True,
        text=True,
        check=True,
    )

    assert result.stdout == "5000\n"


def test_a_one_megabyte_quote_is_refused_by_its_length(editor_api, nothing_written):
    response = editor_api.post(
        "/api/v1/citations/", citation_body(quote="x" * 1024 * 1024), format="json"
    )

    assert response.status_code == 400
    assert response.json() == {
        "quote": ["Ensure this field has no more than 20000 characters."]
    }


def test_a_json_lines_import_over_the_import_limit_is_refused_unread(
    editor_api, nothing_written, settings
):
    settings.FACTDB_IMPORT_MAX_BYTES = 1000
    line = json.dumps({"text": "x" * 2000}) + "\n"

    response = editor_api.post(
        "/api/v1/sources/import/", line * 100, content_type="application/x-ndjson"
    )

    assert response.status_code == 200
    [result] = response.json()["results"]
    assert result["outcome"] == "failed"
    assert result["reason"] == "too large (201,300 bytes; the limit is 1,000 bytes)"


# NUL characters: PostgreSQL cannot store them, SQLite could. -------------------------


@pytest.mark.parametrize("field", ["summary", "context"])
def test_a_nul_character_in_a_statement_is_refused_naming_the_field(
    editor_api, nothing_written, field
):
    response = editor_api.post(
        "/api/v1/statements/", statement_body(**{field: "a\x00b"}), format="json"
    )

    assert response.status_code == 400
    assert response.json() == {field: NUL_REFUSED}


@pytest.mark.parametrize("field", ["actor", "on_behalf_of", "claim"])
def test_a_nul_character_in_a_slug_is_refused_naming_the_field(
    editor_api, nothing_written, field
):
    response = editor_api.post(
        "/api/v1/statements/", statement_body(**{field: "chi\x00na"}), format="json"
    )

    assert response.status_code == 400
    assert response.json() == {field: NUL_REFUSED}


@pytest.mark.parametrize(
    "field", ["quote", "prefix", "suffix", "attribution", "translation", "translator"]
)
def test_a_nul_character_in_a_citation_is_refused_naming_the_field(
    editor_api, nothing_written, field
):
    response = editor_api.post(
        "/api/v1/citations/", citation_body(**{field: "a\x00b"}), format="json"
    )

    assert response.status_code == 400
    assert response.json() == {field: NUL_REFUSED}


def test_a_nul_character_in_a_change_is_refused_and_the_statement_kept(
    editor_api, nothing_written
):
    etag = editor_api.get(f"/api/v1/statements/{STATEMENT}/")["ETag"]

    response = editor_api.patch(
        f"/api/v1/statements/{STATEMENT}/",
        {"summary": "\x00"},
        format="json",
        HTTP_IF_MATCH=etag,
    )

    assert response.status_code == 400
    assert response.json() == {"summary": NUL_REFUSED}
    assert "\x00" not in Statement.objects.get(pk=STATEMENT).summary


@pytest.mark.parametrize(
    "url,parameter",
    [
        ("/api/v1/statements/?actor=chi%00na", "actor"),
        ("/api/v1/statements/?q=chi%00na", "q"),
        ("/api/v1/claims/?q=%22chi%00na%22", "q"),
        ("/api/v1/search/?q=chi%00na", "q"),
    ],
)
def test_a_nul_character_in_a_parameter_is_a_400_naming_it(
    client, seeds, url, parameter
):
    response = client.get(url)

    assert response.status_code == 400
    assert response.json() == {parameter: NUL_REFUSED}


def test_a_nul_character_in_an_address_is_a_404(client, seeds):
    response = client.get("/api/v1/actors/chi%00na/")

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_a_json_lines_document_with_a_nul_character_is_reported_and_not_stored(
    editor_api, nothing_written
):
    line = json.dumps({"text": "Beijing rejects the report.", "title": "A\x00B"})

    response = editor_api.post(
        "/api/v1/sources/import/", line, content_type="application/x-ndjson"
    )

    assert response.status_code == 200
    assert response.json()["results"] == [
        {
            "name": "request body.jsonl:1",
            "outcome": "failed",
            "source": None,
            "reason": "title: NUL characters are not text",
            "suggestions": 0,
        }
    ]


# Pages ------------------------------------------------------------------------------


def test_a_page_past_the_last_is_a_404(client, seeds):
    response = client.get("/api/v1/statements/?page=999999")

    assert response.status_code == 404
    assert response.json() == {"detail": "Invalid page."}


@pytest.mark.parametrize(
    "query,parameter,limit,value",
    [
        ("page=abc", "page", 1_000_000_000, "abc"),
        ("page=0", "page", 1_000_000_000, "0"),
        ("page=10000000000", "page", 1_000_000_000, "10000000000"),
        ("page_size=100000000000000000000", "page_size", 200, "100000000000000000000"),
        ("page_size=-1", "page_size", 200, "-1"),
    ],
)
def test_a_page_or_page_size_out_of_range_is_a_400_naming_it(
    client, seeds, query, parameter, limit, value
):
    response = client.get(f"/api/v1/statements/?{query}")

    assert response.status_code == 400
    assert response.json() == {
        parameter: [f"Must be a whole number from 1 to {limit}; got '{value}'."]
    }


# Encodings and syntax -----------------------------------------------------------------


def test_a_body_that_is_not_utf8_is_a_400(editor_api, nothing_written):
    response = editor_api.post(
        "/api/v1/citations/",
        b'{"quote": "\xff\xfe", "statement": 4, "source": 1}',
        content_type="application/json",
    )

    assert response.status_code == 400
    assert response.json() == {
        "detail": "JSON parse error - 'utf-8' codec can't decode byte 0xff in "
        "position 11: invalid start byte"
    }


def test_a_query_string_that_is_not_utf8_is_read_with_replacement_characters(
    client, seeds
):
    response = client.get("/api/v1/statements/", QUERY_STRING="actor=%ff%fe")

    assert response.status_code == 400
    assert response.json() == {"actor": ["No actor has the slug \ufffd\ufffd."]}


def test_malformed_json_is_a_400_saying_where(editor_api, nothing_written):
    response = editor_api.post(
        "/api/v1/citations/", '{"quote": ', content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json() == {
        "detail": "JSON parse error - Expecting value: line 1 column 11 (char 10)"
    }


def test_json_nested_too_deeply_is_a_400_not_a_crash(editor_api, nothing_written):
    response = editor_api.post(
        "/api/v1/statements/",
        "[" * 100_000 + "]" * 100_000,
        content_type="application/json",
    )

    assert response.status_code == 400
    assert response.json() == {
        "detail": "JSON parse error - arrays or objects are nested too deeply."
    }


def test_a_json_lines_line_nested_too_deeply_is_reported(editor_api, nothing_written):
    body = "[" * 100_000 + "]" * 100_000

    response = editor_api.post(
        "/api/v1/sources/import/", body, content_type="application/x-ndjson"
    )

    assert response.status_code == 200
    [result] = response.json()["results"]
    assert (result["outcome"], result["reason"]) == (
        "failed",
        "not valid JSON (nested too deeply)",
    )


@pytest.mark.parametrize("body,kind", [("[1, 2]", "list"), ("7", "int")])
def test_a_body_that_is_not_an_object_is_a_400(editor_api, nothing_written, body, kind):
    response = editor_api.post(
        "/api/v1/citations/", body, content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": [f"Invalid data. Expected a dictionary, but got {kind}."]
    }


def test_a_body_in_an_unknown_media_type_is_a_415(editor_api, nothing_written):
    response = editor_api.post("/api/v1/citations/", "quote", content_type="text/csv")

    assert response.status_code == 415
    assert response.json() == {
        "detail": 'Unsupported media type "text/csv" in request.'
    }


# Fields -------------------------------------------------------------------------------


def test_an_unknown_field_is_refused_naming_it(editor_api, nothing_written):
    response = editor_api.post(
        "/api/v1/citations/", citation_body(colour="red"), format="json"
    )

    assert response.status_code == 400
    assert response.json() == {
        "colour": [f"Unknown field. Writable fields: {WRITABLE_CITATION_FIELDS}."]
    }


@pytest.mark.parametrize(
    "path,body,expected",
    [
        (
            "citations",
            citation_body(statement="four"),
            {"statement": ["Incorrect type. Expected pk value, received str."]},
        ),
        (
            "citations",
            citation_body(quote=["rejected", "reports"]),
            {"quote": ["Not a valid string."]},
        ),
        (
            "citations",
            citation_body(start="first"),
            {"start": ["A valid integer is required."]},
        ),
        (
            "statements",
            statement_body(made_on={"year": 2022}),
            {
                "made_on": [
                    "Date has wrong format. Use one of these formats instead: "
                    "YYYY-MM-DD."
                ]
            },
        ),
        (
            "statements",
            statement_body(stance=["denies"]),
            {"stance": ["\"['denies']\" is not a valid choice."]},
        ),
    ],
)
def test_a_value_of_the_wrong_type_is_refused_naming_the_field(
    editor_api, nothing_written, path, body, expected
):
    response = editor_api.post(f"/api/v1/{path}/", body, format="json")

    assert response.status_code == 400
    assert response.json() == expected


@pytest.mark.parametrize(
    "path,body,expected",
    [
        (
            "statements",
            statement_body(actor="nobody"),
            {"actor": ["Object with slug=nobody does not exist."]},
        ),
        (
            "statements",
            statement_body(responds_to=999_999),
            {"responds_to": ['Invalid pk "999999" - object does not exist.']},
        ),
        (
            "citations",
            citation_body(statement=2**63),
            {"statement": [f'Invalid pk "{2**63}" - object does not exist.']},
        ),
    ],
)
def test_a_record_that_does_not_exist_is_refused_naming_the_field(
    editor_api, nothing_written, path, body, expected
):
    response = editor_api.post(f"/api/v1/{path}/", body, format="json")

    assert response.status_code == 400
    assert response.json() == expected


def test_a_citation_already_recorded_is_a_400_not_a_database_error(
    editor_api, nothing_written
):
    cited = Citation.objects.filter(statement=STATEMENT).order_by("pk").first()
    body = citation_body(quote=cited.quote, source=cited.source_id)

    response = editor_api.post("/api/v1/citations/", body, format="json")

    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": [
            "Citation with this Statement, Source, Start and End already exists."
        ]
    }


# Addresses and methods ------------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["/api/v1/statements/1.5/", "/api/v1/claims/no such claim/dossier/"]
)
def test_an_address_the_api_does_not_have_is_a_json_404(client, seeds, url):
    response = client.get(url)

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_a_method_a_route_does_not_have_is_a_405_whatever_its_parameters(
    editor_api, nothing_written
):
    response = editor_api.put("/api/v1/actors/?colour=red")

    assert response.status_code == 405
    assert response.json() == {"detail": 'Method "PUT" not allowed.'}
