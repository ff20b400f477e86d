"""Who may do what: every API address and unsafe method for every kind of user;
drafts hidden, wherever statements appear, from those who may not see them;
publishing reserved to reviewers; fields the server sets refused in writes."""

import datetime
import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from claims import exports
from claims.api import urls as api_urls
from claims.models import (
    Actor,
    Citation,
    Claim,
    Source,
    Statement,
    StatementSuggestion,
    Topic,
)

ANONYMOUS, JOURNALIST, VIEWER, EDITOR, REVIEWER = PRINCIPALS = (
    "anonymous",
    "journalist",
    "viewer",
    "editor",
    "reviewer",
)
# A journalist's token belongs to a user in no group; the other roles are the
# groups of migration 0007_roles.
GROUPS = {JOURNALIST: None, VIEWER: "Viewers", EDITOR: "Editors", REVIEWER: "Reviewers"}
READERS = (ANONYMOUS, JOURNALIST, VIEWER)
DRAFT_READERS = (EDITOR, REVIEWER)
UNSAFE = ("POST", "PUT", "PATCH", "DELETE")

FILLER = " The briefing went on for an hour about other matters entirely. " * 2
QUOTES = (
    "The camps are vocational training centres.",
    "Nobody is detained against their will.",
    "The report is a hodgepodge of false information.",
)
TEXT = f"BEIJING - {QUOTES[0]}{FILLER}{QUOTES[1]}{FILLER}{QUOTES[2]}"
DRAFT_SUMMARY = "China calls the Qaraqash report a hodgepodge."


def user(principal: str):
    """A user of that role, without a password (nothing to hash)."""
    account = get_user_model().objects.create_user(username=principal)
    if GROUPS[principal]:
        account.groups.add(Group.objects.get(name=GROUPS[principal]))
    return account


def api_client(principal: str) -> APIClient:
    client = APIClient()
    if principal != ANONYMOUS:
        token = Token.objects.create(user=user(principal))
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def recorded() -> dict[str, int]:
    """How many records of each kind, and history rows of them, are stored."""
    models = (Actor, Topic, Claim, Source, Statement, Citation)
    counts = {model._meta.model_name: model.objects.count() for model in models}
    counts |= {
        f"{model._meta.model_name} history": model.history.count() for model in models
    }
    counts["suggestions"] = StatementSuggestion.objects.count()
    return counts


@pytest.fixture
def world(make_actor, make_topic, make_claim, make_source, make_statement):
    """One record of each kind: a published statement with one citation."""

    class World:
        china = make_actor("Government of China")
        topic = make_topic("Xinjiang")
        claim = make_claim(topics=[topic])
        source = make_source(TEXT, published_on=datetime.date(2022, 9, 1))
        statement = make_statement(
            actor=china, claim=claim, status=Statement.Status.PUBLISHED
        )

    World.citation = Citation.objects.create(
        statement=World.statement,
        source=World.source,
        quote=QUOTES[0],
        start=TEXT.index(QUOTES[0]),
        end=TEXT.index(QUOTES[0]) + len(QUOTES[0]),
    )
    return World


# Every address of the API, and what each unsafe method does there ------------------

ROUTES = {
    "api-root": lambda w: "/api/v1/",
    "search": lambda w: "/api/v1/search/?q=camps",
    "citation-export": lambda w: "/api/v1/citations/export/?format=csv",
    "claim-dossier": lambda w: f"/api/v1/claims/{w.claim.slug}/dossier/?format=html",
    "actor-list": lambda w: "/api/v1/actors/",
    "actor-detail": lambda w: f"/api/v1/actors/{w.china.slug}/",
    "source-list": lambda w: "/api/v1/sources/",
    "source-import": lambda w: "/api/v1/sources/import/",
    "source-detail": lambda w: f"/api/v1/sources/{w.source.pk}/",
    "source-suggestions": lambda w: f"/api/v1/sources/{w.source.pk}/suggestions/",
    "claim-list": lambda w: "/api/v1/claims/",
    "claim-detail": lambda w: f"/api/v1/claims/{w.claim.slug}/",
    "claim-timeline": lambda w: f"/api/v1/claims/{w.claim.slug}/timeline/",
    "statement-list": lambda w: "/api/v1/statements/",
    "statement-detail": lambda w: f"/api/v1/statements/{w.statement.pk}/",
    "statement-thread": lambda w: f"/api/v1/statements/{w.statement.pk}/thread/",
    "citation-list": lambda w: "/api/v1/citations/",
    "citation-detail": lambda w: f"/api/v1/citations/{w.citation.pk}/",
    "topic-list": lambda w: "/api/v1/topics/",
    "topic-detail": lambda w: f"/api/v1/topics/{w.topic.slug}/",
    "not-found": lambda w: "/api/v1/no-such-resource/",
    "schema": lambda w: "/api/schema/",
    "docs": lambda w: "/api/docs/",
}

# The unsafe methods an address answers, with the status each principal gets
# (anonymous, journalist, viewer, editor, reviewer). Every other unsafe method is a
# 405 for everyone (no credentials would make it work), and any method on an
# unknown address a 404.
WRITES = {
    ("statement-list", "POST"): (401, 403, 403, 201, 201),
    ("statement-detail", "PUT"): (401, 403, 403, 200, 200),
    ("statement-detail", "PATCH"): (401, 403, 403, 200, 200),
    # Deleting a statement is for reviewers; deleting a citation for editors too.
    ("statement-detail", "DELETE"): (401, 403, 403, 403, 204),
    ("citation-list", "POST"): (401, 403, 403, 201, 201),
    ("citation-detail", "PUT"): (401, 403, 403, 200, 200),
    ("citation-detail", "PATCH"): (401, 403, 403, 200, 200),
    ("citation-detail", "DELETE"): (401, 403, 403, 204, 204),
    ("source-import", "POST"): (401, 403, 403, 200, 200),
}

# What an allowed write stores (count changes; the rest stays as it was).
WRITTEN = {
    ("statement-list", "POST"): {"statement": 1, "statement history": 1},
    ("statement-detail", "PUT"): {"statement history": 1},
    ("statement-detail", "PATCH"): {"statement history": 1},
    ("statement-detail", "DELETE"): {
        "statement": -1,
        "citation": -1,
        "statement history": 1,
        "citation history": 1,
    },
    ("citation-list", "POST"): {"citation": 1, "citation history": 1},
    ("citation-detail", "PUT"): {"citation history": 1},
    ("citation-detail", "PATCH"): {"citation history": 1},
    ("citation-detail", "DELETE"): {"citation": -1, "citation history": 1},
    ("source-import", "POST"): {"source": 1, "source history": 1},
}

REFUSALS = {
    401: "Authentication credentials were not provided.",
    403: "You do not have permission to perform this action.",
    404: "Not found.",
}
IMPORT_REFUSAL = "Importing sources is for editors (permission claims.add_source)."


def expected_status(route: str, method: str, principal: str) -> int:
    if route == "not-found":
        return 404
    statuses = WRITES.get((route, method))
    return statuses[PRINCIPALS.index(principal)] if statuses else 405


def request_body(route: str, method: str, w) -> dict:
    """A valid body for the write, so that a refusal is about who asks."""
    statement = {
        "actor": w.china.slug,
        "stance": "denies",
        "claim": w.claim.slug,
        "made_on": "2022-09-02",
        "summary": "China denies it again.",
    }
    citation = {"statement": w.statement.pk, "source": w.source.pk, "quote": QUOTES[1]}
    return {
        ("statement-list", "POST"): statement,
        ("statement-detail", "PUT"): statement,
        ("statement-detail", "PATCH"): {"summary": "China denies it again."},
        ("citation-list", "POST"): citation,
        ("citation-detail", "PUT"): citation,
        ("citation-detail", "PATCH"): {"attribution": "The spokesman"},
    }.get((route, method), {})


def send(client: APIClient, route: str, method: str, w):
    url = ROUTES[route](w)
    headers = {}
    if route == "statement-detail":
        headers["HTTP_IF_MATCH"] = f'"{w.statement.version}"'
    elif route == "citation-detail":
        headers["HTTP_IF_MATCH"] = f'"{w.citation.version}"'
    if (route, method) == ("source-import", "POST"):
        upload = SimpleUploadedFile(
            "note.txt", b"A plain note with nothing quoted in it.\n"
        )
        return client.post(url, {"files": upload}, format="multipart", **headers)
    return client.generic(
        method,
        url,
        json.dumps(request_body(route, method, w)),
        content_type="application/json",
        **headers,
    )


MATRIX = [
    pytest.param(route, method, principal, id=f"{route} {method} {principal}")
    for route in ROUTES
    for method in UNSAFE
    for principal in PRINCIPALS
]


@pytest.mark.parametrize(("route", "method", "principal"), MATRIX)
def test_an_unsafe_method_gets_exactly_its_status_and_writes_only_when_allowed(
    world, route, method, principal
):
    client = api_client(principal)
    before = recorded()
    expected = expected_status(route, method, principal)

    response = send(client, route, method, world)

    assert response.status_code == expected, response.content[:500]
    after = recorded()
    if expected >= 400:
        assert after == before
        detail = (
            response.json()["detail"]
            if response["Content-Type"].startswith("application/json")
            else None
        )
        if expected == 405:
            assert "OPTIONS" in response["Allow"] and method not in response["Allow"]
            assert detail in (None, f'Method "{method}" not allowed.')
        elif route == "source-import" and expected == 403:
            assert detail == IMPORT_REFUSAL
        else:
            assert detail == REFUSALS[expected]
        if expected == 401:
            assert response["WWW-Authenticate"] == "Token"
    else:
        changes = {key: after[key] - before[key] for key in after}
        assert {key: n for key, n in changes.items() if n} == WRITTEN[(route, method)]


def test_the_matrix_names_every_address_of_the_api():
    named = {pattern.name for pattern in api_urls.urlpatterns}

    # The OpenAPI schema and its documentation page are the API's too.
    assert named | {"schema", "docs"} == set(ROUTES)


def test_every_format_suffixed_address_is_the_view_of_its_route():
    """`/api/v1/statements.json` and the like answer as their route does."""
    by_name: dict[str, set] = {}
    for pattern in api_urls.urlpatterns:
        view = getattr(pattern.callback, "cls", pattern.callback)
        actions = tuple(sorted(getattr(pattern.callback, "actions", {}).items()))
        by_name.setdefault(pattern.name, set()).add((view, actions))

    assert all(len(views) == 1 for views in by_name.values()), by_name


def test_format_suffixed_addresses_refuse_as_their_routes_do(world):
    anonymous, journalist = api_client(ANONYMOUS), api_client(JOURNALIST)
    before = recorded()

    posted = anonymous.post("/api/v1/statements.json", {}, format="json")
    put = journalist.put("/api/v1/actors.json", {}, format="json")
    deleted = journalist.delete(f"/api/v1/citations/{world.citation.pk}.json")

    assert (posted.status_code, put.status_code, deleted.status_code) == (
        401,
        405,
        403,
    )
    assert recorded() == before


# Drafts -----------------------------------------------------------------------------


@pytest.fixture
def drafts(world, make_actor):
    """A draft statement with its citation, and a published answer to it."""
    world.draft = Statement.objects.create(
        actor=world.china,
        claim=world.claim,
        stance="rejects",
        made_on=datetime.date(2022, 9, 1),
        summary=DRAFT_SUMMARY,
    )
    world.draft_citation = Citation.objects.create(
        statement=world.draft,
        source=world.source,
        quote=QUOTES[2],
        start=TEXT.index(QUOTES[2]),
        end=TEXT.index(QUOTES[2]) + len(QUOTES[2]),
    )
    world.answer = Statement.objects.create(
        actor=make_actor("United Nations Secretariat", kind="un_body"),
        responds_to=world.draft,
        stance="rejects",
        made_on=datetime.date(2022, 9, 2),
        summary="The UN answers China.",
        status=Statement.Status.PUBLISHED,
    )
    assert world.draft.status == Statement.Status.DRAFT
    return world


def sees_drafts(principal: str) -> bool:
    return principal in DRAFT_READERS


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content[:500]
    return [row["id"] for row in response.json()["results"]]


@pytest.mark.parametrize("principal", PRINCIPALS)
def test_a_draft_is_listed_only_for_editors_and_reviewers(drafts, principal):
    client = api_client(principal)
    w = drafts

    statements = ids(client.get("/api/v1/statements/"))
    by_status = ids(client.get("/api/v1/statements/?status=draft"))
    searched = ids(client.get("/api/v1/statements/?q=Qaraqash"))
    citations = ids(client.get("/api/v1/citations/"))
    timeline = client.get(f"/api/v1/claims/{w.claim.slug}/timeline/")
    claim = client.get(f"/api/v1/claims/{w.claim.slug}/")
    source = client.get(f"/api/v1/sources/{w.source.pk}/")

    visible = sees_drafts(principal)
    assert statements == (
        [w.statement.pk, w.draft.pk, w.answer.pk]
        if visible
        else [w.statement.pk, w.answer.pk]
    )
    assert by_status == searched == ([w.draft.pk] if visible else [])
    assert citations == (
        [w.citation.pk, w.draft_citation.pk] if visible else [w.citation.pk]
    )
    assert [s["id"] for s in timeline.json()["statements"]] == (
        [w.statement.pk, w.draft.pk, w.answer.pk]
        if visible
        else [w.statement.pk, w.answer.pk]
    )
    counts = claim.json()["statement_counts"]
    # The answer is on no claim: it is in the timeline as an answer, not counted.
    assert (counts["denies"], counts["rejects"]) == ((1, 1) if visible else (1, 0))
    assert [c["id"] for c in source.json()["citations"]] == (
        [w.citation.pk, w.draft_citation.pk] if visible else [w.citation.pk]
    )


@pytest.mark.parametrize("principal", PRINCIPALS)
def test_a_draft_and_its_citation_are_not_found_for_readers(drafts, principal):
    client = api_client(principal)
    w = drafts

    statuses = [
        client.get(url).status_code
        for url in (
            f"/api/v1/statements/{w.draft.pk}/",
            f"/api/v1/statements/{w.draft.pk}/thread/",
            f"/api/v1/citations/{w.draft_citation.pk}/",
        )
    ]

    assert statuses == ([200, 200, 200] if sees_drafts(principal) else [404] * 3)


@pytest.mark.parametrize("principal", PRINCIPALS)
def test_filtering_by_a_draft_answers_as_for_a_statement_that_does_not_exist(
    drafts, principal
):
    client = api_client(principal)
    w = drafts

    by_answer = client.get(f"/api/v1/statements/?responds_to={w.draft.pk}")
    by_statement = client.get(f"/api/v1/citations/?statement={w.draft.pk}")

    if sees_drafts(principal):
        assert ids(by_answer) == [w.answer.pk]
        assert ids(by_statement) == [w.draft_citation.pk]
    else:
        assert (by_answer.status_code, by_statement.status_code) == (400, 400)
        assert by_answer.json() == {
            "responds_to": [f"No statement has the id {w.draft.pk}."]
        }
        assert by_statement.json() == {
            "statement": [f"No statement has the id {w.draft.pk}."]
        }


@pytest.mark.parametrize("principal", PRINCIPALS)
def test_a_published_answer_does_not_reveal_the_draft_it_answers(drafts, principal):
    client = api_client(principal)
    w = drafts

    detail = client.get(f"/api/v1/statements/{w.answer.pk}/").json()
    listed = {
        row["id"]: row for row in client.get("/api/v1/statements/").json()["results"]
    }
    thread = client.get(f"/api/v1/statements/{w.answer.pk}/thread/").json()
    timeline = {
        s["id"]: s
        for s in client.get(f"/api/v1/claims/{w.claim.slug}/timeline/").json()[
            "statements"
        ]
    }

    answered = w.draft.pk if sees_drafts(principal) else None
    assert detail["responds_to"] == answered
    assert listed[w.answer.pk]["responds_to"] == answered
    assert timeline[w.answer.pk]["responds_to"] == answered
    # The thread starts at the draft for those who may see it.
    assert thread["id"] == (w.draft.pk if sees_drafts(principal) else w.answer.pk)


SUGGESTIONS_REFUSAL = (
    "Statement suggestions are for editors: accepted ones name draft statements "
    "(permissions claims.view_statementsuggestion and claims.change_statement)."
)


@pytest.mark.parametrize("principal", PRINCIPALS)
def test_a_sources_suggestions_name_a_draft_only_to_editors_and_reviewers(
    drafts, principal
):
    w = drafts
    accepted = StatementSuggestion.objects.create(
        source=w.source,
        attribution="Beijing",
        actor=w.china,
        stance="rejects",
        claim=w.claim,
        quote=QUOTES[2],
        start=TEXT.index(QUOTES[2]),
        end=TEXT.index(QUOTES[2]) + len(QUOTES[2]),
        confidence=0.9,
        status=StatementSuggestion.Status.ACCEPTED,
        statement=w.draft,
    )

    response = api_client(principal).get(f"/api/v1/sources/{w.source.pk}/suggestions/")

    if sees_drafts(principal):
        assert response.status_code == 200
        assert [(r["id"], r["statement"]) for r in response.json()["results"]] == [
            (accepted.pk, w.draft.pk)
        ]
    elif principal == ANONYMOUS:
        assert response.status_code == 401
    else:
        # A viewer holds view_statementsuggestion, but may not see drafts.
        assert response.status_code == 403
        assert response.json() == {"detail": SUGGESTIONS_REFUSAL}
        assert str(w.draft.pk) not in response.text


@pytest.mark.parametrize("principal", PRINCIPALS)
def test_search_finds_a_draft_only_for_editors_and_reviewers(drafts, principal):
    response = api_client(principal).get("/api/v1/search/?q=Qaraqash")

    assert response.status_code == 200
    hits = [(hit["kind"], hit["id"]) for hit in response.json()["results"]]
    assert hits == ([("statement", drafts.draft.pk)] if sees_drafts(principal) else [])


@pytest.mark.parametrize("principal", PRINCIPALS)
@pytest.mark.parametrize("export_format", list(exports.EXPORTERS))
def test_every_export_holds_a_drafts_quote_only_for_editors_and_reviewers(
    drafts, principal, export_format
):
    response = api_client(principal).get(
        f"/api/v1/citations/export/?format={export_format}"
    )

    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode()
    # The published quote is in every export: the draft's absence is not vacuous.
    assert "vocational training centres" in body
    assert ("hodgepodge" in body) is sees_drafts(principal)


@pytest.mark.parametrize("principal", PRINCIPALS)
@pytest.mark.parametrize("dossier_format", list(exports.DOSSIERS))
def test_a_claims_dossier_shows_a_draft_only_to_editors_and_reviewers(
    drafts, principal, dossier_format
):
    w = drafts

    response = api_client(principal).get(
        f"/api/v1/claims/{w.claim.slug}/dossier/?format={dossier_format}"
    )

    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode()
    assert "vocational training centres" in body
    assert "The UN answers China." in body
    visible = sees_drafts(principal)
    assert ("hodgepodge" in body) is visible
    assert (DRAFT_SUMMARY in body) is visible
    # The published answer names what it answers only when that may be seen.
    assert (f"In answer to statement {w.draft.pk}" in body) is visible


# The public pages show published statements only, whoever is logged in. ----------


@pytest.mark.parametrize("principal", [ANONYMOUS, EDITOR, REVIEWER])
def test_the_public_pages_never_show_a_draft(drafts, principal):
    client = Client()
    if principal != ANONYMOUS:
        client.force_login(user(principal))
    w = drafts
    pages = {
        "/": "China denies the allegations.",
        f"/claims/{w.claim.slug}/": "China denies the allegations.",
        f"/actors/{w.china.slug}/": "China denies the allegations.",
        f"/sources/{w.source.pk}/": f'id="citation-{w.citation.pk}"',
        "/search/?q=Qaraqash": "Search",
    }

    for url, shown in pages.items():
        page = client.get(url)
        assert page.status_code == 200, url
        text = page.content.decode()
        assert shown in text, url
        assert DRAFT_SUMMARY not in text, url
        assert not re.search(rf"statement-{w.draft.pk}\b", text), url
        assert not re.search(rf"citation-{w.draft_citation.pk}\b", text), url


# Publishing -------------------------------------------------------------------------


@pytest.mark.parametrize(("principal", "expected"), [(EDITOR, 403), (REVIEWER, 201)])
def test_only_a_reviewer_creates_a_published_statement(world, principal, expected):
    before = recorded()

    response = api_client(principal).post(
        "/api/v1/statements/",
        request_body("statement-list", "POST", world) | {"status": "published"},
        format="json",
    )

    assert response.status_code == expected, response.json()
    if expected == 403:
        assert response.json() == {
            "detail": "Publishing and unpublishing statements is for reviewers "
            "(permission claims.publish_statement)."
        }
        assert recorded() == before
    else:
        assert Statement.objects.get(pk=response.json()["id"]).status == "published"


@pytest.mark.parametrize(("principal", "expected"), [(EDITOR, 403), (REVIEWER, 200)])
@pytest.mark.parametrize("method", ["PUT", "PATCH"])
@pytest.mark.parametrize("target", ["published", "draft"])
def test_only_a_reviewer_changes_a_statements_status(
    drafts, principal, expected, method, target
):
    w = drafts
    statement = w.draft if target == "published" else w.statement
    body = {"status": target}
    if method == "PUT":
        body |= request_body("statement-list", "POST", w)
    before = recorded()

    response = api_client(principal).generic(
        method,
        f"/api/v1/statements/{statement.pk}/",
        json.dumps(body),
        content_type="application/json",
        HTTP_IF_MATCH=f'"{statement.version}"',
    )

    assert response.status_code == expected, response.json()
    statement.refresh_from_db()
    if expected == 403:
        assert recorded() == before
        assert statement.status != target
    else:
        assert statement.status == target


# Fields that are not the client's to set ---------------------------------------------

SERVER_SET = "Set by the server; it cannot be written."

STATEMENT_FIELDS = {
    "id": 999,
    "created_at": "2000-01-01T00:00:00Z",
    "updated_at": "2000-01-01T00:00:00Z",
    "version": 42,
}
CITATION_FIELDS = {
    "id": 999,
    "created_at": "2000-01-01T00:00:00Z",
    "updated_at": "2000-01-01T00:00:00Z",
    "version": 42,
    "end": 3,
    "verification": "drifted",
    "verified_at": "2000-01-01T00:00:00Z",
}
# Not fields of the records at all: authorship and history are the server's.
UNKNOWN_FIELDS = ("history_user", "history_date", "created_by", "text_sha256")


def unknown(writable: str) -> str:
    return f"Unknown field. Writable fields: {writable}."


STATEMENT_WRITABLE = (
    "actor, claim, context, date_precision, document, made_in, made_on, "
    "on_behalf_of, responds_to, stance, status, summary"
)
CITATION_WRITABLE = (
    "attribution, prefix, quote, quote_kind, source, start, statement, suffix, "
    "translation, translator"
)


def server_set_cases():
    for name, value in STATEMENT_FIELDS.items():
        yield "statement", name, value, SERVER_SET
    for name, value in CITATION_FIELDS.items():
        yield "citation", name, value, SERVER_SET
    for name in UNKNOWN_FIELDS:
        yield "statement", name, "x", unknown(STATEMENT_WRITABLE)
        yield "citation", name, "x", unknown(CITATION_WRITABLE)


@pytest.mark.parametrize("method", ["POST", "PATCH"])
@pytest.mark.parametrize(
    ("resource", "name", "value", "message"),
    [pytest.param(*case, id=f"{case[0]} {case[1]}") for case in server_set_cases()],
)
def test_a_field_the_server_sets_is_refused_naming_it_and_nothing_is_written(
    world, method, resource, name, value, message
):
    record = world.statement if resource == "statement" else world.citation
    route = f"{resource}-list" if method == "POST" else f"{resource}-detail"
    body = request_body(route, method, world) | {name: value}
    stored = {
        field.attname: getattr(record, field.attname)
        for field in type(record)._meta.concrete_fields
    }
    before = recorded()

    response = api_client(EDITOR).generic(
        method,
        ROUTES[route](world),
        json.dumps(body),
        content_type="application/json",
        HTTP_IF_MATCH=f'"{record.version}"',
    )

    assert response.status_code == 400, response.content[:500]
    assert response.json() == {name: [message]}
    assert recorded() == before
    record.refresh_from_db()
    assert {
        field.attname: getattr(record, field.attname)
        for field in type(record)._meta.concrete_fields
    } == stored


def test_the_server_computes_offsets_verification_and_version_of_a_new_citation(
    world,
):
    response = api_client(EDITOR).post(
        "/api/v1/citations/",
        {
            "statement": world.statement.pk,
            "source": world.source.pk,
            # Other spacing than the source's.
            "quote": "Nobody  is detained\nagainst their will.",
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    start = TEXT.index(QUOTES[1])
    stored = Citation.objects.get(pk=body["id"])
    assert (stored.quote, stored.start, stored.end) == (
        QUOTES[1],
        start,
        start + len(QUOTES[1]),
    )
    assert (body["start"], body["end"], body["verification"]) == (
        start,
        start + len(QUOTES[1]),
        "verified",
    )
    assert (stored.version, response["ETag"]) == (1, '"1"')
    assert stored.verified_at is not None


def test_an_imported_line_naming_its_own_hash_is_refused_and_nothing_written(world):
    before = recorded()

    response = api_client(EDITOR).post(
        "/api/v1/sources/import/",
        b'{"text": "A new article.", "text_sha256": "0000"}\n',
        content_type="application/x-ndjson",
    )

    assert response.status_code == 200, response.json()
    (result,) = response.json()["results"]
    assert result["outcome"] == "failed"
    assert "text_sha256" in result["reason"]
    assert recorded() == before
