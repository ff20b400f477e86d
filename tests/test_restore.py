"""Restoring deleted records through the services (claims.services): what the
admin's "Deleted records" page calls, and what the API could offer."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from claims.models import Citation, Claim, Source, Statement
from claims.services import restore_record, restore_statement
from tests.helpers import member_of

TEXT = "Beijing called the report a farce on Thursday, and a lie on Friday."


@pytest.fixture
def deleted(make_source, make_statement, make_citation):
    """A statement with two citations, deleted (the citations with it)."""
    source = make_source(TEXT)
    statement = make_statement()
    farce = make_citation(statement=statement, source=source, quote="a farce")
    lie = make_citation(statement=statement, source=source, quote="a lie")
    ids = statement.pk, farce.pk, lie.pk
    statement.delete()
    return ids[0], source, ids[1], ids[2]


def test_a_statement_is_restored_with_the_citations_chosen_verified_in_one_go(
    deleted,
):
    statement_id, source, farce, lie = deleted
    deleted_at = Citation.history.get(id=farce, history_type="-").verified_at
    # Nothing cites the source now: its text may change after the quote.
    source.text = TEXT.replace("a lie", "a lie again")
    source.save()

    statement = restore_statement(statement_id=statement_id, citation_ids=[farce])

    assert statement.pk == statement_id
    restored = Citation.objects.get(statement_id=statement_id)
    assert (restored.pk, restored.quote) == (farce, "a farce")
    # Verified against the source's current text, its context read from it.
    assert source.text[restored.start : restored.end] == "a farce"
    assert "a lie again" in restored.suffix
    assert restored.verification == Citation.Verification.VERIFIED
    assert restored.verified_at > deleted_at
    assert not Citation.objects.filter(pk=lie).exists()
    assert [r.history_type for r in Citation.history.filter(id=farce)] == [
        "+",
        "-",
        "+",
    ]


def test_a_citation_that_fails_restores_neither_it_nor_its_statement(deleted):
    statement_id, source, farce, lie = deleted
    source.text = "Beijing called the report a farce on Thursday."
    source.save()

    with pytest.raises(ValidationError) as error:
        restore_statement(statement_id=statement_id, citation_ids=[farce, lie])

    assert error.value.messages == [
        f"citation {lie}: The quote is not in the source text."
    ]
    assert not Statement.objects.filter(pk=statement_id).exists()
    assert not Citation.objects.filter(pk__in=[farce, lie]).exists()


def test_a_citation_not_deleted_from_the_statement_is_refused(deleted):
    statement_id, *_ = deleted

    with pytest.raises(ValidationError) as error:
        restore_statement(statement_id=statement_id, citation_ids=[12345])

    assert error.value.messages == [
        "Citation 12345 is not a deleted citation of this statement."
    ]
    assert not Statement.objects.filter(pk=statement_id).exists()


def test_restoring_citations_needs_the_add_citation_permission(deleted):
    statement_id, _, farce, _ = deleted
    viewer = member_of("Viewers")

    with pytest.raises(PermissionDenied) as error:
        restore_statement(statement_id=statement_id, user=viewer, citation_ids=[farce])

    assert str(error.value) == "Restoring citations needs the add_citation permission."
    assert not Statement.objects.filter(pk=statement_id).exists()


def test_a_deleted_citation_alone_is_restored_and_verified(
    make_source, make_statement, make_citation
):
    statement = make_statement()
    citation = make_citation(
        statement=statement, source=make_source(TEXT), quote="a lie"
    )
    pk = citation.pk
    citation.delete()

    restored = restore_record(model=Citation, record_id=pk)

    assert restored == Citation.objects.get(pk=pk, statement=statement)
    assert restored.verification == Citation.Verification.VERIFIED


def test_a_deleted_claim_is_restored_with_its_topics(make_claim, make_topic):
    # Many-to-many fields have no history of their own: the deletion's row keeps them.
    topics = [make_topic("Detention"), make_topic("Forced labour")]
    other = make_topic("Elections")
    claim = make_claim(topics=topics)
    make_claim(topics=[other])
    pk = claim.pk
    claim.delete()

    restored = restore_record(model=Claim, record_id=pk)

    assert list(restored.topics.order_by("name")) == topics
    assert restored.history.earliest().topic_ids == []  # saves keep none
    assert Claim.history.filter(id=pk, history_type="-").get().topic_ids == [
        topic.pk for topic in topics
    ]


def test_a_claim_is_restored_with_those_of_its_topics_that_still_exist(
    make_claim, make_topic
):
    kept, deleted = make_topic("Detention"), make_topic("Forced labour")
    claim = make_claim(topics=[kept, deleted])
    pk = claim.pk
    claim.delete()
    deleted.delete()

    restored = restore_record(model=Claim, record_id=pk)

    assert list(restored.topics.all()) == [kept]


@pytest.mark.parametrize(
    ("record_id", "message"),
    [
        ("existing", "This source exists: revert it from its history page instead."),
        (999, "No deleted source has the id 999."),
    ],
)
def test_a_restore_that_cannot_be_done_says_why(make_source, record_id, message):
    source = make_source("Some text.")
    if record_id == "existing":
        record_id = source.pk
    sources = Source.objects.count()

    with pytest.raises(ValidationError) as error:
        restore_record(model=Source, record_id=record_id)

    assert error.value.messages == [message]
    assert Source.objects.count() == sources
