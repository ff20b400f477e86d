"""Every write is atomic: a failure at the third citation of a statement (or at the
third document of an imported file) leaves no statement, no citation, no source and
no history row of them, whatever path wrote them."""

import json
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, IntegrityError
from django.urls import reverse
from helpers import api_client, member_of
from simple_history.models import HistoricalRecords

from claims.models import Citation, Source, Statement, StatementSuggestion
from claims.services import accept_suggestion, import_file

QUOTES = (
    "The camps are vocational training centres.",
    "Nobody is detained against their will.",
    "The report is a hodgepodge of false information.",
)
TEXT = (
    f"BEIJING - Spokesman Wang Wenbin said: {QUOTES[0]} He added: {QUOTES[1]} "
    f"And he concluded: {QUOTES[2]}"
)


def recorded() -> dict[str, int]:
    """How many records, and history rows of them, the database holds."""
    return {
        "statements": Statement.objects.count(),
        "citations": Citation.objects.count(),
        "sources": Source.objects.count(),
        "suggestions": StatementSuggestion.objects.count(),
        "statement history": Statement.history.count(),
        "citation history": Citation.history.count(),
        "source history": Source.history.count(),
    }


def failing_on_call(number: int, original, error: Exception):
    """A stand-in for a model's save() that raises `error` on its `number`th call
    and saves normally otherwise."""
    calls = 0

    def save(self, *args, **kwargs):
        nonlocal calls
        calls += 1
        if calls == number:
            raise error
        return original(self, *args, **kwargs)

    return save


def history_failing_on(model, number: int):
    """Patches simple_history so that writing the `number`th history row of a
    `model` record raises, after the record's own row was written."""
    original = HistoricalRecords.create_historical_record
    calls = 0

    def create_historical_record(self, instance, *args, **kwargs):
        nonlocal calls
        if isinstance(instance, model):
            calls += 1
            if calls == number:
                raise DatabaseError("history table locked")
        return original(self, instance, *args, **kwargs)

    return mock.patch.object(
        HistoricalRecords, "create_historical_record", create_historical_record
    )


@pytest.fixture
def scene(make_actor, make_claim, make_source):
    """A speaker, a claim and a source holding the three quotes."""

    class Scene:
        wang = make_actor("Wang Wenbin", kind="person")
        claim = make_claim()
        source = make_source(
            TEXT, title="China rejects the report", published_on="2022-09-01"
        )

    return Scene


# The admin: a statement with its citations in one form -----------------------------


def statement_form(scene, quotes) -> dict:
    """The add-statement POST body with one citation row per quote."""
    data = {
        "actor": scene.wang.pk,
        "stance": "rejects",
        "claim": scene.claim.pk,
        "made_on": "2022-09-01",
        "date_precision": "day",
        "summary": "China rejects the report.",
        "status": "draft",
        "citations-TOTAL_FORMS": len(quotes),
        "citations-INITIAL_FORMS": 0,
        "citations-MIN_NUM_FORMS": 0,
        "citations-MAX_NUM_FORMS": 1000,
    }
    for index, quote in enumerate(quotes):
        data |= {
            f"citations-{index}-source": scene.source.pk,
            f"citations-{index}-quote": quote,
            f"citations-{index}-quote_kind": "direct",
        }
    return data


@pytest.fixture
def admin_editor(db, client):
    client.force_login(member_of("Editors"))
    return client


def test_the_admin_saves_a_statement_with_three_citations(admin_editor, scene):
    before = recorded()

    response = admin_editor.post(
        reverse("admin:claims_statement_add"), statement_form(scene, QUOTES)
    )

    assert response.status_code == 302
    statement = Statement.objects.get()
    assert sorted(statement.citations.values_list("quote", flat=True)) == sorted(QUOTES)
    # The control for the failures below: one statement, three citations, each
    # with its history row.
    assert recorded() == before | {
        "statements": 1,
        "citations": 3,
        "statement history": 1,
        "citation history": 3,
    }


def test_a_third_quote_not_in_the_source_saves_nothing_in_the_admin(
    admin_editor, scene
):
    before = recorded()
    quotes = (*QUOTES[:2], "The camps are closed.")

    response = admin_editor.post(
        reverse("admin:claims_statement_add"), statement_form(scene, quotes)
    )

    assert response.status_code == 200
    errors = response.context["inline_admin_formsets"][0].formset.errors
    assert errors[:2] == [{}, {}]
    assert errors[2]["quote"][0].startswith("The quote is not in the source text.")
    assert recorded() == before


def test_a_database_error_at_the_third_citation_saves_nothing_in_the_admin(
    admin_editor, scene
):
    before = recorded()
    save = failing_on_call(3, Citation.save, DatabaseError("disk full"))

    with (
        mock.patch.object(Citation, "save", save),
        pytest.raises(DatabaseError, match="disk full"),
    ):
        admin_editor.post(
            reverse("admin:claims_statement_add"), statement_form(scene, QUOTES)
        )

    assert recorded() == before


def test_a_third_citation_whose_history_cannot_be_written_saves_nothing_in_the_admin(
    admin_editor, scene
):
    before = recorded()

    with (
        history_failing_on(Citation, 3),
        pytest.raises(DatabaseError, match="history table locked"),
    ):
        admin_editor.post(
            reverse("admin:claims_statement_add"), statement_form(scene, QUOTES)
        )

    assert recorded() == before


# The API: a statement, then each citation, each request one transaction ------------


def test_an_api_citation_that_fails_in_the_database_writes_nothing(scene):
    editor = api_client(member_of("Editors"))
    created = editor.post(
        "/api/v1/statements/",
        {
            "actor": scene.wang.slug,
            "stance": "rejects",
            "claim": scene.claim.slug,
            "made_on": "2022-09-01",
            "summary": "China rejects the report.",
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    statement = created.json()["id"]
    for quote in QUOTES[:2]:
        response = editor.post(
            "/api/v1/citations/",
            {"statement": statement, "source": scene.source.pk, "quote": quote},
            format="json",
        )
        assert response.status_code == 201, response.json()
    before = recorded()

    # The citation's row is written, then its history row fails.
    with (
        history_failing_on(Citation, 1),
        pytest.raises(DatabaseError, match="history table locked"),
    ):
        editor.post(
            "/api/v1/citations/",
            {"statement": statement, "source": scene.source.pk, "quote": QUOTES[2]},
            format="json",
        )

    assert recorded() == before


def test_an_api_statement_whose_history_cannot_be_written_is_not_saved(scene):
    editor = api_client(member_of("Editors"))
    before = recorded()

    with (
        history_failing_on(Statement, 1),
        pytest.raises(DatabaseError, match="history table locked"),
    ):
        editor.post(
            "/api/v1/statements/",
            {
                "actor": scene.wang.slug,
                "stance": "rejects",
                "claim": scene.claim.slug,
                "made_on": "2022-09-01",
                "summary": "China rejects the report.",
            },
            format="json",
        )

    assert recorded() == before


# Accepting a suggestion: a statement, its citation and the suggestion together ----


@pytest.fixture
def suggestion(scene) -> StatementSuggestion:
    start = TEXT.index(QUOTES[2])
    return StatementSuggestion.objects.create(
        source=scene.source,
        attribution="Spokesman Wang Wenbin",
        speaker="Wang Wenbin",
        cue="concluded",
        actor=scene.wang,
        stance="rejects",
        claim=scene.claim,
        quote=QUOTES[2],
        start=start,
        end=start + len(QUOTES[2]),
        quote_kind="direct",
        confidence=0.9,
    )


@pytest.mark.parametrize(
    ("model", "failing_call"),
    [(Citation, 1), (StatementSuggestion, 1)],
    ids=["at the citation", "at marking the suggestion accepted"],
)
def test_accepting_a_suggestion_that_fails_midway_writes_nothing(
    suggestion, model, failing_call
):
    before = recorded()
    save = failing_on_call(failing_call, model.save, DatabaseError("disk full"))

    with (
        mock.patch.object(model, "save", save),
        pytest.raises(DatabaseError, match="disk full"),
    ):
        accept_suggestion(suggestion=suggestion)

    assert recorded() == before
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.statement) == ("pending", None)


def test_accepting_a_suggestion_writes_its_statement_citation_and_history(suggestion):
    before = recorded()

    statement = accept_suggestion(suggestion=suggestion)

    assert statement.citations.get().quote == suggestion.quote
    assert recorded() == before | {
        "statements": before["statements"] + 1,
        "citations": before["citations"] + 1,
        "statement history": before["statement history"] + 1,
        "citation history": before["citation history"] + 1,
    }


# Restoring a deleted statement with its citations (the admin's Deleted page) -------


def test_restoring_a_statement_whose_third_citation_fails_restores_nothing(
    client, scene, make_statement, make_citation
):
    statement = make_statement(actor=scene.wang, claim=scene.claim)
    citations = [
        make_citation(statement=statement, source=scene.source, quote=quote).pk
        for quote in QUOTES
    ]
    statement_id = statement.pk
    statement.delete()
    before = recorded()
    client.force_login(member_of("Reviewers"))
    save = failing_on_call(3, Citation.save, IntegrityError("constraint failed"))

    with mock.patch.object(Citation, "save", save):
        response = client.post(
            reverse("admin:claims_statement_restore", args=[statement_id]),
            {"citation": citations},
        )

    assert response.status_code == 400
    assert f"The statement {statement_id} was not restored" in response.text
    assert recorded() == before
    assert not Statement.objects.filter(pk=statement_id).exists()


# Importing: each file in one transaction -----------------------------------------


def jsonl(*texts: str) -> bytes:
    """A JSON Lines file of one article per text."""
    return "\n".join(
        json.dumps(
            {"text": text, "title": f"Article {n}", "published_on": f"2022-09-0{n}"}
        )
        for n, text in enumerate(texts, start=1)
    ).encode()


ARTICLES = (
    f"BEIJING - {QUOTES[0]} said a spokesman.",
    f"GENEVA - {QUOTES[1]} the mission wrote.",
    f"ANKARA - {QUOTES[2]} the ambassador said.",
)


OTHER_ARTICLE = "NEW YORK - The UN spokesman called for a visit."


def test_an_import_that_fails_at_the_third_document_writes_nothing_of_the_file(db):
    before = recorded()
    save = failing_on_call(3, Source.save, DatabaseError("disk full"))

    with mock.patch.object(Source, "save", save):
        results = import_file(name="feed.jsonl", data=jsonl(*ARTICLES))

    assert [(r.name, r.outcome, r.reason) for r in results] == [
        ("feed.jsonl", "failed", "database error: disk full")
    ]
    assert recorded() == before


def test_the_api_import_reports_a_file_that_failed_midway_and_keeps_the_others(db):
    editor = api_client(member_of("Editors"))
    # Source.save: the first file's document, then the second file's three.
    save = failing_on_call(4, Source.save, DatabaseError("disk full"))

    with mock.patch.object(Source, "save", save):
        response = editor.post(
            "/api/v1/sources/import/",
            {
                "first": _upload("first.jsonl", jsonl(OTHER_ARTICLE)),
                "second": _upload("second.jsonl", jsonl(*ARTICLES)),
            },
            format="multipart",
        )

    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["imported"], body["failed"]) == (1, 1)
    assert [(r["name"], r["outcome"], r["reason"]) for r in body["results"]] == [
        ("first.jsonl:1", "imported", ""),
        ("second.jsonl", "failed", "database error: disk full"),
    ]
    (source,) = Source.objects.all()
    assert source.text == OTHER_ARTICLE
    assert Source.history.filter(id=source.pk).count() == 1
    assert Source.history.count() == 1


def _upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/x-ndjson")
