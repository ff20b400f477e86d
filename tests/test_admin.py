"""The editors' admin: every page renders, changelists run a constant number of
queries, and the quote rules surface as form errors with nothing saved."""

import datetime
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.forms import Textarea
from django.urls import reverse

from claims.models import (
    Actor,
    Affiliation,
    Citation,
    Source,
    Statement,
    StatementSuggestion,
)

pytestmark = pytest.mark.django_db

# Curly quotes, an en dash, an apostrophe and double spaces, as in the seed articles.
SOURCE_TEXT = (
    "BEIJING \u2013 China\u2019s foreign ministry on Thursday called the UN report "
    "\u201ca hodgepodge of false information\u201d.  Spokesman Wang Wenbin said the "
    "report was \u201cpolitically motivated\u201d and that the camps were "
    "\u201cvocational  education and training centres\u201d. The report is a "
    "hodgepodge."
)
CAMPS_QUOTE = "the camps were \u201cvocational  education and training centres\u201d"
CAMPS_START = SOURCE_TEXT.index(CAMPS_QUOTE)
# "a hodgepodge" occurs twice: at 69 inside the first quote, at 256 in the last
# sentence.

SEEDS_WRITTEN = any((settings.BASE_DIR / "fixtures").glob("*.json"))

MODEL_NAMES = [
    "topic",
    "actor",
    "actoralias",
    "affiliation",
    "source",
    "claim",
    "statement",
    "citation",
    "statementsuggestion",
]

# Every admin page an editor opens starts with the same four queries: the session,
# the user, the user's permissions and the user's groups' permissions.
PAGE = 4
# Each changelist then counts the filtered rows, counts all rows (the "n total" next
# to the search box), and fetches one page of rows with their counts and every
# related object the columns print. What follows is per changelist.
ROWS = 3
CHANGELIST_QUERIES = {
    "topic": PAGE + ROWS,
    # + the distinct countries for the country filter.
    "actor": PAGE + ROWS + 1,
    "actoralias": PAGE + ROWS,
    "affiliation": PAGE + ROWS,
    # + the actors that published something (publisher filter), the first and last
    # publication dates and the distinct years (date hierarchy), the distinct
    # languages (language filter).
    "source": PAGE + ROWS + 4,
    # + the topics for the topic filter.
    "claim": PAGE + ROWS + 1,
    # + the topics (claim topic filter), the first and last dates and the distinct
    # dates (date hierarchy), the distinct actor countries (country filter).
    "statement": PAGE + ROWS + 4,
    "citation": PAGE + ROWS,
    # + the sources that have suggestions (source filter).
    "statementsuggestion": PAGE + ROWS + 1,
}


@pytest.fixture
def make_everything(
    make_topic, make_actor, make_source, make_claim, make_statement, make_citation
):
    """One object of every model, as an editor would have entered them."""

    def make() -> SimpleNamespace:
        topic = make_topic()
        china = make_actor("Government of China", country="CN", aliases=["Beijing"])
        ministry = make_actor(
            "Ministry of Foreign Affairs of China",
            kind=Actor.Kind.GOVERNMENT_BODY,
            country="CN",
            parent=china,
        )
        wang = make_actor("Wang Wenbin", kind=Actor.Kind.PERSON, country="CN")
        affiliation = Affiliation.objects.create(
            person=wang,
            organisation=ministry,
            role="spokesperson",
            start_date=datetime.date(2020, 7, 1),
        )
        outlet = make_actor("Reuters", kind=Actor.Kind.MEDIA_OUTLET, country="GB")
        source = make_source(
            SOURCE_TEXT, publisher=outlet, published_on=datetime.date(2022, 9, 1)
        )
        claim = make_claim(topics=[topic])
        statement = make_statement(
            wang, claim=claim, on_behalf_of=ministry, stance="asserts"
        )
        citation = make_citation(statement=statement, source=source, quote=CAMPS_QUOTE)
        statementsuggestion = StatementSuggestion.objects.create(
            source=source,
            attribution="Spokesman Wang Wenbin",
            speaker="Wang Wenbin",
            cue="said",
            actor=wang,
            stance="asserts",
            claim=claim,
            quote=CAMPS_QUOTE,
            start=CAMPS_START,
            end=CAMPS_START + len(CAMPS_QUOTE),
            confidence=0.8,
        )
        return SimpleNamespace(
            statementsuggestion=statementsuggestion,
            topic=topic,
            actor=china,
            actoralias=china.aliases.get(),
            affiliation=affiliation,
            source=source,
            claim=claim,
            statement=statement,
            citation=citation,
            ministry=ministry,
            wang=wang,
            outlet=outlet,
        )

    return make


@pytest.fixture
def everything(make_everything):
    return make_everything()


def form_data(response) -> dict:
    """The POST body a browser sends for an admin add or change page as rendered.

    Like a browser, it sends a textarea's line breaks as CRLF and drops the line
    breaks of a single-line input.
    """
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms += [inline.formset.management_form, *inline.formset.forms]
    data = {}
    for form in forms:
        for field in form:
            value = field.value()
            if value is None or value is False:
                continue
            if isinstance(value, list | tuple):
                value = [getattr(item, "pk", item) for item in value]
            elif isinstance(value, str) and isinstance(field.field.widget, Textarea):
                value = value.replace("\n", "\r\n")
            elif isinstance(value, str):
                value = value.replace("\r", "").replace("\n", "")
            data[field.html_name] = "on" if value is True else value
    return data


def statement_form(*, actor, claim, citations=(), **fields) -> dict:
    """The add-statement POST body with one inline row per citation dict."""
    data = {
        "actor": actor.pk,
        "stance": "asserts",
        "claim": claim.pk,
        "made_on": "2022-09-01",
        "date_precision": "day",
        "summary": "China calls the camps vocational training centres.",
        "status": "draft",
        "citations-TOTAL_FORMS": len(citations),
        "citations-INITIAL_FORMS": 0,
        "citations-MIN_NUM_FORMS": 0,
        "citations-MAX_NUM_FORMS": 1000,
        **fields,
    }
    for index, citation in enumerate(citations):
        row = {"quote_kind": "reported", **citation}
        data.update({f"citations-{index}-{key}": value for key, value in row.items()})
    return data


def inline_errors(response) -> list[dict]:
    return response.context["inline_admin_formsets"][0].formset.errors


# Registration and rendering ---------------------------------------------------------


def test_every_model_of_the_claims_app_is_registered_in_the_admin():
    registered = {m for m in admin.site._registry if m._meta.app_label == "claims"}

    # The history tables are read through each model's History page instead.
    recorded = {
        m
        for m in apps.get_app_config("claims").get_models()
        if not m._meta.model_name.startswith("historical")
    }
    assert registered == recorded
    assert sorted(m._meta.model_name for m in registered) == sorted(MODEL_NAMES)


@pytest.mark.parametrize("model_name", MODEL_NAMES)
def test_the_changelist_add_page_and_change_page_of_every_model_render_for_an_editor(
    editor_client, everything, model_name
):
    obj = getattr(everything, model_name)
    urls = [
        reverse(f"admin:claims_{model_name}_changelist"),
        reverse(f"admin:claims_{model_name}_add"),
        reverse(f"admin:claims_{model_name}_change", args=[obj.pk]),
    ]
    # Suggestions come from imports only: there is no page to add one.
    add_status = 403 if model_name == "statementsuggestion" else 200

    assert [editor_client.get(url).status_code for url in urls] == [
        200,
        add_status,
        200,
    ]


def test_a_person_is_edited_with_roles_held_and_an_organisation_with_members(
    editor_client, everything
):
    person_page = editor_client.get(
        reverse("admin:claims_actor_change", args=[everything.wang.pk])
    )
    ministry_page = editor_client.get(
        reverse("admin:claims_actor_change", args=[everything.ministry.pk])
    )

    def inlines(page):
        return [
            f.opts.verbose_name_plural for f in page.context["inline_admin_formsets"]
        ]

    assert inlines(person_page) == ["actor aliases", "roles held"]
    assert inlines(ministry_page) == ["actor aliases", "members"]
    assert "Ministry of Foreign Affairs of China" in person_page.text
    assert "Wang Wenbin" in ministry_page.text


# Changelist query counts ------------------------------------------------------------


@pytest.mark.parametrize("rows", [1, 10])
@pytest.mark.parametrize("model_name", MODEL_NAMES)
def test_every_changelist_runs_the_same_number_of_queries_for_1_or_10_objects(
    editor_client, make_everything, django_assert_num_queries, model_name, rows
):
    for _ in range(rows):
        make_everything()
    url = reverse(f"admin:claims_{model_name}_changelist")

    with django_assert_num_queries(CHANGELIST_QUERIES[model_name]):
        response = editor_client.get(url)

    assert response.status_code == 200
    assert len(response.context["cl"].result_list) >= rows


@pytest.mark.skipif(not SEEDS_WRITTEN, reason="the seed fixtures are not written yet")
@pytest.mark.parametrize("model_name", ["statement", "source", "claim", "actor"])
def test_the_main_changelists_render_the_seed_data_in_the_same_number_of_queries(
    editor_client, seeds, django_assert_num_queries, model_name
):
    model = apps.get_model("claims", model_name)
    url = reverse(f"admin:claims_{model_name}_changelist")

    with django_assert_num_queries(CHANGELIST_QUERIES[model_name]):
        response = editor_client.get(url)

    assert response.status_code == 200
    assert response.context["cl"].result_count == model.objects.count() > 0


def test_statement_citation_counts_are_not_multiplied_by_a_search_in_quotes(
    editor_client, everything, make_citation
):
    make_citation(
        statement=everything.statement,
        source=everything.source,
        quote="vocational education",
    )

    response = editor_client.get(
        reverse("admin:claims_statement_changelist"), {"q": "vocational"}
    )

    assert [s.citation_count for s in response.context["cl"].result_list] == [2]


def test_statements_are_filtered_by_actor_kind_country_and_claim_topic(
    editor_client, everything, make_statement, make_actor
):
    make_statement(make_actor("US Department of State", kind="government_body"))
    url = reverse("admin:claims_statement_changelist")

    response = editor_client.get(
        url,
        {
            "actor__kind__exact": "person",
            "actor__country": "CN",
            "claim__topics__id__exact": everything.topic.pk,
        },
    )

    assert list(response.context["cl"].result_list) == [everything.statement]
    assert [spec.title for spec in response.context["cl"].filter_specs] == [
        "stance",
        "status",
        "date precision",
        "speaker kind",
        "speaker country",
        "made on",
        "claim topic",
    ]


def test_the_statement_changelist_shows_each_target_and_citation_count(
    editor_client, everything, make_statement
):
    make_statement(
        everything.actor,
        stance="rejects",
        document=everything.source,
        responds_to=everything.statement,
        made_on=datetime.date(2022, 9, 2),
    )

    response = editor_client.get(reverse("admin:claims_statement_changelist"))

    rows = [
        (s.actor.name, s.stance, s.citation_count)
        for s in response.context["cl"].result_list
    ]
    assert rows == [
        ("Government of China", "rejects", 0),
        ("Wang Wenbin", "asserts", 1),
    ]
    assert "document: A news article" in response.text
    assert f"claim: {everything.claim.text}" in response.text


# Search and autocomplete --------------------------------------------------------------


def test_the_actor_changelist_finds_an_actor_by_alias(editor_client, everything):
    response = editor_client.get(
        reverse("admin:claims_actor_changelist"), {"q": "Beijing"}
    )

    assert list(response.context["cl"].result_list) == [everything.actor]


def test_the_speaker_autocomplete_finds_an_actor_by_alias(editor_client, everything):
    response = editor_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "claims",
            "model_name": "statement",
            "field_name": "actor",
            "term": "Beijing",
        },
    )

    assert response.status_code == 200
    assert response.json() == {
        "results": [{"id": str(everything.actor.pk), "text": "Government of China"}],
        "pagination": {"more": False},
    }


@pytest.mark.parametrize(
    ("model_name", "field_name", "term", "expected"),
    [
        ("statement", "claim", "Xinjiang", "claim"),
        ("statement", "document", "hodgepodge", "source"),
        ("statement", "responds_to", "vocational", "statement"),
        ("citation", "source", "Thursday", "source"),
        ("source", "publisher", "Reuters", "outlet"),
    ],
)
def test_autocompletes_search_claims_sources_statements_and_actors(
    editor_client, everything, model_name, field_name, term, expected
):
    response = editor_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "claims",
            "model_name": model_name,
            "field_name": field_name,
            "term": term,
        },
    )

    target = getattr(everything, expected)
    assert response.json()["results"] == [{"id": str(target.pk), "text": str(target)}]


# The citation inline ------------------------------------------------------------------


def test_a_pasted_quote_is_stored_as_the_exact_source_passage_with_its_offsets(
    editor_client, everything
):
    data = statement_form(
        actor=everything.wang,
        claim=everything.claim,
        citations=[
            {
                "source": everything.source.pk,
                # Straight quotes and a line break where the source has curly quotes
                # and a double space.
                "quote": 'the camps were "vocational education and\ntraining centres"',
                "attribution": "Spokesman Wang Wenbin",
            }
        ],
    )

    response = editor_client.post(reverse("admin:claims_statement_add"), data)

    assert response.status_code == 302
    statement = Statement.objects.exclude(pk=everything.statement.pk).get()
    citation = statement.citations.get()
    assert (citation.quote, citation.start, citation.end) == (
        CAMPS_QUOTE,
        CAMPS_START,
        CAMPS_START + len(CAMPS_QUOTE),
    )
    assert SOURCE_TEXT[citation.start : citation.end] == citation.quote
    assert citation.prefix == "politically motivated\u201d and that "
    assert citation.suffix == ". The report is a hodgepodge."
    assert citation.verification == Citation.Verification.VERIFIED
    assert citation.verified_at is not None
    assert citation.attribution == "Spokesman Wang Wenbin"
    # Statement.clean(): the speaker's organisation on that date is the principal.
    assert statement.on_behalf_of == everything.ministry


def test_a_quote_not_in_the_source_is_refused_with_the_closest_passage(
    editor_client, everything
):
    data = statement_form(
        actor=everything.wang,
        claim=everything.claim,
        citations=[
            {
                "source": everything.source.pk,
                "quote": '"vocational schools and training centres"',
            }
        ],
    )

    response = editor_client.post(reverse("admin:claims_statement_add"), data)

    assert response.status_code == 200
    assert inline_errors(response) == [
        {
            "quote": [
                "The quote is not in the source text. The closest passage (at "
                "offset 196) is: \u201c\u201cvocational  education and training "
                "centres\u201d\u201d"
            ]
        }
    ]
    assert "The quote is not in the source text" in response.text
    assert (Statement.objects.count(), Citation.objects.count()) == (1, 1)


def test_an_ambiguous_quote_is_refused_with_the_offsets_of_each_occurrence(
    editor_client, everything
):
    data = statement_form(
        actor=everything.wang,
        claim=everything.claim,
        citations=[{"source": everything.source.pk, "quote": "a hodgepodge"}],
    )

    response = editor_client.post(reverse("admin:claims_statement_add"), data)

    assert response.status_code == 200
    assert inline_errors(response) == [
        {
            "quote": [
                "The quote occurs 2 times in the source (at offsets 69, 256); give a "
                "prefix or suffix of context, or the start offset of the one you "
                "mean."
            ]
        }
    ]
    assert (Statement.objects.count(), Citation.objects.count()) == (1, 1)


@pytest.mark.parametrize(
    ("hint", "expected_start"),
    [
        ({"start": "256"}, 256),
        ({"start": "69"}, 69),
        ({"prefix": "The report is"}, 256),
        ({"prefix": 'called the UN report "'}, 69),
        ({"suffix": "of false information"}, 69),
    ],
)
def test_a_start_offset_prefix_or_suffix_chooses_between_occurrences(
    editor_client, everything, hint, expected_start
):
    data = statement_form(
        actor=everything.wang,
        claim=everything.claim,
        citations=[{"source": everything.source.pk, "quote": "a hodgepodge", **hint}],
    )

    response = editor_client.post(reverse("admin:claims_statement_add"), data)

    assert response.status_code == 302
    citation = Citation.objects.exclude(pk=everything.citation.pk).get()
    assert (citation.start, citation.end) == (expected_start, expected_start + 12)


def test_a_source_without_text_cannot_be_quoted(editor_client, everything, make_source):
    untexted = make_source("", title="The OHCHR assessment")
    data = statement_form(
        actor=everything.wang,
        claim=everything.claim,
        citations=[{"source": untexted.pk, "quote": "serious human rights violations"}],
    )

    response = editor_client.post(reverse("admin:claims_statement_add"), data)

    assert response.status_code == 200
    assert inline_errors(response) == [
        {"source": ["This source has no stored text to quote from yet."]}
    ]
    assert (Statement.objects.count(), Citation.objects.count()) == (1, 1)


def test_a_statement_without_a_target_is_refused_and_its_citations_not_saved(
    editor_client, everything
):
    data = statement_form(
        actor=everything.wang,
        claim=everything.claim,
        citations=[{"source": everything.source.pk, "quote": CAMPS_QUOTE}],
    )
    data["claim"] = ""

    response = editor_client.post(reverse("admin:claims_statement_add"), data)

    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors() == [
        "A statement needs a target: a claim, a document, or the statement it "
        "responds to."
    ]
    assert (Statement.objects.count(), Citation.objects.count()) == (1, 1)


def test_two_rows_citing_the_same_passage_are_refused(editor_client, everything):
    row = {"source": everything.source.pk, "quote": CAMPS_QUOTE}
    data = statement_form(
        actor=everything.wang, claim=everything.claim, citations=[row, row]
    )

    response = editor_client.post(reverse("admin:claims_statement_add"), data)

    assert response.status_code == 200
    end = CAMPS_START + len(CAMPS_QUOTE)
    assert inline_errors(response) == [
        {},
        {
            "quote": [
                "This passage is already cited by this statement "
                f"(offsets {CAMPS_START}\u2013{end})."
            ]
        },
    ]
    assert (Statement.objects.count(), Citation.objects.count()) == (1, 1)


def test_editing_a_citations_quote_relocates_it_although_the_old_start_is_posted(
    editor_client, everything
):
    url = reverse("admin:claims_statement_change", args=[everything.statement.pk])
    data = form_data(editor_client.get(url))
    assert data["citations-0-start"] == CAMPS_START
    data["citations-0-quote"] = '"politically motivated"'

    response = editor_client.post(url, data)

    assert response.status_code == 302
    everything.citation.refresh_from_db()
    start = SOURCE_TEXT.index("\u201cpolitically motivated\u201d")
    assert (everything.citation.quote, everything.citation.start) == (
        "\u201cpolitically motivated\u201d",
        start,
    )
    assert everything.citation.prefix == SOURCE_TEXT[start - 32 : start]


def test_a_longer_quote_that_still_begins_at_the_old_start_keeps_that_start(
    editor_client, everything, make_citation
):
    second = make_citation(
        statement=everything.statement,
        source=everything.source,
        quote="a hodge",
        start=256,
    )
    url = reverse("admin:claims_statement_change", args=[everything.statement.pk])
    data = form_data(editor_client.get(url))
    row = next(k for k, v in data.items() if k.endswith("-id") and v == second.pk)
    prefix = row.removesuffix("-id")
    # Found twice without a start; the untouched old start still fits the longer quote.
    data[f"{prefix}-quote"] = "a hodgepodge"

    response = editor_client.post(url, data)

    assert response.status_code == 302
    second.refresh_from_db()
    assert (second.quote, second.start, second.end) == ("a hodgepodge", 256, 268)


def test_saving_a_statement_unchanged_leaves_its_citations_untouched(
    editor_client, everything
):
    before = Citation.objects.values().get()
    url = reverse("admin:claims_statement_change", args=[everything.statement.pk])

    response = editor_client.post(url, form_data(editor_client.get(url)))

    assert response.status_code == 302
    assert Citation.objects.values().get() == before


def test_a_statement_still_saves_after_an_allowed_edit_of_the_text_before_its_quote(
    editor_client, everything
):
    # A same-length fix just before the quote keeps every cited passage in place
    # (Source.clean() allows it) but leaves the citation's stored prefix stale.
    source = everything.source
    source.text = source.text.replace("and that the camps", "AND that the camps")
    source.save()
    url = reverse("admin:claims_statement_change", args=[everything.statement.pk])
    data = form_data(editor_client.get(url))
    data["summary"] = "China says the camps are vocational training centres."

    response = editor_client.post(url, data)

    assert response.status_code == 302
    everything.statement.refresh_from_db()
    assert everything.statement.summary == data["summary"]
    everything.citation.refresh_from_db()
    assert everything.citation.start == CAMPS_START


def test_a_citation_added_on_its_own_page_is_located_like_an_inline_one(
    editor_client, everything
):
    data = {
        "statement": everything.statement.pk,
        "source": everything.source.pk,
        "quote": '"a hodgepodge of false information"',
        "quote_kind": "direct",
    }

    response = editor_client.post(reverse("admin:claims_citation_add"), data)

    assert response.status_code == 302
    citation = Citation.objects.exclude(pk=everything.citation.pk).get()
    assert (citation.quote, citation.start, citation.end) == (
        "\u201ca hodgepodge of false information\u201d",
        68,
        103,
    )
    assert citation.quote_kind == "direct"


def test_a_passage_the_statement_already_cites_is_refused_on_the_citation_page(
    editor_client, everything
):
    data = {
        "statement": everything.statement.pk,
        "source": everything.source.pk,
        "quote": 'the camps were "vocational education and training centres"',
        "quote_kind": "reported",
    }

    response = editor_client.post(reverse("admin:claims_citation_add"), data)

    assert response.status_code == 200
    end = CAMPS_START + len(CAMPS_QUOTE)
    assert response.context["adminform"].form.errors == {
        "quote": [
            "This passage is already cited by this statement "
            f"(offsets {CAMPS_START}\u2013{end})."
        ]
    }
    assert Citation.objects.count() == 1


def test_a_new_row_repeating_a_saved_citation_is_refused_on_the_statement_page(
    editor_client, everything
):
    url = reverse("admin:claims_statement_change", args=[everything.statement.pk])
    data = form_data(editor_client.get(url))
    data["citations-1-source"] = everything.source.pk
    data["citations-1-quote"] = CAMPS_QUOTE

    response = editor_client.post(url, data)

    assert response.status_code == 200
    end = CAMPS_START + len(CAMPS_QUOTE)
    assert inline_errors(response)[1] == {
        "quote": [
            "This passage is already cited by this statement "
            f"(offsets {CAMPS_START}\u2013{end})."
        ]
    }
    assert Citation.objects.count() == 1


# The source change form ---------------------------------------------------------------


def test_a_source_text_edit_that_would_break_a_citation_is_refused(
    editor_client, everything
):
    url = reverse("admin:claims_source_change", args=[everything.source.pk])
    data = form_data(editor_client.get(url))
    data["text"] = SOURCE_TEXT.replace("vocational  education", "vocational education")

    response = editor_client.post(url, data)

    assert response.status_code == 200
    [error] = response.context["adminform"].form.errors["text"]
    assert error.startswith(
        f"This change would break 1 citation(s) of this source: "
        f"#{everything.citation.pk} \u201cthe camps were"
    )
    everything.source.refresh_from_db()
    assert everything.source.text == SOURCE_TEXT
    assert everything.source.text_sha256 == Source.hash_text(SOURCE_TEXT)


def test_a_source_text_edit_that_keeps_every_citation_is_saved_with_its_new_hash(
    editor_client, everything
):
    url = reverse("admin:claims_source_change", args=[everything.source.pk])
    data = form_data(editor_client.get(url))
    assert "text_sha256" not in data  # read-only
    data["text"] = SOURCE_TEXT + " The ministry declined to comment further."

    response = editor_client.post(url, data)

    assert response.status_code == 302
    everything.source.refresh_from_db()
    assert everything.source.text == data["text"]
    assert everything.source.text_sha256 == Source.hash_text(data["text"])


def test_a_cited_text_survives_the_browser_round_trip_byte_for_byte(
    editor_client, everything, make_source, make_citation
):
    # A leading space and trailing line breaks, as some seed texts have; the browser
    # sends the line breaks back as CRLF.
    text = " date 2022-09-01\n\nBEIJING \u2013 " + SOURCE_TEXT + "\n\n"
    source = make_source(text)
    citation = make_citation(
        statement=everything.statement, source=source, quote="BEIJING - China's"
    )
    url = reverse("admin:claims_source_change", args=[source.pk])
    data = form_data(editor_client.get(url))
    assert data["text"] == text.replace("\n", "\r\n")

    response = editor_client.post(url, data)

    assert response.status_code == 302
    source.refresh_from_db()
    assert source.text == text
    citation.refresh_from_db()
    assert text[citation.start : citation.end] == citation.quote


@pytest.mark.skipif(not SEEDS_WRITTEN, reason="the seed fixtures are not written yet")
@pytest.mark.parametrize("model", [Statement, Source])
def test_every_seed_statement_and_source_saves_unchanged_from_its_change_page(
    editor_client, seeds, model
):
    refused = {}
    for pk in model.objects.order_by("pk").values_list("pk", flat=True):
        url = reverse(f"admin:claims_{model._meta.model_name}_change", args=[pk])
        response = editor_client.post(url, form_data(editor_client.get(url)))
        if response.status_code != 302:
            refused[pk] = [response.context["adminform"].form.errors] + [
                inline.formset.errors
                for inline in response.context["inline_admin_formsets"]
            ]

    assert refused == {}


def test_the_source_change_page_lists_the_statements_citing_it(
    editor_client, everything
):
    response = editor_client.get(
        reverse("admin:claims_source_change", args=[everything.source.pk])
    )

    statement_url = reverse(
        "admin:claims_statement_change", args=[everything.statement.pk]
    )
    assert f'<a href="{statement_url}">' in response.text
    assert "vocational  education and training centres" in response.text
