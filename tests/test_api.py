"""The journalists' REST API on the seed fixtures: the questions, filters, errors,
permissions and query counts."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.core.management import call_command
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from claims.api.representation import PlannedRepresentation
from claims.models import Citation, Claim, Source, Statement
from claims.services import attach_citation
from tests.conftest import THROTTLE_QUERIES

pytestmark = pytest.mark.django_db

# The Chinese state's denials and rejections, by its bodies and the people speaking
# for them: CRI's video (22), the denial of the facilities (19), Deng Li in Ankara
# (31, 32, 35), Wang Wenbin in 2021 (4) and 2022 (58, 60), Beijing's denial (17),
# China's response (56), the Geneva mission's letter (61) and the rejection of the
# report as fabricated (63). Bachelet's denial (71) is not China's.
CHINA_DENIALS = {4, 17, 19, 22, 31, 32, 35, 56, 58, 60, 61, 63}


def ids(response) -> list[int]:
    assert response.status_code == 200, response.json()
    return [record["id"] for record in response.json()["results"]]


@pytest.fixture
def client() -> APIClient:
    return APIClient()


def token_client(*permissions: str) -> APIClient:
    user = get_user_model().objects.create_user(
        username=f"user-{len(permissions)}-{'-'.join(permissions)}"[:150]
    )
    for codename in permissions:
        user.user_permissions.add(Permission.objects.get(codename=codename))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user)}")
    return client


@pytest.fixture
def journalist() -> APIClient:
    """A token with no model permissions: a reader."""
    return token_client()


@pytest.fixture
def editor() -> APIClient:
    return token_client(
        "add_statement",
        "change_statement",
        "delete_statement",
        "add_citation",
        "change_citation",
        "delete_citation",
    )


@pytest.fixture
def draft(seeds) -> Statement:
    """An unpublished answer to the BBC report, cited from article 000."""
    statement = Statement.objects.create(
        actor_id=35,
        stance="asserts",
        claim_id=None,
        responds_to_id=1,
        made_on=datetime.date(2021, 2, 5),
        summary="Draft: the BBC stands by its reporting.",
        status="draft",
    )
    attach_citation(
        statement=statement,
        source=Source.objects.get(pk=1),
        quote="initially circulated by the BBC",
    )
    return statement


# The questions -----------------------------------------------------------------


def test_everything_china_denied_or_rejected_includes_its_bodies_and_people(
    client, seeds
):
    response = client.get("/api/v1/statements/?actor=china&stance=denies,rejects")

    assert set(ids(response)) == CHINA_DENIALS
    assert response.json()["count"] == len(CHINA_DENIALS)


def test_actor_exact_gives_that_actor_alone(client, seeds):
    response = client.get(
        "/api/v1/statements/?actor_exact=government-of-china&stance=denies,rejects"
    )

    assert ids(response) == [19, 17, 56, 63]


def test_statements_are_listed_in_date_order_by_default(client, seeds):
    made_on = [
        s["made_on"]
        for s in client.get("/api/v1/statements/?page_size=200").json()["results"]
    ]

    assert len(made_on) == 71
    assert made_on == sorted(made_on)
    assert made_on[0] == "2018-01-01"


def test_a_claims_timeline_tells_its_story_in_time_order_with_every_quote(
    client, seeds
):
    response = client.get("/api/v1/claims/xinjiang-camps-sexual-violence/timeline/")

    assert response.status_code == 200
    body = response.json()
    assert body["claim"]["slug"] == "xinjiang-camps-sexual-violence"
    statements = body["statements"]
    assert [(s["id"], s["made_on"]) for s in statements][:4] == [
        (1, "2021-02-03"),
        (3, "2021-02-03"),
        (7, "2021-02-03"),  # approximate: "earlier in the week"
        (4, "2021-02-04"),
    ]
    assert [s["actor"]["slug"] for s in statements[:4]] == [
        "bbc",
        "us-department-of-state",
        "wang-wenbin",
        "wang-wenbin",
    ]
    assert {s["id"] for s in statements} >= {1, 3, 4, 10, 44, 46}
    assert all(s["citations"] for s in statements)
    assert statements[3]["citations"][0]["quote"].startswith(
        "Chinese Foreign Ministry Spokesman Wang Wenbin rejected reports of systematic"
    )


def test_who_answered_the_bbc_report(client, seeds):
    assert ids(client.get("/api/v1/statements/?responds_to=1")) == [3, 7, 4, 5, 10]


def test_who_answered_the_un_assessment(client, seeds):
    answers = ids(client.get("/api/v1/statements/?document=9"))

    assert answers == [47, 51, 54, 52, 58, 59, 60, 67, 53, 61, 63, 64]


def test_the_thread_around_a_statement_starts_at_its_root(client, seeds):
    response = client.get("/api/v1/statements/4/thread/")

    assert response.status_code == 200
    root = response.json()
    assert root["id"] == 1
    assert root["actor"]["slug"] == "bbc"
    assert [r["id"] for r in root["responses"]] == [3, 7, 4, 5, 10]
    assert all(r["responses"] == [] for r in root["responses"])


def test_the_thread_of_the_heyit_video_nests_answers_to_answers(client, seeds):
    root = client.get("/api/v1/statements/23/thread/").json()

    # Turkey cited reports of Heyit's death (21); CRI's video answered it (22) and
    # was answered by the activists (23) and the #MeTooUyghur campaign (25); Deng
    # Li answered Turkey too (35).
    assert root["id"] == 21
    assert [
        (r["id"], [a["id"] for a in r["responses"]]) for r in root["responses"]
    ] == [
        (22, [25, 23]),
        (35, []),
    ]


@pytest.mark.parametrize("depth", [1, 6])
def test_a_thread_runs_the_same_queries_however_deep(
    client, seeds, make_statement, django_assert_num_queries, depth
):
    answered = Statement.objects.get(pk=23)
    for level in range(depth):
        answered = make_statement(
            responds_to=answered,
            status=Statement.Status.PUBLISHED,
            made_on=datetime.date(2021, 3, 1 + level),
        )
    # The focus, the thread's ids (one recursive query), its statements, the
    # video CRI's statement was made in, and their citations.
    with django_assert_num_queries(5 + THROTTLE_QUERIES):
        root = client.get(f"/api/v1/statements/{answered.pk}/thread/").json()
    assert root["id"] == 21
    chain = root["responses"][0]["responses"][1]  # 22, then 23
    for _ in range(depth):
        assert len(chain["responses"]) == 1
        chain = chain["responses"][0]
    assert chain["id"] == answered.pk


def test_a_thread_stops_at_a_draft_for_readers_only(
    client, editor, seeds, make_statement
):
    draft = make_statement(responds_to=Statement.objects.get(pk=23))
    below = make_statement(
        responds_to=draft,
        status=Statement.Status.PUBLISHED,
        made_on=datetime.date(2022, 9, 2),
    )
    assert client.get(f"/api/v1/statements/{below.pk}/thread/").json()["id"] == (
        below.pk
    )
    root = client.get("/api/v1/statements/23/thread/").json()
    assert [r["id"] for r in root["responses"][0]["responses"][1]["responses"]] == []
    root = editor.get("/api/v1/statements/23/thread/").json()
    answers = root["responses"][0]["responses"][1]["responses"]
    assert [(a["id"], [b["id"] for b in a["responses"]]) for a in answers] == [
        (draft.pk, [below.pk])
    ]


@pytest.mark.parametrize("answers", [0, 5])
def test_a_timeline_runs_the_same_queries_however_long(
    client, seeds, make_statement, django_assert_num_queries, answers
):
    bbc = Statement.objects.get(pk=1)
    for day in range(answers):
        make_statement(
            responds_to=bbc,
            status=Statement.Status.PUBLISHED,
            made_on=datetime.date(2021, 2, 5 + day),
        )
    url = f"/api/v1/claims/{bbc.claim.slug}/timeline/"
    # The claim with its topics, the timeline's ids, its statements, the sources
    # they were made in (the BBC's report, the UN assessment), citations.
    with django_assert_num_queries(6 + THROTTLE_QUERIES):
        response = client.get(url)
    assert len(response.json()["statements"]) == 8 + answers


def test_the_planned_representation_is_drfs_own(client, editor, seeds, monkeypatch):
    """claims/api/representation.py reads fields directly: every record of the
    seeds reads the same through it as through DRF's path."""
    urls = [
        "/api/v1/statements/?page_size=200",
        "/api/v1/citations/?page_size=200",
        *(f"/api/v1/statements/{pk}/" for pk in (1, 21, 47, 58)),
        *(f"/api/v1/statements/{pk}/thread/" for pk in (4, 23, 59)),
        *(f"/api/v1/claims/{claim.slug}/timeline/" for claim in Claim.objects.all()),
    ]
    visible = {client: Statement.objects.published(), editor: Statement.objects}
    for reader, statements in visible.items():
        cache.clear()  # the anonymous rate limit
        responses = [reader.get(url) for url in urls]
        assert {response.status_code for response in responses} == {200}
        planned = [response.json() for response in responses]
        monkeypatch.setattr(PlannedRepresentation, "planned", False)
        cache.clear()
        drf = [reader.get(url).json() for url in urls]
        monkeypatch.undo()
        assert planned == drf
        assert [s["id"] for s in planned[0]["results"]] == list(
            statements.order_by("made_on", "pk").values_list("pk", flat=True)
        )


# Filters -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query,expected",
    [
        ("actor_kind=diplomatic_mission", [62, 61]),
        ("country=cn&stance=denies", [22, 19, 35, 17, 56]),
        ("claim=abdurehim-heyit-died-in-custody", [21, 22, 35]),
        ("topic=genocide", [16, 69]),
        ("source=1&stance=reports", [1]),
        ("publisher=the-straits-times&stance=welcomes", []),
        ("date_from=2022-09-02&date_to=2022-09-02", [53, 61, 63, 64, 65, 69, 70, 71]),
        ("published_from=2019-01-01&published_to=2019-12-31&stance=rejects", [31, 32]),
        ("status=published&actor_exact=michelle-bachelet", [11, 71]),
        ("quote_status=verified&actor_exact=deng-li&ordering=-date",
         [38, 37, 36, 35, 34, 33, 32, 31]),
        ("made_in=12", [67]),
    ],
)  # fmt: skip
def test_statement_filters(client, seeds, query, expected):
    assert ids(client.get(f"/api/v1/statements/?{query}&page_size=200")) == expected


def test_sources_filter_by_kind_publisher_and_publication_date(client, seeds):
    assert ids(
        client.get("/api/v1/sources/?kind=news_article&publisher=urdupoint-news")
    )
    assert ids(
        client.get("/api/v1/sources/?published_from=2021-02-04&published_to=2021-02-05")
    ) == [2, 1]


def test_actors_filter_by_kind_country_and_parent(client, seeds):
    response = client.get("/api/v1/actors/?parent=mfa-china")

    assert [a["slug"] for a in response.json()["results"]] == [
        "china-embassy-ankara",
        "china-mission-geneva",
    ]
    assert [
        a["slug"] for a in client.get("/api/v1/actors/?kind=state").json()["results"]
    ] == ["china", "turkey", "united-states"]
    assert len(ids(client.get("/api/v1/actors/?country=US"))) == 5


# Bad input ---------------------------------------------------------------------


NOT_A_CHOICE = "Select a valid choice. {} is not one of the available choices."
BAD_DATE = "Give an ISO date, YYYY-MM-DD, that exists."
BAD_SIZE = "Must be a whole number from 1 to {}; got {!r}."


@pytest.mark.parametrize(
    "url,param,message",
    [
        ("statements/?stance=shrugs", "stance", NOT_A_CHOICE.format("shrugs")),
        ("statements/?date_from=2021-02-30", "date_from", BAD_DATE),
        ("statements/?date_to=02/03/2021", "date_to", BAD_DATE),
        ("statements/?actor=atlantis", "actor", "No actor has the slug atlantis."),
        ("statements/?claim=flat", "claim", "No claim has the slug flat."),
        ("statements/?source=999", "source", "No source has the id 999."),
        ("statements/?responds_to=x", "responds_to", "No statement has the id x."),
        (
            "statements/?country=China",
            "country",
            "Give a two-letter ISO 3166-1 country code, e.g. CN.",
        ),
        ("statements/?page_size=0", "page_size", BAD_SIZE.format(200, "0")),
        ("statements/?page_size=201", "page_size", BAD_SIZE.format(200, "201")),
        ("statements/?page=abc", "page", BAD_SIZE.format(10**9, "abc")),
        ("statements/?ordering=name", "ordering", NOT_A_CHOICE.format("name")),
        ("actors/?kind=planet", "kind", NOT_A_CHOICE.format("planet")),
        ("sources/?published_from=yesterday", "published_from", BAD_DATE),
        (
            "topics/?cursor=",
            "cursor",
            "This list does not offer cursor pagination.",
        ),
    ],
)
def test_bad_parameters_are_a_400_naming_the_parameter(
    client, seeds, url, param, message
):
    response = client.get(f"/api/v1/{url}")

    assert response.status_code == 400
    assert response.json() == {param: [message]}


def test_a_misspelt_parameter_is_refused_not_ignored(client, seeds):
    response = client.get("/api/v1/statements/?stnace=denies")

    assert response.status_code == 400
    message = response.json()["stnace"][0]
    assert message.startswith("Unknown parameter. Allowed here: actor, actor_exact,")
    assert "stance" in message


def test_an_unknown_slug_or_id_in_the_path_is_a_404(client, seeds):
    assert client.get("/api/v1/claims/flat-earth/").status_code == 404
    assert client.get("/api/v1/statements/9999/").status_code == 404
    assert client.get("/api/v1/statements/abc/thread/").status_code == 404


def test_a_page_past_the_end_is_a_404(client, seeds):
    response = client.get("/api/v1/statements/?page=99")

    assert response.status_code == 404
    assert response.json() == {"detail": "Invalid page."}


# Pagination ----------------------------------------------------------------------


def test_pages_hold_50_by_default_and_up_to_200(client, seeds):
    first = client.get("/api/v1/statements/").json()
    assert (first["count"], len(first["results"])) == (71, 50)
    assert first["next"].endswith("/api/v1/statements/?page=2")
    assert len(client.get("/api/v1/statements/?page_size=200").json()["results"]) == 71


def test_a_cursor_walks_every_statement_once_in_date_order(client, seeds):
    seen: list[int] = []
    url = "/api/v1/statements/?cursor=&page_size=20"
    while url:
        body = client.get(url).json()
        assert "count" not in body
        seen += [s["id"] for s in body["results"]]
        url = body["next"]

    assert seen == ids(client.get("/api/v1/statements/?page_size=200"))


# Resources --------------------------------------------------------------------


def test_a_statement_carries_its_actors_target_and_citations(client, seeds):
    body = client.get("/api/v1/statements/4/").json()

    assert body["actor"] == {
        "id": 9,
        "slug": "wang-wenbin",
        "name": "Wang Wenbin",
        "kind": "person",
    }
    assert body["on_behalf_of"] == {
        "id": 3,
        "slug": "mfa-china",
        "name": "Ministry of Foreign Affairs of China",
        "kind": "government_body",
    }
    assert (body["stance"], body["made_on"], body["date_precision"]) == (
        "rejects",
        "2021-02-04",
        "day",
    )
    assert body["claim"]["slug"] == "xinjiang-camps-sexual-violence"
    assert (body["document"], body["made_in"], body["responds_to"]) == (None, None, 1)
    first = body["citations"][0]
    assert {k: first[k] for k in ("start", "end", "quote_kind")} == {
        "start": 93,
        "end": 246,
        "quote_kind": "reported",
    }
    assert first["source"] == {
        "id": 1,
        "title": "",
        "label": "Untitled (news article, UrduPoint News, 2021-02-04)",
        "kind": "news_article",
        "publisher": {
            "id": 37,
            "slug": "urdupoint-news",
            "name": "UrduPoint News",
            "kind": "media_outlet",
        },
        "published_on": "2021-02-04",
        "url": "",
    }
    # Reported by article 000 (with his own words) and by article 001.
    assert [(c["source"]["id"], c["start"]) for c in body["citations"]] == [
        (1, 93),
        (1, 465),
        (2, 806),
    ]


def test_a_claim_carries_its_counts_by_stance(client, seeds):
    body = client.get("/api/v1/claims/xinjiang-camps-sexual-violence/").json()

    counts = {k: v for k, v in body["statement_counts"].items() if v}
    assert counts == {
        "reports": 1,
        "finds": 2,
        "rejects": 1,
        "expresses_concern": 1,
    }
    assert body["topics"] == ["detention", "sexual-violence", "xinjiang"]


def test_an_actor_carries_its_parent_children_and_aliases(client, seeds):
    body = client.get("/api/v1/actors/government-of-china/").json()

    assert body["parent"]["slug"] == "china"
    assert [c["slug"] for c in body["children"]] == [
        "chinese-state-media",
        "xinjiang-government",  # the Government of the Xinjiang Uyghur ...
        "mfa-china",
    ]
    assert "Beijing" in body["aliases"]


def test_a_source_carries_its_text_and_the_statements_citing_it(client, seeds):
    body = client.get("/api/v1/sources/4/").json()

    assert body["text"].startswith("China rejects mass detention of Muslims")
    assert body["published_on"] == "2019-02-13"
    assert body["published_time"] == "00:21:00"
    cited_by = {c["statement"]["id"] for c in body["citations"]}
    assert {18, 22, 31, 32, 35} <= cited_by
    first = body["citations"][0]
    assert body["text"][first["start"] : first["end"]] == first["quote"]


def test_topics_list_their_claim_counts(client, seeds):
    topics = client.get("/api/v1/topics/").json()["results"]

    assert {t["slug"]: t["claim_count"] for t in topics}["genocide"] == 1


# Permissions -------------------------------------------------------------------


def test_drafts_are_hidden_from_anonymous_readers_and_journalists(
    client, journalist, draft
):
    for reader in (client, journalist):
        assert draft.pk not in ids(reader.get("/api/v1/statements/?page_size=200"))
        assert reader.get(f"/api/v1/statements/{draft.pk}/").status_code == 404
        assert draft.pk not in ids(
            reader.get("/api/v1/citations/?statement=1&page_size=200")
        )
        thread = reader.get("/api/v1/statements/1/thread/").json()
        assert draft.pk not in [r["id"] for r in thread["responses"]]
        assert draft.pk not in ids(reader.get("/api/v1/statements/?status=draft"))


def test_a_reader_asking_for_answers_to_a_draft_is_told_it_does_not_exist(
    client, editor, draft
):
    response = client.get(f"/api/v1/statements/?responds_to={draft.pk}")

    assert response.status_code == 400
    assert response.json() == {"responds_to": [f"No statement has the id {draft.pk}."]}
    assert ids(editor.get(f"/api/v1/statements/?responds_to={draft.pk}")) == []


def test_editors_see_drafts(editor, draft):
    assert ids(editor.get("/api/v1/statements/?status=draft")) == [draft.pk]
    assert editor.get(f"/api/v1/statements/{draft.pk}/").status_code == 200


def test_anonymous_and_journalist_cannot_write(client, journalist, seeds):
    payload = {
        "actor": "bbc",
        "stance": "asserts",
        "claim": "xinjiang-camps-sexual-violence",
        "made_on": "2021-02-05",
        "summary": "x",
    }

    assert client.post("/api/v1/statements/", payload).status_code == 401
    assert journalist.post("/api/v1/statements/", payload).status_code == 403
    assert client.delete("/api/v1/citations/1/").status_code == 401
    assert Statement.objects.count() == 71


def test_an_editor_creates_a_statement_and_cites_it_with_a_straight_quote(
    editor, seeds
):
    created = editor.post(
        "/api/v1/statements/",
        {
            "actor": "antony-blinken",
            "stance": "welcomes",
            "document": 9,
            "made_on": "2022-09-01",
            "summary": "Blinken welcomed the report.",
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    statement = Statement.objects.get(pk=created.json()["id"])
    assert statement.on_behalf_of.slug == "us-department-of-state"
    assert statement.status == "draft"

    cited = editor.post(
        "/api/v1/citations/",
        {"statement": statement.pk, "source": 5, "quote": "the US has 'welcomed'"},
        format="json",
    )

    assert cited.status_code == 201, cited.json()
    citation = Citation.objects.get(pk=cited.json()["id"])
    assert citation.quote == "the US has \u2018welcomed\u2019"
    assert citation.source.text[citation.start : citation.end] == citation.quote


def test_a_quote_not_in_the_source_is_refused_through_the_api_and_nothing_written(
    editor, seeds
):
    response = editor.post(
        "/api/v1/citations/",
        {"statement": 4, "source": 1, "quote": "China admits everything"},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["quote"][0].startswith(
        "The quote is not in the source text."
    )
    assert Citation.objects.count() == 103


def test_a_statement_without_a_target_is_refused_and_nothing_written(editor, seeds):
    response = editor.post(
        "/api/v1/statements/",
        {"actor": "bbc", "stance": "asserts", "made_on": "2021-02-05", "summary": "x"},
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": [
            "A statement needs a target: a claim, a document, or the statement it "
            "responds to."
        ]
    }
    assert Statement.objects.count() == 71


def test_an_editor_changes_a_citations_quote_and_it_is_located_again(editor, seeds):
    response = editor.patch(
        "/api/v1/citations/1/",
        {"quote": "initially circulated by the BBC"},
        format="json",
        HTTP_IF_MATCH='"1"',
    )

    assert response.status_code == 200, response.json()
    citation = Citation.objects.get(pk=1)
    assert citation.quote == "initially circulated by the BBC"
    assert citation.source.text[citation.start : citation.end] == citation.quote
    assert response.json()["start"] == citation.start


def test_an_editor_changes_a_statements_stance(editor, seeds):
    response = editor.patch(
        "/api/v1/statements/5/",
        {"stance": "disputes"},
        format="json",
        HTTP_IF_MATCH='"1"',
    )

    assert response.status_code == 200, response.json()
    assert response.json()["stance"] == "disputes"
    assert Statement.objects.get(pk=5).stance == "disputes"


def test_an_unknown_stance_written_is_refused(editor, seeds):
    response = editor.patch(
        "/api/v1/statements/5/",
        {"stance": "shrugs"},
        format="json",
        HTTP_IF_MATCH='"1"',
    )

    assert response.status_code == 400
    assert response.json() == {"stance": ['"shrugs" is not a valid choice.']}
    assert Statement.objects.get(pk=5).stance == "asserts"


def test_deleting_a_statement_that_is_answered_is_a_409(editor, seeds):
    response = editor.delete("/api/v1/statements/1/", HTTP_IF_MATCH='"1"')

    assert response.status_code == 409
    assert Statement.objects.filter(pk=1).exists()


def test_anonymous_requests_are_throttled_more_tightly_than_tokens(
    client, journalist, seeds, monkeypatch
):
    from rest_framework.throttling import SimpleRateThrottle

    monkeypatch.setattr(
        SimpleRateThrottle, "THROTTLE_RATES", {"anon": "2/minute", "user": "4/minute"}
    )
    anonymous = [client.get("/api/v1/topics/").status_code for _ in range(3)]
    token = [journalist.get("/api/v1/topics/").status_code for _ in range(3)]

    assert anonymous == [200, 200, 429]
    assert token == [200, 200, 200]


# Search ------------------------------------------------------------------------


def test_search_across_everything_finds_the_hodgepodge(client, seeds):
    response = client.get("/api/v1/search/?q=hodgepodge")

    assert response.status_code == 200
    hits = response.json()["results"]
    assert ("statement", 58) in {(h["kind"], h["id"]) for h in hits}
    assert any("<mark>hodgepodge</mark>" in h["snippet"].lower() for h in hits)


def test_search_on_a_list_narrows_it(client, seeds):
    assert 58 in ids(client.get("/api/v1/statements/?q=hodgepodge"))
    assert "government-of-china" in [
        a["slug"] for a in client.get("/api/v1/actors/?q=Beijing").json()["results"]
    ]


@pytest.mark.parametrize(
    "url,param",
    [
        ("/api/v1/search/?q=", "q"),
        ("/api/v1/search/?q=x&kind=planet", "kind"),
        ("/api/v1/search/?q=x&limit=0", "limit"),
        ("/api/v1/statements/?q=OR", "q"),
    ],
)
def test_bad_searches_are_a_400(client, seeds, url, param):
    response = client.get(url)

    assert response.status_code == 400
    assert list(response.json()) == [param]


# Schema and query counts ------------------------------------------------------------


def test_the_openapi_schema_documents_every_filter_and_its_values(client):
    schema = client.get("/api/schema/?format=json").json()

    parameters = {
        p["name"]: p
        for p in schema["paths"]["/api/v1/statements/"]["get"]["parameters"]
    }
    assert {
        "actor", "actor_exact", "actor_kind", "country", "stance", "claim", "topic",
        "source", "publisher", "date_from", "date_to", "published_from",
        "published_to", "status", "quote_status", "responds_to", "document",
        "ordering", "q", "page", "page_size", "cursor",
    } <= set(parameters)  # fmt: skip
    assert "denies" in str(parameters["stance"]["schema"])
    assert client.get("/api/docs/").status_code == 200


@pytest.mark.parametrize(
    "url,queries",
    [
        # count, statements (+ actor, principal, claim joined), citations +
        # sources; on pages with statements about a document or made in one, a
        # query for each (statements_page_queries below)
        ("/api/v1/statements/", 3),
        # count, citations (+ source, publisher, statement, actor)
        ("/api/v1/citations/", 2),
        # count, claims with stance counts, topics
        ("/api/v1/claims/", 3),
        # count, actors (+ parent), children, aliases
        ("/api/v1/actors/", 4),
        # count, sources (+ publisher, author)
        ("/api/v1/sources/", 2),
        # count, topics with claim counts
        ("/api/v1/topics/", 2),
    ],
)
def test_list_pages_issue_a_constant_number_of_queries(
    client, seeds, django_assert_num_queries, url, queries
):
    for size in (1, 200):
        expected = queries + THROTTLE_QUERIES
        if url == "/api/v1/statements/":
            expected += statements_page_queries(size)
        with django_assert_num_queries(expected):
            assert client.get(f"{url}?page_size={size}").status_code == 200


def statements_page_queries(size: int) -> int:
    """The source queries of a page of published statements: the documents they
    are about and the documents they were made in, each when there is one."""
    page = Statement.objects.published().order_by("made_on", "pk")[:size]
    return sum(
        1
        for field in ("document", "made_in")
        if any(getattr(s, f"{field}_id") for s in page)
    )


def test_a_statements_page_queries_its_sources_only_when_it_has_some(client, seeds):
    assert statements_page_queries(1) == 0
    assert statements_page_queries(200) == 2


def test_the_openapi_schema_is_valid_and_generates_without_warnings(tmp_path):
    call_command(
        "spectacular",
        "--validate",
        "--fail-on-warn",
        "--file",
        str(tmp_path / "schema.yml"),
    )

    assert "/api/v1/statements/{id}/thread/:" in (tmp_path / "schema.yml").read_text()
