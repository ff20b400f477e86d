"""Large claims' timelines kept rendered (claims/caching.py), the public page and the
API's JSON, on the seed fixtures with the size from which a timeline is kept
lowered to one statement: a kept timeline is served without rendering, answers
If-None-Match with 304, and any change to what it shows is on the next request."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims import services
from claims.models import Actor, Citation, Claim, Source, Statement, Topic
from claims.stances import Stance

pytestmark = pytest.mark.django_db

CLAIM = "/claims/xinjiang-camps-sexual-violence/"
# Statement 10 (Dujarric, on this claim) answers statement 1 (the BBC, on CLAIM).
VISIT = "/claims/un-high-commissioner-visit-to-xinjiang/"


@pytest.fixture
def kept(settings, seeds):
    settings.TIMELINE_CACHE_STATEMENTS = 1


def statement_ids(body: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'<article[^>]* id="statement-(\d+)"', body)]


def test_a_kept_page_is_served_again_without_its_statements_queries(client, kept):
    first = client.get(CLAIM)
    with CaptureQueriesContext(connection) as queries:
        second = client.get(CLAIM)

    assert first.status_code == second.status_code == 200
    assert second.content == first.content
    assert second.headers["ETag"] == first.headers["ETag"]
    # The fingerprint of what it shows, and the digest of the code rendering it.
    assert re.fullmatch(r'"[0-9a-f]{32}-[0-9a-f]{16}"', second.headers["ETag"])
    # The claim, its topics, the timeline's ids, the fingerprint's four reads of
    # ids and versions (statements, citations, documents, claims), the cache: no
    # statement, citation or source is loaded.
    assert len(queries) == 8
    assert not any("claims_citation.quote" in q["sql"] for q in queries)
    assert not any('"claims_statement"."summary"' in q["sql"] for q in queries)


# The page and the API's JSON of the same timeline.
TIMELINE = "/api/v1/claims/xinjiang-camps-sexual-violence/timeline/"


@pytest.mark.parametrize("url", [CLAIM, TIMELINE])
def test_a_reader_who_has_the_timeline_gets_304_not_modified(client, kept, url):
    etag = client.get(url).headers["ETag"]

    response = client.get(url, headers={"if-none-match": etag})

    assert response.status_code == 304
    assert response.content == b""
    assert response.headers["ETag"] == etag
    assert client.get(url, headers={"if-none-match": '"other"'}).status_code == 200


@pytest.mark.parametrize("header", ["not an etag", '"unterminated', "", "W/"])
@pytest.mark.parametrize("url", [CLAIM, TIMELINE])
def test_a_malformed_if_none_match_gets_the_whole_timeline(client, kept, header, url):
    whole = client.get(url)

    response = client.get(url, headers={"if-none-match": header})

    assert response.status_code == 200
    assert response.content == whole.content
    assert response.headers["ETag"] == whole.headers["ETag"]


def kept_copies() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT cache_key FROM factdb_cache WHERE cache_key LIKE %s",
            [":1:kept-timeline:%"],
        )
        return {key for (key,) in cursor.fetchall()}


def test_a_new_version_replaces_the_copy_it_supersedes(client, kept):
    before = {url: client.get(url) for url in (CLAIM, TIMELINE)}
    _edit_claim()

    after = {url: client.get(url) for url in (CLAIM, TIMELINE)}

    # One entry per rendering of the claim, holding the latest version.
    assert kept_copies() == {
        ":1:kept-timeline:page:1",
        ":1:kept-timeline:api-readers:1",
    }
    for url in (CLAIM, TIMELINE):
        with CaptureQueriesContext(connection) as queries:
            again = client.get(url)
        assert queries and not any("claims_citation.quote" in q["sql"] for q in queries)
        assert after[url].headers["ETag"] != before[url].headers["ETag"]
        assert again.headers["ETag"] == after[url].headers["ETag"]
        assert again.content == after[url].content


def test_small_pages_and_pages_with_parameters_are_rendered_every_time(
    client, seeds, settings
):
    # The default size: the seed claims are far smaller.
    assert settings.TIMELINE_CACHE_STATEMENTS == 100
    assert "ETag" not in client.get(CLAIM).headers

    settings.TIMELINE_CACHE_STATEMENTS = 1
    response = client.get(CLAIM + "?q=camps")
    assert "ETag" not in response.headers
    assert 'name="q" value="camps"' in response.content.decode()


def _rename_speaker():
    # Wang Wenbin, who speaks and publishes nothing.
    Actor.objects.filter(pk=9).update(name="The Renamed Spokesman")
    return "The Renamed Spokesman"


def _rename_publisher():
    # The publisher of sources 1 and 2, which have no title: they are named by it.
    Actor.objects.filter(pk=37).update(name="The Renamed Publisher")
    return "The Renamed Publisher"


def _rename_principal():
    actor = Actor.objects.get(pk=3)
    actor.name = "The Renamed Ministry"
    actor.save()
    return 'on behalf of <a href="/actors/' + actor.slug + '/">The Renamed Ministry'


def _edit_claim():
    claim = Claim.objects.get(slug="xinjiang-camps-sexual-violence")
    claim.text = "An edited claim"
    claim.save()
    return "<h1>An edited claim</h1>"


def _rename_topic():
    Topic.objects.filter(pk=2).update(name="A renamed topic")
    return "A renamed topic"


def _add_topic():
    Claim.objects.get(pk=1).topics.add(Topic.objects.create(name="An added topic"))
    return "An added topic"


def _retitle_cited_source():
    source = Source.objects.get(pk=2)
    source.title = "A retitled source"
    source.save()
    return 'href="/sources/2/#citation-2">A retitled source</a>'


def _retitle_document():
    # The OHCHR assessment, which statements 44 and 46 were made in.
    source = Statement.objects.get(pk=44).made_in
    source.title = "A retitled report"
    source.save()
    return f'Made in <a href="/sources/{source.pk}/">A retitled report</a>'


def _edit_answering_claim():
    # Statement 10, on the visit claim, answers statement 1 on this one.
    claim = Claim.objects.get(slug="un-high-commissioner-visit-to-xinjiang")
    claim.text = "An edited claim of an answer"
    claim.save()
    return "An edited claim of an answer"


def _add_answer():
    Statement.objects.create(
        actor_id=14,
        stance=Stance.DENIES,
        claim_id=18,
        responds_to_id=1,
        made_on=datetime.date(2030, 1, 1),
        summary="A new answer, on another claim.",
        status=Statement.Status.PUBLISHED,
    )
    return "A new answer, on another claim."


EDITS = {
    "speaker renamed by a bulk update": _rename_speaker,
    "publisher of untitled cited sources renamed": _rename_publisher,
    "principal renamed": _rename_principal,
    "claim edited": _edit_claim,
    "topic renamed": _rename_topic,
    "topic added to the claim": _add_topic,
    "cited source retitled": _retitle_cited_source,
    "document statements were made in retitled": _retitle_document,
    "claim of an answer edited": _edit_answering_claim,
    "answer on another claim added": _add_answer,
}


@pytest.mark.parametrize("edit", EDITS.values(), ids=EDITS.keys())
def test_any_change_to_what_a_kept_page_shows_is_on_the_next_request(
    client, kept, edit
):
    before = client.get(CLAIM)
    expected = edit()

    after = client.get(CLAIM)

    assert expected not in before.content.decode()
    assert expected in after.content.decode()
    assert after.headers["ETag"] != before.headers["ETag"]


def test_a_changed_or_deleted_citation_is_on_the_next_request(client, kept):
    before = client.get(CLAIM).content.decode()
    Citation.objects.filter(pk=3).delete()
    citation = Citation.objects.get(pk=2)
    direct = citation.quote_kind == "direct"
    citation.quote_kind = "indirect" if direct else "direct"
    citation.save()

    after = client.get(CLAIM).content.decode()

    assert "#citation-3" in before and "#citation-3" not in after
    own_words = "the actor's own words"
    assert after.count(own_words) == before.count(own_words) + (-1 if direct else 1)


def test_a_statement_unpublished_leaves_the_kept_page(client, kept):
    assert 3 in statement_ids(client.get(CLAIM).content.decode())

    Statement.objects.filter(pk=3).update(status=Statement.Status.DRAFT)

    assert 3 not in statement_ids(client.get(CLAIM).content.decode())


def test_the_statement_answered_on_another_claim_is_followed_too(client, kept):
    # The visit claim's page shows whom statement 10 answers: the BBC's statement 1.
    link = 'class="responds-to" href="/claims/xinjiang-camps-sexual-violence/'
    assert link in client.get(VISIT).content.decode()

    # A published answer to a draft must not reveal that the draft exists.
    Statement.objects.filter(pk=1).update(status=Statement.Status.DRAFT)

    assert link not in client.get(VISIT).content.decode()


@pytest.mark.parametrize("url", [CLAIM, TIMELINE])
def test_a_precondition_on_another_version_fails_with_412(client, kept, url):
    etag = client.get(url).headers["ETag"]

    assert client.get(url, headers={"if-match": etag}).status_code == 200
    refused = client.get(url, headers={"if-match": '"other"'})
    assert refused.status_code == 412
    assert refused.content == b""


# The API's timeline ---------------------------------------------------------------


def rendered_timeline(client, settings) -> dict:
    """The timeline as rendered now, not kept."""
    size = settings.TIMELINE_CACHE_STATEMENTS
    settings.TIMELINE_CACHE_STATEMENTS = 10**6
    try:
        response = client.get(TIMELINE)
        assert "ETag" not in response.headers
        return response.json()
    finally:
        settings.TIMELINE_CACHE_STATEMENTS = size


def test_a_kept_timeline_is_the_json_rendered_and_read_without_its_statements(
    client, kept, settings
):
    first = client.get(TIMELINE)
    with CaptureQueriesContext(connection) as queries:
        second = client.get(TIMELINE)

    assert first.status_code == second.status_code == 200
    assert second.content == first.content
    assert second.headers["Content-Type"] == first.headers["Content-Type"]
    assert second.headers["Content-Type"] == "application/json"
    for header in ("Allow", "Vary", "Cache-Control"):
        assert second.headers.get(header) == first.headers.get(header), header
    assert second.headers["ETag"] == first.headers["ETag"]
    assert re.fullmatch(r'"[0-9a-f]{32}-[0-9a-f]{16}"', second.headers["ETag"])
    # The throttle's read and write, the claim with its counts, its topics, the
    # timeline's ids, the fingerprint's four reads, the cache: no statement,
    # citation or source is loaded. (Read before the next request resets the log.)
    assert len(queries) == 10
    assert not any("claims_citation.quote" in q["sql"] for q in queries)
    assert not any('"claims_statement"."summary"' in q["sql"] for q in queries)
    assert second.json() == rendered_timeline(client, settings)
    assert [s["id"] for s in second.json()["statements"]][:3] == [1, 3, 7]


def test_the_browsable_api_and_requests_with_parameters_are_not_kept(client, kept):
    page = client.get(TIMELINE, headers={"accept": "text/html"})
    with_format = client.get(TIMELINE + "?format=json")

    assert page.status_code == with_format.status_code == 200
    assert page.headers["Content-Type"] == "text/html; charset=utf-8"
    assert "ETag" not in page.headers and "ETag" not in with_format.headers
    # The JSON kept since is JSON, whatever was asked before.
    assert client.get(TIMELINE).headers["Content-Type"] == "application/json"


def test_small_timelines_are_rendered_every_time(client, seeds, settings):
    assert settings.TIMELINE_CACHE_STATEMENTS == 100

    assert "ETag" not in client.get(TIMELINE).headers


def test_editors_and_readers_each_get_their_own_kept_timeline(client, kept, editor):
    Statement.objects.filter(pk=3).update(status=Statement.Status.DRAFT)
    client.force_login(editor)
    for_editor = client.get(TIMELINE)
    client.logout()
    for_reader = client.get(TIMELINE)
    client.force_login(editor)

    assert 3 in [s["id"] for s in for_editor.json()["statements"]]
    assert 3 not in [s["id"] for s in for_reader.json()["statements"]]
    assert for_reader.headers["ETag"] != for_editor.headers["ETag"]
    assert client.get(TIMELINE).content == for_editor.content


def _reverify_citations():
    # A check that confirms the recorded status only refreshes `verified_at`.
    versions = list(Citation.objects.order_by("pk").values_list("version"))
    assert services.verify_citations().ok
    assert list(Citation.objects.order_by("pk").values_list("version")) == versions


def _unpublish_statement():
    Statement.objects.filter(pk=3).update(status=Statement.Status.DRAFT)


def _reslug_topic():
    Topic.objects.filter(pk=2).update(slug="a-renamed-topic")


# The API shows a claim's topics by slug, not by name.
API_EDITS = {
    **{name: edit for name, edit in EDITS.items() if name != "topic renamed"},
    "topic's slug changed": _reslug_topic,
    "citations verified again": _reverify_citations,
    "statement unpublished": _unpublish_statement,
    "citation deleted": lambda: Citation.objects.filter(pk=3).delete(),
}


@pytest.mark.parametrize("edit", API_EDITS.values(), ids=API_EDITS.keys())
def test_any_change_to_what_a_kept_timeline_shows_is_on_the_next_request(
    client, kept, settings, edit
):
    before = client.get(TIMELINE)
    edit()

    after = client.get(TIMELINE)

    assert after.json() != before.json()
    assert after.json() == rendered_timeline(client, settings)
    assert after.headers["ETag"] != before.headers["ETag"]
