"""Importing sources: metadata of each seed format, duplicates and new versions,
bad files, one transaction per file, the command and the API endpoint."""

import datetime
import json
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.db import DatabaseError
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from claims import importing, services
from claims.models import Actor, Citation, Source, StatementSuggestion
from claims.services import attach_citation

REPO_ROOT = Path(__file__).resolve().parent.parent
# The seed articles as stored in the fixtures (CI has no ../shared/seeds).
SEED_TEXTS = {
    record["pk"]: record["fields"]["text"]
    for record in json.loads((REPO_ROOT / "fixtures" / "sources.json").read_text())
    if record["fields"]["text"]
}
SEED_FILES = {
    1: "000_6dc838de326eaeef.txt",
    2: "001_486956cdb482ad3f.txt",
    3: "002_da1380f88a4503e2.txt",
    4: "003_d61d0ace0e93438c.txt",
    5: "004_2f0960988f8fbfd8.txt",
}
MAX_BYTES = 5 * 1024 * 1024


@pytest.fixture
def known_actors(db):
    """The seed actors and claims, without the seed sources and statements."""
    call_command(
        "loaddata",
        str(REPO_ROOT / "fixtures" / "actors.json"),
        str(REPO_ROOT / "fixtures" / "claims.json"),
        verbosity=0,
    )


def write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return path


def run_import(*paths: Path) -> tuple[str, str]:
    from io import StringIO

    out, err = StringIO(), StringIO()
    call_command("import_sources", *map(str, paths), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def metadata(document: importing.ImportedDocument) -> dict:
    fields = vars(document).copy()
    del fields["text"], fields["name"]
    return fields


# Metadata of each seed format -------------------------------------------------------

NO_METADATA = {
    "kind": "news_article",
    "title": "",
    "url": "",
    "publisher": "",
    "wire": "",
    "byline": "",
    "dateline": "",
    "published_on": None,
    "published_time": None,
    "language": "en",
}


@pytest.mark.parametrize(
    ("pk", "expected"),
    [
        # 000: the `date` header with a handle, and an agency dateline.
        (
            1,
            {
                "publisher": "UrduPoint News",
                "wire": "Sputnik",
                "byline": "@ChaudhryMAli88",
                "dateline": "BEIJING (UrduPoint News / Sputnik - 04th February, 2021)",
                "published_on": datetime.date(2021, 2, 4),
            },
        ),
        (
            2,
            {
                "publisher": "UrduPoint News",
                "wire": "Sputnik",
                "byline": "@FahadShabbir",
                "dateline": "UNITED NATIONS (UrduPoint News / Sputnik - 05th "
                "February, 2021)",
                "published_on": datetime.date(2021, 2, 5),
            },
        ),
        # 002: a title line and a place dateline; no date is printed.
        (
            3,
            {
                "title": "Beijing slams UN report which finds serious human rights "
                "violations in Xinjiang",
                "dateline": "BEIJING",
            },
        ),
        # 003: a title and "Published 13.02.2019 00:21".
        (
            4,
            {
                "title": "China rejects mass detention of Muslims in Xinjiang",
                "published_on": datetime.date(2019, 2, 13),
                "published_time": datetime.time(0, 21),
            },
        ),
        # 004: the `date` header on the first line of the text itself.
        (5, {"published_on": datetime.date(2022, 9, 2)}),
    ],
)
def test_each_seed_articles_metadata_is_parsed_to_the_editors_values(pk, expected):
    document = importing.parse_plain_text(SEED_FILES[pk], SEED_TEXTS[pk])

    assert metadata(document) == {**NO_METADATA, **expected}
    assert document.text == SEED_TEXTS[pk]


def test_the_seed_articles_import_with_their_publisher_matched_by_name(
    known_actors, tmp_path
):
    for pk, name in SEED_FILES.items():
        write(tmp_path, name, SEED_TEXTS[pk])

    out, err = run_import(tmp_path)

    assert out.splitlines()[-1] == (
        "5 imported, 0 duplicate(s), 0 new version(s), 0 failed; "
        f"{StatementSuggestion.objects.count()} statement suggestion(s)."
    )
    assert err.rstrip().endswith(
        "[##############################] 5/5 004_2f0960988f8fbfd8.txt"
    )
    rows = list(
        Source.objects.order_by("pk").values_list(
            "publisher__slug",
            "byline",
            "dateline",
            "published_on",
            "published_time",
            "title",
            "text_sha256",
        )
    )
    seeds = json.loads((REPO_ROOT / "fixtures" / "sources.json").read_text())
    hashes = {record["pk"]: record["fields"]["text_sha256"] for record in seeds}
    assert rows == [
        (
            "urdupoint-news",
            "@ChaudhryMAli88",
            "BEIJING (UrduPoint News / Sputnik - 04th February, 2021)",
            datetime.date(2021, 2, 4),
            None,
            "",
            hashes[1],
        ),
        (
            "urdupoint-news",
            "@FahadShabbir",
            "UNITED NATIONS (UrduPoint News / Sputnik - 05th February, 2021)",
            datetime.date(2021, 2, 5),
            None,
            "",
            hashes[2],
        ),
        (
            None,
            "",
            "BEIJING",
            None,
            None,
            "Beijing slams UN report which finds serious human rights violations "
            "in Xinjiang",
            hashes[3],
        ),
        (
            None,
            "",
            "",
            datetime.date(2019, 2, 13),
            datetime.time(0, 21),
            "China rejects mass detention of Muslims in Xinjiang",
            hashes[4],
        ),
        (None, "", "", datetime.date(2022, 9, 2), None, "", hashes[5]),
    ]
    assert [s.text for s in Source.objects.order_by("pk")] == [
        SEED_TEXTS[pk] for pk in SEED_FILES
    ]


def test_a_publisher_is_matched_by_alias_and_an_unknown_one_noted(
    known_actors, tmp_path
):
    path = write(
        tmp_path,
        "articles.jsonl",
        json.dumps({"text": "One article.", "publisher": "Straits Times"})
        + "\n"
        + json.dumps({"text": "Another article.", "publisher": "The Daily Planet"}),
    )

    run_import(path)

    first, second = Source.objects.order_by("pk")
    assert first.publisher.slug == "the-straits-times"
    assert second.publisher is None
    assert second.notes == (
        f"Imported from {path}:2. Publisher as printed, not a known media actor: "
        "The Daily Planet."
    )


def test_html_is_imported_as_its_article_text_with_the_metadata_of_its_meta_tags(
    known_actors, tmp_path
):
    html = """<!doctype html><html lang="en-GB"><head>
    <title>Ignored | Site</title>
    <meta property="og:title" content="China rejects the report">
    <meta property="og:site_name" content="The Straits Times">
    <meta property="article:published_time" content="2022-09-01T18:05:00+08:00">
    <meta name="author" content="Jane Doe">
    <link rel="canonical" href="https://example.org/china-rejects">
    <script>var tracking = 1;</script></head>
    <body><nav>Home | World</nav><header>Menu</header>
    <article><h1>China rejects the report</h1>
    <p>BEIJING - China  rejected the report on <b>Thursday</b>.</p>
    <p>&ldquo;It is a farce,&rdquo; a spokesman said.</p></article>
    <footer>Copyright</footer></body></html>"""
    path = write(tmp_path, "page.html", html)

    run_import(path)

    source = Source.objects.get()
    assert source.text == (
        "China rejects the report\n\nBEIJING - China rejected the report on "
        "Thursday.\n\n\u201cIt is a farce,\u201d a spokesman said."
    )
    assert (
        source.title,
        source.publisher.slug,
        source.byline,
        source.published_on,
        source.published_time,
        source.url,
        source.language,
        source.dateline,
    ) == (
        "China rejects the report",
        "the-straits-times",
        "Jane Doe",
        datetime.date(2022, 9, 1),
        datetime.time(18, 5),
        "https://example.org/china-rejects",
        "en-GB",
        "BEIJING",
    )


# Duplicates and new versions --------------------------------------------------------


def test_the_same_text_imported_twice_is_stored_once_and_reported(
    known_actors, tmp_path
):
    first = write(tmp_path, "a.txt", SEED_TEXTS[1])
    again = write(tmp_path, "copy.txt", SEED_TEXTS[1])

    out, _ = run_import(first, again)

    source = Source.objects.get()
    assert out.splitlines()[0] == (
        f"duplicate: {again}: the same text is already stored as source {source.pk}"
    )
    assert out.splitlines()[-1].startswith(
        "1 imported, 1 duplicate(s), 0 new version(s), 0 failed;"
    )


def test_the_seed_articles_are_duplicates_of_the_seed_fixtures(seeds, tmp_path):
    for pk, name in SEED_FILES.items():
        write(tmp_path, name, SEED_TEXTS[pk])
    before = Source.objects.count()

    out, _ = run_import(tmp_path)

    assert Source.objects.count() == before
    assert out.splitlines() == [
        *(
            f"duplicate: {tmp_path / name}: the same text is already stored as "
            f"source {pk}"
            for pk, name in SEED_FILES.items()
        ),
        "0 imported, 5 duplicate(s), 0 new version(s), 0 failed; 0 statement "
        "suggestion(s).",
    ]


def test_a_changed_text_at_a_known_url_is_a_new_version_and_the_cited_one_is_kept(
    known_actors, tmp_path, make_statement
):
    url = "https://example.org/article"
    old_text = "Wang Wenbin rejected the report. It is a farce."
    run_import(write(tmp_path, "v1.jsonl", json.dumps({"text": old_text, "url": url})))
    old = Source.objects.get()
    citation = attach_citation(
        statement=make_statement(Actor.objects.get(slug="wang-wenbin")),
        source=old,
        quote="It is a farce.",
    )
    new_text = "Wang Wenbin rejected the UN report on Thursday. It is a farce."

    out, _ = run_import(
        write(tmp_path, "v2.jsonl", json.dumps({"text": new_text, "url": url}))
    )

    new = Source.objects.exclude(pk=old.pk).get()
    assert out.splitlines()[0] == (
        f"new version: {tmp_path / 'v2.jsonl'}:1: source {new.pk}, a new version of "
        f"source {old.pk}"
    )
    assert (new.text, new.url, new.previous_version) == (new_text, url, old)
    old.refresh_from_db()
    assert (old.text, old.previous_version) == (old_text, None)
    assert list(Citation.objects.values_list("source", "start", "end", "quote")) == [
        (old.pk, citation.start, citation.end, "It is a farce.")
    ]
    # A third text at the URL follows the latest version.
    run_import(write(tmp_path, "v3.jsonl", json.dumps({"text": "Third.", "url": url})))
    assert Source.objects.get(text="Third.").previous_version == new


# Bad files --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        (
            "latin1.txt",
            "Caf\u00e9 au lait.".encode("latin-1"),
            "not UTF-8 (byte 0xe9 at offset 3 cannot be decoded); save it as UTF-8 "
            "and import it again",
        ),
        ("empty.txt", b"", "empty file (no text)"),
        ("blank.txt", b" \n\n \t\n", "empty file (no text)"),
        (
            "image.png",
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
            "binary file (it contains NUL bytes), not text",
        ),
        ("big.txt", b"x" * 101, "too large (101 bytes; the limit is 100 bytes)"),
        ("empty.jsonl", b"\n\n", "empty file (no text)"),
        (
            "page.html",
            b"<html><body><nav>Only a menu</nav></body></html>",
            "no article text found in the HTML",
        ),
    ],
)
def test_a_bad_file_is_reported_with_its_reason_and_nothing_written(
    known_actors, tmp_path, settings, name, content, reason
):
    settings.FACTDB_IMPORT_MAX_BYTES = 100
    bad = write(tmp_path, name, content)
    good = write(tmp_path, "good.txt", "A good article.")

    out, _ = run_import(bad, good)

    assert out.splitlines() == [
        f"failed: {bad}: {reason}",
        "1 imported, 0 duplicate(s), 0 new version(s), 1 failed; 0 statement "
        "suggestion(s).",
    ]
    assert list(Source.objects.values_list("text", flat=True)) == ["A good article."]


def test_a_malformed_json_line_is_reported_and_skipped(known_actors, tmp_path):
    path = write(
        tmp_path,
        "feed.jsonl",
        "\n".join(
            [
                json.dumps({"text": "First.", "title": "One"}),
                "{not json",
                json.dumps({"title": "No text"}),
                json.dumps({"text": "Bad date.", "published_on": "13.02.2019"}),
                json.dumps({"text": "Odd key.", "headline": "x"}),
                json.dumps({"text": "Bad kind.", "kind": "novel"}),
                json.dumps({"text": "Last.", "published_on": "2022-09-02"}),
            ]
        ),
    )

    out, _ = run_import(path)

    assert out.splitlines() == [
        f"failed: {path}:2: not valid JSON (Expecting property name enclosed in "
        "double quotes at column 2)",
        f"failed: {path}:3: no text (the `text` key is missing or empty)",
        f"failed: {path}:4: published_on '13.02.2019' is not an ISO date (YYYY-MM-DD)",
        f"failed: {path}:5: unknown key(s) headline; allowed: byline, dateline, "
        "kind, language, published_on, published_time, publisher, text, title, url",
        f"failed: {path}:6: kind: Value 'novel' is not a valid choice.",
        "2 imported, 0 duplicate(s), 0 new version(s), 5 failed; 0 statement "
        "suggestion(s).",
    ]
    assert list(
        Source.objects.order_by("pk").values_list("text", "title", "published_on")
    ) == [("First.", "One", None), ("Last.", "", datetime.date(2022, 9, 2))]


def test_a_failure_in_the_middle_of_a_file_leaves_nothing_of_it(
    known_actors, tmp_path, monkeypatch
):
    real = services.suggest_statements
    calls = []

    def fail_on_the_second(**kwargs):
        calls.append(kwargs["source"].text)
        if len(calls) == 2:
            raise DatabaseError("disk full")
        return real(**kwargs)

    monkeypatch.setattr(services, "suggest_statements", fail_on_the_second)
    lines = [json.dumps({"text": f"Article {n}."}) for n in (1, 2, 3)]
    broken = write(tmp_path, "broken.jsonl", "\n".join(lines))
    fine = write(tmp_path, "fine.txt", "Another article.")

    out, _ = run_import(broken, fine)

    assert out.splitlines() == [
        f"failed: {broken}: database error: disk full",
        "1 imported, 0 duplicate(s), 0 new version(s), 1 failed; 0 statement "
        "suggestion(s).",
    ]
    assert list(Source.objects.values_list("text", flat=True)) == ["Another article."]


def test_a_missing_path_is_reported(db, tmp_path):
    out, _ = run_import(tmp_path / "nowhere.txt")

    assert out.splitlines()[0] == (
        f"failed: {tmp_path / 'nowhere.txt'}: cannot be read (No such file or "
        "directory)"
    )


# The API endpoint -------------------------------------------------------------------


def token_client(*codenames: str) -> APIClient:
    user = get_user_model().objects.create_user(username=f"u-{'-'.join(codenames)}")
    for codename in codenames:
        user.user_permissions.add(Permission.objects.get(codename=codename))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user)}")
    return client


IMPORT_URL = "/api/v1/sources/import/"


def test_only_editors_import_through_the_api(known_actors, tmp_path):
    upload = {"files": [(tmp_path / "a.txt").open("w+b")]}

    anonymous = APIClient().post(IMPORT_URL, upload, format="multipart")
    journalist = token_client().post(IMPORT_URL, upload, format="multipart")

    assert (anonymous.status_code, journalist.status_code) == (401, 403)
    assert journalist.json() == {
        "detail": "Importing sources is for editors (permission claims.add_source)."
    }
    assert not Source.objects.exists()


def test_an_editor_uploads_files_and_gets_the_summary(known_actors, tmp_path):
    write(tmp_path, "000.txt", SEED_TEXTS[1])
    write(tmp_path, "bad.txt", b"\x00\x01")
    editor = token_client("add_source")

    with (
        (tmp_path / "000.txt").open("rb") as article,
        (tmp_path / "bad.txt").open("rb") as bad,
    ):
        response = editor.post(
            IMPORT_URL, {"files": [article, bad]}, format="multipart"
        )

    source = Source.objects.get()
    suggestions = StatementSuggestion.objects.filter(source=source).count()
    assert response.status_code == 200
    assert response.json() == {
        "imported": 1,
        "duplicates": 0,
        "new_versions": 0,
        "failed": 1,
        "suggestions": suggestions,
        "results": [
            {
                "name": "000.txt",
                "outcome": "imported",
                "source": source.pk,
                "reason": "",
                "suggestions": suggestions,
            },
            {
                "name": "bad.txt",
                "outcome": "failed",
                "source": None,
                "reason": "binary file (it contains NUL bytes), not text",
                "suggestions": 0,
            },
        ],
    }
    assert source.publisher.slug == "urdupoint-news"
    assert suggestions > 0


def test_an_editor_posts_json_lines_as_the_body(known_actors):
    body = json.dumps({"text": "First.", "url": "https://example.org/1"}) + "\n{oops"

    response = token_client("add_source").post(
        IMPORT_URL, body, content_type="application/x-ndjson"
    )

    assert response.status_code == 200
    results = response.json()["results"]
    assert [(r["name"], r["outcome"], r["reason"]) for r in results] == [
        ("request body.jsonl:1", "imported", ""),
        (
            "request body.jsonl:2",
            "failed",
            "not valid JSON (Expecting property name enclosed in double quotes at "
            "column 2)",
        ),
    ]
    assert list(Source.objects.values_list("url", flat=True)) == [
        "https://example.org/1"
    ]


def test_an_import_without_files_is_a_400(known_actors):
    editor = token_client("add_source")

    empty = editor.post(IMPORT_URL, {}, format="multipart")
    unknown_parameter = editor.post(f"{IMPORT_URL}?dry_run=1", {}, format="multipart")
    json_body = editor.post(IMPORT_URL, {"text": "x"}, format="json")

    assert empty.status_code == 400
    assert empty.json() == {
        "files": [
            "Send one or more files as multipart form data, or JSON Lines as the "
            "body (Content-Type: application/x-ndjson)."
        ]
    }
    assert unknown_parameter.status_code == 400
    assert list(unknown_parameter.json()) == ["dry_run"]
    assert json_body.status_code == 415
    assert not Source.objects.exists()


def test_an_upload_over_the_limit_is_refused_as_too_large(
    known_actors, tmp_path, settings
):
    settings.FACTDB_IMPORT_MAX_BYTES = 10
    path = write(tmp_path, "long.txt", "A long article text.")

    with path.open("rb") as upload:
        response = token_client("add_source").post(
            IMPORT_URL, {"files": [upload]}, format="multipart"
        )

    assert response.json()["results"][0]["reason"] == (
        "too large (20 bytes; the limit is 10 bytes)"
    )
    assert not Source.objects.exists()
