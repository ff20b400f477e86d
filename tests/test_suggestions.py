"""The statement suggester: its output on a seed article against the editors'
statements, pronouns and titles, accepting and discarding, the evaluation command,
the admin actions and the API list."""

import datetime
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from claims import quotes
from claims.models import Actor, Citation, Claim, Source, Statement, StatementSuggestion
from claims.services import (
    accept_suggestion,
    build_suggester,
    discard_suggestion,
    suggest_statements,
)
from claims.suggestions import KnownActor, KnownRole, Suggester
from tests.conftest import THROTTLE_QUERIES

# Article 001 (source 2): what the suggester proposes, as (speaker, stance, quote
# offsets, claim). Each overlaps a citation of the same actor in the editors'
# record (statements 10, 1/2, 10, 4/5, 11, 12, 13/14, 15, 16, 17, 18).
ARTICLE_001 = [
    (
        "stephane-dujarric",
        "calls_for",
        98,
        357,
        "un-high-commissioner-visit-to-xinjiang",
    ),
    ("bbc", "reports", 373, 542, "xinjiang-camps-sexual-violence"),
    (
        "stephane-dujarric",
        "calls_for",
        545,
        787,
        "un-high-commissioner-visit-to-xinjiang",
    ),
    ("wang-wenbin", "rejects", 806, 1061, "xinjiang-camps-operate-lawfully"),
    (
        "michelle-bachelet",
        "calls_for",
        1063,
        1207,
        "un-high-commissioner-visit-to-xinjiang",
    ),
    ("government-of-china", "welcomes", 1209, 1322, None),
    ("western-nations-organisations-media", "accuses", 1324, 1533, None),
    ("cerd", "finds", 1535, 1729, None),
    ("government-of-the-united-states", "asserts", 1868, 1996, "xinjiang-genocide"),
    ("government-of-china", "denies", 1998, 2028, None),
    ("government-of-china", "asserts", 2033, 2132, None),
]


def rows(suggestions) -> list[tuple]:
    return [
        (
            s.actor.slug if s.actor_id else None,
            s.stance,
            s.start,
            s.end,
            s.claim.slug if s.claim_id else None,
        )
        for s in suggestions
    ]


def test_the_suggestions_for_article_001_are_the_editors_statements(seeds):
    source = Source.objects.get(pk=2)

    suggestions = suggest_statements(source=source)

    assert rows(StatementSuggestion.objects.order_by("start")) == ARTICLE_001
    for suggestion in suggestions:
        assert suggestion.quote == source.text[suggestion.start : suggestion.end]
        cited = Citation.objects.filter(
            source=source,
            statement__actor=suggestion.actor,
            start__lt=suggestion.end,
            end__gt=suggestion.start,
        )
        assert cited.exists(), suggestion
    assert [
        (s.attribution, s.speaker, s.cue, s.quote_kind)
        for s in StatementSuggestion.objects.order_by("start")[:4]
    ] == [
        (
            "UN spokesperson Stephane Dujarric",
            "Stephane Dujarric",
            "called for",
            "reported",
        ),
        ("BBC", "BBC", "reported", "reported"),
        ("Dujarric", "Stephane Dujarric", "said", "direct"),
        (
            "Chinese Foreign Ministry Spokesman Wang Wenbin",
            "Wang Wenbin",
            "rejected",
            "reported",
        ),
    ]
    assert StatementSuggestion.objects.get(start=545).quote.startswith(
        "Taking into account the nature of the allegations"
    )


def test_a_spokesperson_is_proposed_on_behalf_of_the_ministry(seeds):
    suggest_statements(source=Source.objects.get(pk=1))

    wang = StatementSuggestion.objects.filter(actor__slug="wang-wenbin")

    assert {s.on_behalf_of.slug for s in wang} == {"mfa-china"}


def test_pronouns_and_titles_refer_back_to_the_named_speaker():
    suggester = Suggester(
        [
            KnownActor(
                id=1,
                name="Deng Li",
                kind="person",
                roles=(KnownRole("Ambassador of China to Turkey", 2),),
            ),
            KnownActor(
                id=2, name="Embassy of China in Ankara", kind="diplomatic_mission"
            ),
            KnownActor(id=3, name="Turkey", kind="state", aliases=("Ankara",)),
            KnownActor(
                id=4, name="Government of Turkey", kind="government_body", parent_id=3
            ),
        ]
    )
    text = (
        "Chinese Ambassador Deng Li rejected the claims.\n\n"
        '"We aim to prevent radicalization by teaching them," he said.\n\n'
        "The ambassador said the reports were deliberately exaggerated.\n\n"
        "Turkey condemned the camps.\n\n"
        "Deng said the courses are voluntary."
    )

    found = suggester.suggest(text, published_on=datetime.date(2019, 2, 13))

    assert [
        (s.attribution, s.actor_id, s.on_behalf_of_id, s.stance, s.quote) for s in found
    ] == [
        (
            "Chinese Ambassador Deng Li",
            1,
            2,
            "rejects",
            "Chinese Ambassador Deng Li rejected the claims.",
        ),
        ("he", 1, 2, "asserts", "We aim to prevent radicalization by teaching them"),
        (
            "The ambassador",
            1,
            2,
            "disputes",
            "The ambassador said the reports were deliberately exaggerated.",
        ),
        # A state named as speaker stands for its government.
        ("Turkey", 4, None, "condemns", "Turkey condemned the camps."),
        ("Deng", 1, 2, "asserts", "Deng said the courses are voluntary."),
    ]
    assert all(
        quotes.verify_quote(text, s.quote, s.start, s.end) == "verified" for s in found
    )


def test_an_unknown_speaker_with_a_name_is_proposed_without_an_actor():
    found = Suggester([]).suggest("John Smith said the report was wrong.")

    assert [(s.attribution, s.actor_id, s.confidence) for s in found] == [
        ("John Smith", None, 0.25)
    ]


def test_suggesting_again_replaces_pending_suggestions_and_keeps_reviewed_ones(seeds):
    source = Source.objects.get(pk=2)
    first = suggest_statements(source=source)
    discard_suggestion(suggestion=first[0])

    again = suggest_statements(source=source)

    assert len(again) == len(first) - 1
    assert StatementSuggestion.objects.filter(source=source).count() == len(first)
    assert StatementSuggestion.objects.get(pk=first[0].pk).status == "discarded"


# Accepting and discarding -----------------------------------------------------------


@pytest.fixture
def dujarric_suggestion(seeds) -> StatementSuggestion:
    suggest_statements(source=Source.objects.get(pk=2))
    return StatementSuggestion.objects.get(source_id=2, start=98)


def test_accepting_creates_a_draft_statement_with_a_verified_citation(
    dujarric_suggestion,
):
    statement = accept_suggestion(suggestion=dujarric_suggestion)

    statement.refresh_from_db()
    assert (
        statement.actor.slug,
        statement.on_behalf_of.slug,
        statement.stance,
        statement.claim.slug,
        statement.made_on,
        statement.date_precision,
        statement.status,
    ) == (
        "stephane-dujarric",
        "un-secretariat",
        "calls_for",
        "un-high-commissioner-visit-to-xinjiang",
        datetime.date(2021, 2, 5),
        "on_or_before",
        "draft",
    )
    citation = statement.citations.get()
    assert (
        citation.source_id,
        citation.start,
        citation.end,
        citation.verification,
    ) == (
        2,
        98,
        357,
        "verified",
    )
    assert citation.attribution == "UN spokesperson Stephane Dujarric"
    dujarric_suggestion.refresh_from_db()
    assert (dujarric_suggestion.status, dujarric_suggestion.statement) == (
        "accepted",
        statement,
    )


def test_an_editor_can_override_the_speaker_stance_and_claim_on_accepting(
    dujarric_suggestion,
):
    statement = accept_suggestion(
        suggestion=dujarric_suggestion,
        actor=Actor.objects.get(slug="un-secretariat"),
        stance="demands",
        claim=Claim.objects.get(slug="xinjiang-camps-sexual-violence"),
    )

    assert (statement.actor.slug, statement.on_behalf_of, statement.stance) == (
        "un-secretariat",
        None,
        "demands",
    )


def test_accepting_without_a_matched_actor_is_refused_with_nothing_written(
    dujarric_suggestion,
):
    dujarric_suggestion.actor = None
    dujarric_suggestion.save()
    statements = Statement.objects.count()

    with pytest.raises(ValidationError) as refused:
        accept_suggestion(suggestion=dujarric_suggestion)

    assert refused.value.message_dict == {
        "actor": [
            "No known actor matched \u201cUN spokesperson Stephane Dujarric\u201d: "
            "choose the speaker on the suggestion, then accept it."
        ]
    }
    assert Statement.objects.count() == statements
    dujarric_suggestion.refresh_from_db()
    assert dujarric_suggestion.status == "pending"


def test_accepting_without_a_claim_asks_for_one(seeds):
    suggest_statements(source=Source.objects.get(pk=2))
    beijing = StatementSuggestion.objects.get(source_id=2, start=1209)

    with pytest.raises(ValidationError) as refused:
        accept_suggestion(suggestion=beijing)

    assert refused.value.message_dict == {
        "claim": [
            "A statement needs a target: choose the claim this suggestion is "
            "about, then accept it."
        ]
    }


def test_a_discarded_suggestion_cannot_be_accepted_nor_an_accepted_one_discarded(
    dujarric_suggestion,
):
    other = StatementSuggestion.objects.get(source_id=2, start=373)
    discard_suggestion(suggestion=other)
    accept_suggestion(suggestion=dujarric_suggestion)

    with pytest.raises(ValidationError, match="already discarded"):
        accept_suggestion(suggestion=other)
    with pytest.raises(ValidationError, match="was accepted"):
        discard_suggestion(suggestion=dujarric_suggestion)


# The evaluation ---------------------------------------------------------------------


def test_the_evaluation_prints_precision_and_recall_per_article_and_overall(seeds):
    out = StringIO()

    call_command("evaluate_suggestions", stdout=out)

    lines = out.getvalue().splitlines()
    assert lines[0] == (
        "source | suggestions | statements | precision exact/hierarchy | "
        "recall exact/hierarchy | stance agreement"
    )
    assert lines[2] == (
        "Untitled (news article, UrduPoint News, 2021-02-05) | 11 | 13 | "
        "1.00/1.00 | 1.00/1.00 | 0.92"
    )
    assert lines[-1] == "overall | 76 | 87 | 0.78/0.96 | 0.69/0.84 | 0.85"
    assert len(lines) == 7


def test_the_evaluation_needs_the_seed_fixtures(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="load the seed fixtures first"):
        call_command("evaluate_suggestions")


# Admin and API ----------------------------------------------------------------------


def test_the_admin_accepts_and_discards_selected_suggestions(
    editor_client, dujarric_suggestion
):
    unmatched = StatementSuggestion.objects.get(source_id=2, start=373)
    unmatched.actor = None
    unmatched.save()
    discard = StatementSuggestion.objects.get(source_id=2, start=1209)
    url = reverse("admin:claims_statementsuggestion_changelist")

    accepted = editor_client.post(
        url,
        {
            "action": "accept_suggestions",
            "_selected_action": [dujarric_suggestion.pk, unmatched.pk],
        },
        follow=True,
    )
    discarded = editor_client.post(
        url,
        {"action": "discard_suggestions", "_selected_action": [discard.pk]},
        follow=True,
    )

    assert [str(m) for m in accepted.context["messages"]] == [
        f"Suggestion {unmatched.pk} (\u201cBBC\u201d): No known actor matched "
        "\u201cBBC\u201d: choose the speaker on the suggestion, then accept it.",
        "1 suggestion(s) accepted as draft statements.",
    ]
    assert [str(m) for m in discarded.context["messages"]] == [
        "1 suggestion(s) discarded."
    ]
    assert dict(
        StatementSuggestion.objects.filter(
            pk__in=[dujarric_suggestion.pk, unmatched.pk, discard.pk]
        ).values_list("pk", "status")
    ) == {
        dujarric_suggestion.pk: "accepted",
        unmatched.pk: "pending",
        discard.pk: "discarded",
    }


def token_client(*codenames: str) -> APIClient:
    user = get_user_model().objects.create_user(username=f"u-{'-'.join(codenames)}")
    for codename in codenames:
        user.user_permissions.add(Permission.objects.get(codename=codename))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user)}")
    return client


def test_editors_list_a_sources_suggestions_through_the_api(
    dujarric_suggestion, django_assert_num_queries
):
    editor = token_client("view_statementsuggestion", "change_statement")
    url = "/api/v1/sources/2/suggestions/"

    anonymous = APIClient().get(url)
    journalist = token_client().get(url)
    # The token with its user, the user's and its groups' permissions, the source,
    # the suggestions with their actors, principal, claim and statement; and the
    # rate limit's.
    with django_assert_num_queries(5 + THROTTLE_QUERIES):
        response = editor.get(url)

    assert (anonymous.status_code, journalist.status_code) == (401, 403)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == len(ARTICLE_001)
    assert body["results"][0] == {
        "id": dujarric_suggestion.pk,
        "attribution": "UN spokesperson Stephane Dujarric",
        "speaker": "Stephane Dujarric",
        "cue": "called for",
        "actor": {
            "id": 25,
            "slug": "stephane-dujarric",
            "name": "Stephane Dujarric",
            "kind": "person",
        },
        "on_behalf_of": {
            "id": 21,
            "slug": "un-secretariat",
            "name": "United Nations Secretariat",
            "kind": "un_body",
        },
        "stance": "calls_for",
        "claim": "un-high-commissioner-visit-to-xinjiang",
        "quote": Source.objects.get(pk=2).text[98:357],
        "start": 98,
        "end": 357,
        "quote_kind": "reported",
        "confidence": 0.8,
        "status": "pending",
        "statement": None,
    }
    assert editor.get("/api/v1/sources/999/suggestions/").status_code == 404
    assert editor.get("/api/v1/sources/abc/suggestions/").status_code == 404


def test_the_suggester_knows_every_actor_alias_and_claim(seeds):
    suggester = build_suggester()

    assert len(suggester.matcher.actors) == Actor.objects.count()
    assert len(suggester.claims) == Claim.objects.count()
