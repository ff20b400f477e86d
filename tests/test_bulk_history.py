"""Bulk writes leave history: QuerySet.update(), bulk_update() and bulk_create() on
an editorial model record one history row per record, as save() does
(claims.history)."""

import datetime
from io import StringIO
from unittest import mock

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.db.models import F
from django.test import RequestFactory
from simple_history.manager import HistoryManager
from simple_history.middleware import HistoryRequestMiddleware

from claims.history import BULK_CREATE_REASON, BULK_UPDATE_REASON, HistoryQuerySet
from claims.integrity import install_citation_triggers, uninstall_citation_triggers
from claims.models import (
    Actor,
    ActorAlias,
    Citation,
    Source,
    StaleVersionError,
    Statement,
)
from claims.services import verify_citations

# Three published statements of the seeds: protests against the camps.
SEED_STATEMENTS = [28, 29, 30]


def editorial_models():
    """Every model whose changes django-simple-history records."""
    return sorted(
        (
            model
            for model in apps.get_models()
            if getattr(model._meta, "simple_history_manager_attribute", None)
        ),
        key=lambda model: model._meta.label,
    )


@pytest.fixture
def three_statements(make_statement):
    return [make_statement(summary=f"Statement {n}.").pk for n in range(1, 4)]


def bulk_rows(model, pks):
    """The history rows bulk writes left for these records, by record id."""
    rows = model.history.filter(
        id__in=pks, history_change_reason__in=[BULK_UPDATE_REASON, BULK_CREATE_REASON]
    )
    return {row.id: row for row in rows}


# The guard: no editorial model can bypass it. ----------------------------------------


def test_every_editorial_model_and_only_those_have_history():
    # An editorial record carries a version (claims.models.versioning); one without
    # history would be changed without trace.
    versioned = {
        model
        for model in apps.get_app_config("claims").get_models()
        if any(field.name == "version" for field in model._meta.concrete_fields)
        and not model._meta.label.startswith("claims.Historical")
    }

    assert {model._meta.label for model in editorial_models()} == {
        model._meta.label for model in versioned
    }
    assert len(versioned) == 8


@pytest.mark.parametrize(
    "model", editorial_models(), ids=lambda model: model._meta.label
)
def test_every_manager_of_an_editorial_model_records_bulk_writes(model):
    managers = list(model._meta.managers)

    assert managers, model
    for manager in managers:
        assert issubclass(manager._queryset_class, HistoryQuerySet), (
            f"{model._meta.label}.{manager.name} bypasses claims.history: derive "
            "its QuerySet from claims.history.HistoryQuerySet."
        )
    # Related managers (source.citations, actor.aliases, ...) derive from the
    # default manager.
    assert isinstance(model._default_manager.all(), HistoryQuerySet)


# QuerySet.update() -------------------------------------------------------------------


def test_updating_statements_records_one_history_row_each_with_the_new_values(seeds):
    before = {s.pk: s for s in Statement.objects.filter(pk__in=SEED_STATEMENTS)}
    others = Statement.history.exclude(id__in=SEED_STATEMENTS).count()

    updated = Statement.objects.filter(pk__in=SEED_STATEMENTS).update(
        summary="Bulk-edited summary."
    )

    assert updated == 3
    assert Statement.history.count() == 3 + others
    rows = bulk_rows(Statement, SEED_STATEMENTS)
    assert sorted(rows) == SEED_STATEMENTS
    for pk, row in rows.items():
        assert row.history_type == "~"
        assert row.history_change_reason == BULK_UPDATE_REASON
        assert row.history_user is None
        assert row.summary == "Bulk-edited summary."
        assert row.stance == before[pk].stance
        # A bulk change is a new version of the record, as a save would make it.
        assert row.version == before[pk].version + 1
        stored = Statement.objects.get(pk=pk)
        assert (stored.summary, stored.version) == (row.summary, row.version)
        assert stored.updated_at > before[pk].updated_at
    assert not Statement.objects.exclude(pk__in=SEED_STATEMENTS).filter(
        summary="Bulk-edited summary."
    )


def test_updating_every_citation_records_one_history_row_per_citation(seeds):
    count = Citation.objects.count()

    updated = Citation.objects.update(verification=Citation.Verification.DRIFTED)

    assert count == 103
    assert updated == count
    rows = Citation.history.filter(history_type="~")
    assert rows.count() == count
    assert set(rows.values_list("verification", flat=True)) == {"drifted"}
    assert set(rows.values_list("history_change_reason", flat=True)) == {
        BULK_UPDATE_REASON
    }
    assert set(rows.values_list("id", flat=True)) == set(
        Citation.objects.values_list("pk", flat=True)
    )


def test_an_update_filtered_across_a_relation_records_exactly_the_rows_it_changed(
    seeds,
):
    chinese = Citation.objects.filter(statement__actor__slug="wang-wenbin")
    expected = set(chinese.values_list("pk", flat=True))

    updated = chinese.distinct().update(translator="FactDB test")

    assert updated == len(expected) > 0
    rows = Citation.history.all()
    assert set(rows.values_list("id", flat=True)) == expected
    assert set(rows.values_list("translator", flat=True)) == {"FactDB test"}


def test_an_update_matching_nothing_records_nothing(three_statements):
    Statement.history.all().delete()

    assert Statement.objects.filter(summary="No such summary").update(summary="x") == 0
    assert not Statement.history.exists()


def test_a_bulk_update_records_the_user_of_the_request(three_statements, editor):
    request = RequestFactory().post("/")
    request.user = editor

    def view(request):
        Statement.objects.filter(pk__in=three_statements).update(context="briefing")
        return "done"

    assert HistoryRequestMiddleware(view)(request) == "done"

    rows = bulk_rows(Statement, three_statements)
    assert sorted(rows) == three_statements
    assert {row.history_user for row in rows.values()} == {editor}
    assert {row.context for row in rows.values()} == {"briefing"}


# A real transaction (no test transaction around it): without its own, the update
# would stay committed when writing its history fails.
@pytest.mark.django_db(transaction=True)
def test_the_update_and_its_history_are_written_together_or_not_at_all(
    three_statements,
):
    Statement.history.all().delete()
    matching = Statement.objects.filter(pk__in=three_statements).order_by("pk")
    before = list(matching.values_list("summary", "version"))

    with (
        mock.patch.object(
            HistoryManager,
            "bulk_history_create",
            side_effect=DatabaseError("history table full"),
        ),
        pytest.raises(DatabaseError, match="history table full"),
    ):
        matching.update(summary="Lost?")

    assert list(matching.values_list("summary", "version")) == before
    assert not Statement.history.exists()


def test_a_save_based_on_the_version_before_a_bulk_update_is_refused(
    three_statements,
):
    opened = Statement.objects.get(pk=three_statements[0])
    Statement.objects.filter(pk=opened.pk).update(summary="Changed in bulk.")
    opened.summary = "Changed by an editor who never saw the bulk change."

    with pytest.raises(StaleVersionError), transaction.atomic():
        opened.save()

    assert Statement.objects.get(pk=opened.pk).summary == "Changed in bulk."


def test_a_sliced_update_is_still_refused_by_django(three_statements):
    with pytest.raises(TypeError, match="slice"):
        Statement.objects.all()[:2].update(summary="x")


# The writes FactDB itself makes in bulk ---------------------------------------------


@pytest.fixture
def without_citation_triggers():
    """A database restored without FactDB's guards, where citations can break."""
    uninstall_citation_triggers(connection)
    yield
    install_citation_triggers(connection)


def test_verify_citations_records_a_changed_status_in_the_citations_history(
    seeds, without_citation_triggers
):
    drifted = Citation.objects.order_by("pk").first()
    # Corrupt one citation behind the model's back (the bulk update leaves a
    # history row of its own).
    Citation.objects.filter(pk=drifted.pk).update(
        start=F("start") + 1, end=F("end") + 1
    )
    Citation.history.all().delete()

    report = verify_citations()

    assert report.checked == 103
    assert [c.pk for c in report.failures] == [drifted.pk]
    # The 102 others were verified and still are: no edit, no history.
    rows = Citation.history.all()
    assert [
        (r.id, r.history_type, r.verification, r.version, r.history_change_reason)
        for r in rows
    ] == [(drifted.pk, "~", "drifted", 3, BULK_UPDATE_REASON)]
    assert Citation.objects.get(pk=drifted.pk).version == 3


def test_running_verify_citations_again_leaves_the_history_as_it_was(seeds):
    call_command("verify_citations", stdout=StringIO())
    first = Citation.objects.get(pk=1)
    history = Citation.history.count()
    versions = dict(Citation.objects.values_list("pk", "version"))

    call_command("verify_citations", stdout=StringIO())

    assert Citation.history.count() == history
    assert dict(Citation.objects.values_list("pk", "version")) == versions
    again = Citation.objects.get(pk=1)
    # Only the time of the check moves; the record was not edited.
    assert again.verified_at > first.verified_at
    assert again.updated_at == first.updated_at


def test_a_citation_whose_source_text_changed_fails_with_a_history_row_once(
    seeds, without_citation_triggers
):
    # No other citation quotes any of its words.
    citation = Citation.objects.select_related("source").get(pk=6)
    call_command("verify_citations", stdout=StringIO())  # as every night
    history = Citation.history.count()
    text = citation.source.text
    # The same length, so the offsets of the source's other citations still hold.
    changed = text[: citation.start] + "x" * len(citation.quote) + text[citation.end :]
    # Behind the model's guard against changing a cited text (a restored dump).
    Source._base_manager.filter(pk=citation.source_id).update(text=changed)

    with pytest.raises(CommandError) as failed:
        call_command("verify_citations", stdout=StringIO(), stderr=StringIO())
    with pytest.raises(CommandError) as failed_again:
        call_command("verify_citations", stdout=StringIO(), stderr=StringIO())

    assert str(failed_again.value) == str(failed.value)
    assert str(failed.value) == "103 citation(s) checked, 102 verified, 1 failed."
    (row,) = Citation.history.filter(id=citation.pk)
    assert (row.history_type, row.verification, row.version) == (
        "~",
        "orphaned",
        citation.version + 1,
    )
    # The failure is recorded once; the run after it finds the same and adds none.
    assert Citation.history.count() == history + 1
    assert Citation.objects.get(pk=citation.pk).verification == "orphaned"


def test_bulk_update_of_objects_records_their_history(three_statements):
    statements = list(Statement.objects.filter(pk__in=three_statements))
    for statement in statements:
        statement.summary = f"Summary {statement.pk}"

    Statement.objects.bulk_update(statements, ["summary"])

    rows = bulk_rows(Statement, three_statements)
    assert {pk: row.summary for pk, row in rows.items()} == {
        pk: f"Summary {pk}" for pk in three_statements
    }


def test_changing_a_source_text_records_the_new_context_of_each_citation(
    make_statement, make_source, make_citation
):
    source = make_source("Before. The camps are vocational training centres. After.")
    statement = make_statement()
    citation = make_citation(
        statement=statement, source=source, quote="vocational training centres"
    )
    Citation.history.all().delete()

    # The cited passage stays where it was; the words before it change.
    source.text = "Lately. The camps are vocational training centres. After."
    source.save()

    (row,) = Citation.history.all()
    assert (row.id, row.history_type, row.history_change_reason) == (
        citation.pk,
        "~",
        BULK_UPDATE_REASON,
    )
    citation.refresh_from_db()
    assert row.prefix == citation.prefix != ""
    assert row.prefix.startswith("Lately.")


# bulk_create() -----------------------------------------------------------------------


def test_bulk_create_records_a_creation_row_for_each_record(make_actor):
    china = make_actor()
    aliases = ActorAlias.objects.bulk_create(
        [ActorAlias(actor=china, name=name) for name in ("Beijing", "PRC", "China")]
    )

    assert all(alias.pk for alias in aliases)
    rows = ActorAlias.history.filter(history_change_reason=BULK_CREATE_REASON)
    assert sorted(rows.values_list("id", "name", "history_type")) == sorted(
        (alias.pk, alias.name, "+") for alias in aliases
    )


def test_bulk_create_with_conflicts_ignored_is_refused_and_writes_nothing(make_actor):
    china = make_actor()

    with pytest.raises(ValueError, match="cannot ignore or update conflicting rows"):
        Actor.objects.bulk_create(
            [Actor(name="Another", slug=china.slug, kind="state")],
            ignore_conflicts=True,
        )

    assert Actor.objects.count() == 1


def test_bulk_creating_sources_records_each_of_them(db):
    sources = Source.objects.bulk_create(
        [
            Source(
                kind=Source.Kind.NEWS_ARTICLE,
                title=f"Article {n}",
                published_on=datetime.date(2022, 9, n),
            )
            for n in (1, 2)
        ]
    )

    assert set(Source.history.values_list("id", "title")) == {
        (source.pk, source.title) for source in sources
    }


# Deletion was already recorded (simple_history's signals): kept so. --------------


def test_deleting_in_bulk_records_a_deletion_row_for_each_record(seeds):
    cited = set(
        Citation.objects.filter(statement_id__in=SEED_STATEMENTS).values_list(
            "pk", flat=True
        )
    )

    Citation.objects.filter(statement_id__in=SEED_STATEMENTS).delete()

    assert cited
    assert (
        set(Citation.history.filter(history_type="-").values_list("id", flat=True))
        == cited
    )
