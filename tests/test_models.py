"""The model layer: database constraints, validation rules and the citation service."""

import datetime
import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction

from claims.integrity import install_citation_triggers, uninstall_citation_triggers
from claims.models import (
    Actor,
    Affiliation,
    Citation,
    Claim,
    Source,
    Statement,
)
from claims.services import attach_citation, verify_citations

pytestmark = pytest.mark.django_db

ARTICLE = (
    "BEIJING - China called a United Nations report \u201ca hodgepodge of false "
    "information\u201d, said spokesman Wang Wenbin. The report is a hodgepodge."
)


@pytest.fixture
def china():
    return Actor.objects.create(name="Government of China", slug="china", kind="state")


@pytest.fixture
def ministry(china):
    return Actor.objects.create(
        name="Ministry of Foreign Affairs of China",
        slug="mfa-china",
        kind="government_body",
        country="CN",
        parent=china,
    )


@pytest.fixture
def wang(ministry):
    person = Actor.objects.create(
        name="Wang Wenbin", slug="wang-wenbin", kind="person", country="CN"
    )
    Affiliation.objects.create(
        person=person,
        organisation=ministry,
        role="spokesperson",
        start_date=datetime.date(2020, 7, 1),
        end_date=datetime.date(2024, 1, 31),
    )
    return person


@pytest.fixture
def article():
    return Source.objects.create(kind="news_article", title="A report", text=ARTICLE)


@pytest.fixture
def claim():
    return Claim.objects.create(slug="report-false", text="The report is false.")


@pytest.fixture
def statement(wang, claim):
    return Statement.objects.create(
        actor=wang,
        stance="rejects",
        claim=claim,
        made_on=datetime.date(2022, 9, 1),
        summary="Wang Wenbin calls the report a hodgepodge of false information.",
    )


@pytest.fixture
def without_citation_triggers():
    """A database restored without FactDB's guards, where citations can break."""
    uninstall_citation_triggers(connection)
    yield
    install_citation_triggers(connection)


def _insert_fails(model, **fields):
    """Insert bypassing validation; the database itself must refuse the row."""
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.create(**fields)


# Database constraints ------------------------------------------------------------


def test_actor_slugs_are_unique(china):
    _insert_fails(Actor, name="China again", slug="china", kind="state")


def test_an_actor_kind_outside_the_vocabulary_is_refused_by_the_database():
    _insert_fails(Actor, name="X", slug="x", kind="planet")


def test_an_actor_cannot_be_its_own_parent(china):
    with pytest.raises(IntegrityError), transaction.atomic():
        Actor.objects.filter(pk=china.pk).update(parent=china)


def test_a_statement_stance_outside_the_vocabulary_is_refused(wang, claim):
    _insert_fails(
        Statement,
        actor=wang,
        stance="shrugs",
        claim=claim,
        made_on=datetime.date(2022, 9, 1),
        summary="x",
    )


def test_a_statement_without_any_target_is_refused_by_the_database(wang):
    _insert_fails(
        Statement,
        actor=wang,
        stance="denies",
        made_on=datetime.date(2022, 9, 1),
        summary="x",
    )


def test_a_statement_date_precision_outside_the_vocabulary_is_refused(wang, claim):
    _insert_fails(
        Statement,
        actor=wang,
        stance="denies",
        claim=claim,
        made_on=datetime.date(2022, 9, 1),
        date_precision="decade",
        summary="x",
    )


def test_citation_offsets_must_span_exactly_the_quote(statement, article):
    _insert_fails(
        Citation, statement=statement, source=article, quote="China", start=9, end=20
    )


def test_citation_end_must_follow_start(statement, article):
    _insert_fails(
        Citation, statement=statement, source=article, quote="", start=9, end=9
    )


def test_a_translation_needs_a_translator(statement, article):
    _insert_fails(
        Citation,
        statement=statement,
        source=article,
        quote="China",
        start=10,
        end=15,
        translation="Chine",
    )


def test_an_affiliation_period_must_not_end_before_it_starts(wang, ministry):
    _insert_fails(
        Affiliation,
        person=wang,
        organisation=ministry,
        role="spokesperson",
        start_date=datetime.date(2022, 1, 1),
        end_date=datetime.date(2021, 1, 1),
    )


def test_claim_slugs_are_unique(claim):
    _insert_fails(Claim, slug="report-false", text="Another")


# Validation rules ----------------------------------------------------------------


def test_an_actor_cannot_be_part_of_its_own_descendant(china, ministry):
    china.parent = ministry

    with pytest.raises(ValidationError) as raised:
        china.full_clean()

    assert raised.value.message_dict["parent"] == ["An actor cannot be part of itself."]


def test_a_country_must_be_an_iso_code():
    actor = Actor(name="Turkey", slug="turkey", kind="state", country="Turkey")

    with pytest.raises(ValidationError) as raised:
        actor.full_clean()

    assert "country" in raised.value.message_dict


def test_a_wikidata_id_must_look_like_one():
    actor = Actor(name="China", slug="cn", kind="state", wikidata_id="148")

    with pytest.raises(ValidationError) as raised:
        actor.full_clean()

    assert raised.value.message_dict["wikidata_id"] == [
        "A Wikidata id looks like Q148."
    ]


def test_only_a_person_holds_a_role(china, ministry):
    affiliation = Affiliation(person=china, organisation=ministry, role="member")

    with pytest.raises(ValidationError) as raised:
        affiliation.full_clean()

    assert raised.value.message_dict["person"] == ["Only a person holds a role."]


def test_a_statement_needs_a_target(wang):
    statement = Statement(
        actor=wang, stance="denies", made_on=datetime.date(2022, 9, 1), summary="x"
    )

    with pytest.raises(ValidationError) as raised:
        statement.full_clean()

    assert raised.value.messages == [
        "A statement needs a target: a claim, a document, or the statement it "
        "responds to."
    ]


def test_the_principal_defaults_to_the_speakers_organisation_on_that_date(
    wang, ministry, claim
):
    statement = Statement(
        actor=wang,
        stance="rejects",
        claim=claim,
        made_on=datetime.date(2022, 9, 1),
        summary="x",
    )

    statement.full_clean()

    assert statement.on_behalf_of == ministry


def test_no_principal_is_inferred_outside_the_affiliation_period(wang, claim):
    statement = Statement(
        actor=wang,
        stance="rejects",
        claim=claim,
        made_on=datetime.date(2019, 1, 1),
        summary="x",
    )

    statement.full_clean()

    assert statement.on_behalf_of is None


def test_an_explicit_principal_is_kept(wang, china, claim):
    statement = Statement(
        actor=wang,
        on_behalf_of=china,
        stance="rejects",
        claim=claim,
        made_on=datetime.date(2022, 9, 1),
        summary="x",
    )

    statement.full_clean()

    assert statement.on_behalf_of == china


# Citations -------------------------------------------------------------------------


def test_attaching_a_pasted_quote_stores_the_exact_source_passage(statement, article):
    citation = attach_citation(
        statement=statement,
        source=article,
        quote='"a hodgepodge of false information"',
        quote_kind="direct",
        attribution="spokesman Wang Wenbin",
    )

    stored = Citation.objects.get(pk=citation.pk)
    assert stored.quote == "\u201ca hodgepodge of false information\u201d"
    assert (stored.start, stored.end) == (47, 82)
    assert ARTICLE[47:82] == stored.quote
    assert stored.prefix == " called a United Nations report "
    assert stored.suffix == ", said spokesman Wang Wenbin. Th"
    assert stored.verification == "verified"
    assert stored.verified_at is not None


def test_a_quote_not_in_the_source_is_refused_and_nothing_is_written(
    statement, article
):
    with pytest.raises(ValidationError) as raised:
        attach_citation(
            statement=statement, source=article, quote="a pack of lies about Xinjiang"
        )

    assert raised.value.message_dict["quote"][0].startswith(
        "The quote is not in the source text."
    )
    assert Citation.objects.count() == 0


def test_an_ambiguous_quote_is_refused_until_a_suffix_chooses(statement, article):
    with pytest.raises(ValidationError) as raised:
        attach_citation(statement=statement, source=article, quote="a hodgepodge")

    assert raised.value.message_dict["quote"] == [
        "The quote occurs 2 times in the source (at offsets 48, 126); give a prefix "
        "or suffix of context, or the start offset of the one you mean."
    ]
    assert Citation.objects.count() == 0

    citation = attach_citation(
        statement=statement, source=article, quote="a hodgepodge", suffix="."
    )
    assert (citation.start, citation.end) == (126, 138)


def test_a_start_offset_past_the_text_is_refused(statement, article):
    with pytest.raises(ValidationError) as raised:
        attach_citation(
            statement=statement, source=article, quote="Wang Wenbin", start=10_000
        )

    assert raised.value.message_dict["quote"] == [
        "The quote does not start at offset 10000; it occurs at offset(s) 99."
    ]
    assert Citation.objects.count() == 0


def test_a_source_without_text_cannot_be_quoted(statement):
    report = Source.objects.create(kind="report", title="The assessment")

    with pytest.raises(ValidationError) as raised:
        attach_citation(statement=statement, source=report, quote="anything")

    assert raised.value.message_dict["source"] == [
        "This source has no stored text to quote from yet."
    ]


def test_a_source_text_hash_is_the_sha256_of_its_text(article):
    assert article.text_sha256 == hashlib.sha256(ARTICLE.encode("utf-8")).hexdigest()
    assert Source.objects.create(kind="report", title="No text").text_sha256 == ""


def test_changing_a_cited_passage_of_a_source_is_refused(statement, article):
    attach_citation(statement=statement, source=article, quote="Wang Wenbin")
    article.text = ARTICLE.replace("Wang Wenbin", "Wang Yi")

    with pytest.raises(ValidationError) as raised:
        article.save()

    assert raised.value.message_dict["text"][0].startswith(
        "This change would break 1 citation(s) of this source:"
    )
    assert Source.objects.get(pk=article.pk).text == ARTICLE


def test_moving_a_cited_passage_is_refused_not_reanchored(statement, article):
    attach_citation(statement=statement, source=article, quote="Wang Wenbin")
    article.text = "UPDATED: " + ARTICLE

    with pytest.raises(ValidationError):
        article.full_clean()
    with pytest.raises(ValidationError):
        article.save()

    assert Source.objects.get(pk=article.pk).text == ARTICLE


def test_changing_uncited_text_after_the_cited_passages_is_allowed(statement, article):
    attach_citation(statement=statement, source=article, quote="Wang Wenbin")
    article.text = ARTICLE + " Updated at 10:00."

    article.full_clean()
    article.save()

    assert Source.objects.get(pk=article.pk).text.endswith("Updated at 10:00.")


def test_the_database_refuses_a_text_update_that_breaks_a_citation(statement, article):
    attach_citation(statement=statement, source=article, quote="Wang Wenbin")

    with (
        pytest.raises(IntegrityError, match="would break a citation"),
        transaction.atomic(),
    ):
        Source.objects.filter(pk=article.pk).update(text="Rewritten.")

    assert Source.objects.get(pk=article.pk).text == ARTICLE


def test_the_database_accepts_a_text_update_that_keeps_every_citation(
    statement, article
):
    attach_citation(statement=statement, source=article, quote="Wang Wenbin")

    Source.objects.filter(pk=article.pk).update(text=ARTICLE + " More.")

    assert Source.objects.get(pk=article.pk).text == ARTICLE + " More."


def test_the_database_refuses_a_citation_whose_quote_is_not_at_its_offsets(
    statement, article
):
    with (
        pytest.raises(IntegrityError, match="not the source text at its offsets"),
        transaction.atomic(),
    ):
        Citation.objects.create(
            statement=statement, source=article, quote="Chine", start=10, end=15
        )

    assert Citation.objects.count() == 0


def test_the_database_refuses_moving_a_citations_offsets(statement, article):
    citation = attach_citation(statement=statement, source=article, quote="China")

    with (
        pytest.raises(IntegrityError, match="not the source text at its offsets"),
        transaction.atomic(),
    ):
        Citation.objects.filter(pk=citation.pk).update(start=11, end=16)

    assert Citation.objects.get(pk=citation.pk).start == citation.start


def test_an_allowed_edit_next_to_a_quote_refreshes_its_stored_context(
    statement, article
):
    citation = attach_citation(statement=statement, source=article, quote="China")
    # Same length, so every offset stays put: "BEIJING -" becomes "BEIJING –".
    article.text = ARTICLE.replace("BEIJING -", "BEIJING \u2013")

    article.save()

    stored = Citation.objects.get(pk=citation.pk)
    assert (stored.start, stored.end, stored.quote) == (10, 15, "China")
    assert stored.prefix == "BEIJING \u2013 "
    stored.full_clean()  # the unchanged citation still validates in its new context


def test_verify_citations_passes_when_every_quote_is_in_place(statement, article):
    attach_citation(statement=statement, source=article, quote="Wang Wenbin")

    call_command("verify_citations")

    assert Citation.objects.get().verification == "verified"


def test_verify_citations_fails_listing_a_corrupted_citation(
    statement, article, capsys, without_citation_triggers
):
    good = attach_citation(statement=statement, source=article, quote="Wang Wenbin")
    bad = attach_citation(statement=statement, source=article, quote="China")
    # Corrupt the stored quote behind the database's back.
    Citation.objects.filter(pk=bad.pk).update(quote="Chine")

    with pytest.raises(CommandError) as raised:
        call_command("verify_citations")

    assert str(raised.value) == "2 citation(s) checked, 1 verified, 1 failed."
    assert f"citation {bad.pk} (orphaned)" in capsys.readouterr().err
    assert Citation.objects.get(pk=bad.pk).verification == "orphaned"
    assert Citation.objects.get(pk=good.pk).verification == "verified"


def test_verify_citations_reports_a_drifted_citation(
    statement, article, without_citation_triggers
):
    citation = attach_citation(statement=statement, source=article, quote="China")
    Citation.objects.filter(pk=citation.pk).update(
        start=citation.start + 1, end=citation.end + 1
    )

    report = verify_citations()

    assert [(c.pk, c.verification) for c in report.failures] == [
        (citation.pk, "drifted")
    ]


# Queries ---------------------------------------------------------------------------


def test_statements_by_an_actor_include_its_sub_bodies_and_people(
    china, ministry, wang, statement, claim
):
    own = Statement.objects.create(
        actor=china,
        stance="denies",
        claim=claim,
        made_on=datetime.date(2022, 9, 2),
        summary="China denies.",
    )
    other = Actor.objects.create(name="United States", slug="usa", kind="state")
    Statement.objects.create(
        actor=other,
        stance="asserts",
        claim=claim,
        made_on=datetime.date(2022, 9, 2),
        summary="The US asserts.",
    )

    assert set(Statement.objects.by_actor(china)) == {own, statement}
    assert list(Statement.objects.by_actor(china, include_affiliates=False)) == [own]
    assert set(Actor.objects.with_descendants(china)) == {china, ministry, wang}
