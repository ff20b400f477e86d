"""Concurrent edits: a save based on an old version of a record is refused, in the
model (a conditional UPDATE), the admin (with what changed) and the API (ETag and
If-Match, 428 and 412), and of many simultaneous writes exactly one wins."""

import threading

import pytest
from django.db import connection, transaction
from django.forms import modelform_factory
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from helpers import api_client, member_of, rendered_form_data
from rest_framework.test import APIClient

from claims.forms import VersionedModelForm
from claims.models import Citation, StaleVersionError, Statement
from claims.services import save_statement

QUOTE = "The camps are vocational training centres."
TEXT = f"The spokesman said: {QUOTE} Nothing else."


@pytest.fixture
def statement(make_statement, make_source, make_citation) -> Statement:
    statement = make_statement(summary="China denies the allegations.")
    make_citation(statement=statement, source=make_source(TEXT), quote=QUOTE)
    return Statement.objects.get(pk=statement.pk)


# The model ------------------------------------------------------------------------


def test_every_save_raises_the_version_and_the_history_keeps_it(statement):
    assert statement.version == 1

    statement.summary = "First change."
    statement.save()
    statement.summary = "Second change."
    statement.save(update_fields=["summary"])

    assert statement.version == 3
    assert Statement.objects.get(pk=statement.pk).version == 3
    assert list(
        statement.history.order_by("history_date").values_list("version", "summary")
    ) == [
        (1, "China denies the allegations."),
        (2, "First change."),
        (3, "Second change."),
    ]


def test_a_save_of_a_stale_copy_is_refused_and_the_newer_save_stays(statement):
    mine = Statement.objects.get(pk=statement.pk)
    theirs = Statement.objects.get(pk=statement.pk)
    theirs.summary = "Their change."
    theirs.save()

    mine.summary = "My change."
    with pytest.raises(StaleVersionError) as refused, transaction.atomic():
        mine.save()

    assert refused.value.expected == 1
    assert refused.value.current == 2
    assert str(refused.value).startswith(
        "Someone else saved this statement after you opened it: you edited "
        "version 1, the current one is version 2. Nothing was saved;"
    )
    assert "summary: \u201cChina denies the allegations.\u201d \u2192 \u201cTheir " in (
        str(refused.value)
    )
    stored = Statement.objects.get(pk=statement.pk)
    assert (stored.summary, stored.version) == ("Their change.", 2)
    assert statement.history.count() == 2


def test_a_stale_copy_of_a_deleted_record_is_not_saved_back(statement):
    stale = Statement.objects.get(pk=statement.pk)
    Statement.objects.get(pk=statement.pk).delete()

    stale.summary = "Edited after the deletion."
    with (
        pytest.raises(StaleVersionError, match="deleted by someone else"),
        transaction.atomic(),
    ):
        stale.save(update_fields=["summary"])

    assert not Statement.objects.filter(pk=statement.pk).exists()


def test_a_stale_citation_is_refused_through_the_services_too(statement):
    citation = Citation.objects.get(statement=statement)
    stale = Citation.objects.get(pk=citation.pk)
    citation.attribution = "the spokesman"
    citation.save()

    stale.attribution = "a spokesman"
    with pytest.raises(StaleVersionError), transaction.atomic():
        stale.save()

    assert Citation.objects.get(pk=citation.pk).attribution == "the spokesman"


# The admin ------------------------------------------------------------------------


def change_url(statement: Statement) -> str:
    return reverse("admin:claims_statement_change", args=[statement.pk])


def test_the_second_of_two_editors_saving_the_same_statement_is_refused(statement):
    first, second = Client(), Client()
    first.force_login(member_of("Editors", "first"))
    second.force_login(member_of("Editors", "second"))
    first_form = rendered_form_data(first, change_url(statement))
    second_form = rendered_form_data(second, change_url(statement))
    assert first_form["record_version"] == second_form["record_version"] == 1

    saved = first.post(change_url(statement), first_form | {"summary": "First."})
    refused = second.post(change_url(statement), second_form | {"summary": "Second."})

    assert saved.status_code == 302
    assert refused.status_code == 200
    errors = refused.context["adminform"].form.non_field_errors()
    assert len(errors) == 1
    assert errors[0].startswith(
        "Someone else saved this statement after you opened it: you edited "
        "version 1, the current one is version 2. Nothing was saved; reload it "
        "and apply your changes again. summary: \u201cChina denies the "
        "allegations.\u201d \u2192 \u201cFirst.\u201d (by first, "
    )
    stored = Statement.objects.get(pk=statement.pk)
    assert (stored.summary, stored.version) == ("First.", 2)
    assert stored.history.count() == 2


def test_an_admin_form_without_its_record_version_is_refused(client, statement):
    client.force_login(member_of("Editors"))
    data = rendered_form_data(client, change_url(statement))
    del data["record_version"]

    response = client.post(change_url(statement), data | {"summary": "Changed."})

    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors() == [
        "This form does not say which version of the record it edits; reload the "
        "page and make your changes again."
    ]
    assert Statement.objects.get(pk=statement.pk).summary == (
        "China denies the allegations."
    )


def test_a_stale_citation_row_in_the_statement_page_is_refused(client, statement):
    client.force_login(member_of("Editors"))
    data = rendered_form_data(client, change_url(statement))
    citation = Citation.objects.get(statement=statement)
    citation.attribution = "the spokesman"
    citation.save()

    response = client.post(
        change_url(statement), data | {"citations-0-attribution": "a spokesman"}
    )

    assert response.status_code == 200
    formset = response.context["inline_admin_formsets"][0].formset
    assert (
        formset.forms[0]
        .non_field_errors()[0]
        .startswith("Someone else saved this citation after you opened it")
    )
    assert Citation.objects.get(pk=citation.pk).attribution == "the spokesman"


def test_a_revert_from_the_history_is_based_on_the_current_version(client, statement):
    client.force_login(member_of("Reviewers"))
    first = statement.history.get()
    statement.summary = "Changed later."
    statement.save()
    url = reverse(
        "admin:claims_statement_simple_history",
        args=[statement.pk, first.history_id],
    )
    data = rendered_form_data(client, url)
    assert data["record_version"] == 2

    response = client.post(url, data)

    assert response.status_code == 302
    stored = Statement.objects.get(pk=statement.pk)
    assert (stored.summary, stored.version) == ("China denies the allegations.", 3)


def test_a_deleted_statement_is_reverted_from_its_history_without_a_version(
    client, statement
):
    client.force_login(member_of("Reviewers"))
    first = statement.history.get()
    Statement.objects.get(pk=statement.pk).delete()
    url = reverse(
        "admin:claims_statement_simple_history",
        args=[statement.pk, first.history_id],
    )
    data = rendered_form_data(client, url)
    assert "record_version" not in data

    response = client.post(url, data)

    assert response.status_code == 302
    assert Statement.objects.get(pk=statement.pk).summary == (
        "China denies the allegations."
    )


RevertForm = modelform_factory(Statement, form=VersionedModelForm, fields=["summary"])


def test_a_revert_form_reads_the_stored_version_once(
    statement, django_assert_num_queries
):
    first = statement.history.get()
    statement.summary = "Changed later."
    statement.save()
    reverted = first.instance
    reverted._state.adding = False  # as SimpleHistoryAdmin.history_form_view does

    # The stored version, read once: whether the record exists, and the version
    # the revert is based on.
    with django_assert_num_queries(1):
        opened = RevertForm(instance=reverted)
    # On the POST, the same read checks that no one saved since; + Statement.clean()
    # looking up the speaker's principal.
    with django_assert_num_queries(2):
        posted = RevertForm(
            data={"summary": first.summary, "record_version": 2}, instance=reverted
        )
        assert posted.is_valid(), posted.errors

    assert opened.fields["record_version"].initial == 2
    assert posted.instance.version == 2


def test_a_revert_in_the_admin_reads_the_stored_version_once(client, statement):
    client.force_login(member_of("Reviewers"))
    first = statement.history.get()
    statement.summary = "Changed later."
    statement.save()
    url = reverse(
        "admin:claims_statement_simple_history",
        args=[statement.pk, first.history_id],
    )

    with CaptureQueriesContext(connection) as queries:
        page = client.get(url)

    assert page.status_code == 200
    version_reads = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith('SELECT "claims_statement"."version"')
    ]
    assert len(version_reads) == 1, version_reads


# The API --------------------------------------------------------------------------


def detail(statement: Statement) -> str:
    return f"/api/v1/statements/{statement.pk}/"


def test_a_record_read_through_the_api_carries_its_version_as_etag(statement):
    api = api_client(member_of("Editors"))

    assert api.get(detail(statement))["ETag"] == '"1"'
    statement.claim.text = "Changed once."
    statement.claim.save()
    assert api.get(f"/api/v1/claims/{statement.claim.slug}/")["ETag"] == '"2"'


def test_a_change_without_if_match_is_a_428_and_changes_nothing(statement):
    api = api_client(member_of("Editors"))

    response = api.patch(detail(statement), {"summary": "Blind."}, format="json")

    assert response.status_code == 428
    assert response.json() == {
        "detail": "Send If-Match with the ETag of the record as you last read it "
        '(GET it first: its ETag header, e.g. If-Match: "3"), so that a change '
        "made by someone else in between is not overwritten."
    }
    assert Statement.objects.get(pk=statement.pk).summary == (
        "China denies the allegations."
    )


@pytest.mark.parametrize("header", ['W/"1"', "*", "1", '"one"'])
def test_an_if_match_that_is_not_a_strong_etag_is_a_428(statement, header):
    api = api_client(member_of("Editors"))

    response = api.patch(
        detail(statement), {"summary": "X."}, format="json", HTTP_IF_MATCH=header
    )

    assert response.status_code == 428
    assert response.json()["detail"] == (
        f'If-Match must be the strong ETag of the record, such as "1"; got {header!r}.'
    )
    assert Statement.objects.get(pk=statement.pk).version == 1


def test_a_change_based_on_an_old_version_is_a_412_saying_what_changed(statement):
    api = api_client(member_of("Editors", "journalist-editor"))
    first = api.patch(
        detail(statement), {"summary": "First."}, format="json", HTTP_IF_MATCH='"1"'
    )
    assert first.status_code == 200
    assert first["ETag"] == '"2"'

    second = api.patch(
        detail(statement), {"summary": "Second."}, format="json", HTTP_IF_MATCH='"1"'
    )

    assert second.status_code == 412
    body = second.json()
    assert body["current_version"] == 2
    assert body["detail"].startswith(
        "Someone else saved this statement after you opened it: you edited "
        "version 1, the current one is version 2."
    )
    assert [
        {key: change[key] for key in ("field", "old", "new", "by")}
        for change in body["changes"]
    ] == [
        {
            "field": "summary",
            "old": "China denies the allegations.",
            "new": "First.",
            "by": "journalist-editor",
        }
    ]
    assert Statement.objects.get(pk=statement.pk).summary == "First."


def test_a_delete_needs_the_current_etag(statement):
    api = api_client(member_of("Reviewers"))
    citation = Citation.objects.get(statement=statement)
    url = f"/api/v1/citations/{citation.pk}/"

    assert api.delete(url).status_code == 428
    assert api.delete(url, HTTP_IF_MATCH='"7"').status_code == 412
    assert Citation.objects.filter(pk=citation.pk).exists()
    assert api.delete(url, HTTP_IF_MATCH='"1"').status_code == 204
    assert not Citation.objects.filter(pk=citation.pk).exists()


def test_a_write_racing_past_the_if_match_check_is_a_412_from_the_update(
    statement, monkeypatch
):
    """The If-Match check reads the version before the write; a save landing in
    between is caught by the conditional UPDATE itself."""
    api = api_client(member_of("Editors"))
    real_save = save_statement

    def save_after_someone_else(*, statement, user=None):
        other = Statement.objects.get(pk=statement.pk)
        other.summary = "Someone else, just now."
        other.save()
        return real_save(statement=statement, user=user)

    monkeypatch.setattr("claims.services.save_statement", save_after_someone_else)

    response = api.patch(
        detail(statement), {"summary": "Mine."}, format="json", HTTP_IF_MATCH='"1"'
    )

    assert response.status_code == 412
    assert response.json()["current_version"] == 2
    assert Statement.objects.get(pk=statement.pk).summary == "Someone else, just now."


# The groups migration 0007 creates come back after another transactional test's
# flush through the app's post_migrate receiver (claims/apps.py).
@pytest.mark.django_db(transaction=True)
def test_of_fifty_simultaneous_patches_with_the_same_etag_exactly_one_wins(
    make_statement,
):
    statement = make_statement(summary="Before the rush.")
    token = api_client(member_of("Editors"))._credentials["HTTP_AUTHORIZATION"]
    editors = [APIClient(HTTP_AUTHORIZATION=token) for _ in range(50)]
    start = threading.Barrier(len(editors))
    statuses: list[int] = []
    lock = threading.Lock()

    def patch(number: int, api) -> None:
        try:
            start.wait()
            response = api.patch(
                detail(statement),
                {"summary": f"Written by editor {number}."},
                format="json",
                HTTP_IF_MATCH='"1"',
            )
            with lock:
                statuses.append(response.status_code)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=patch, args=(number, api))
        for number, api in enumerate(editors)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(statuses) == [200] + [412] * 49
    stored = Statement.objects.get(pk=statement.pk)
    assert stored.version == 2
    assert stored.summary.startswith("Written by editor ")
    assert stored.history.count() == 2
