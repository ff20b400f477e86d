"""Roles (Editors, Reviewers, Viewers) and the history of every record."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.sql import emit_post_migrate_signal
from django.db.migrations.recorder import MigrationRecorder
from django.urls import reverse
from helpers import api_client, member_of, rendered_form_data

from claims.models import Citation, Source, Statement
from claims.services import (
    publish_statement,
    restore_statement,
    save_statement,
    unpublish_statement,
)

QUOTE = "The camps are vocational training centres."
TEXT = f"The spokesman said: {QUOTE} Nothing else."

MODELS = (
    "actor",
    "actoralias",
    "affiliation",
    "citation",
    "claim",
    "source",
    "statement",
    "statementsuggestion",
    "topic",
)
VIEW = {f"view_{model}" for model in MODELS}
EDITOR_PERMISSIONS = (
    VIEW
    | {f"{action}_{model}" for action in ("add", "change") for model in MODELS}
    | {"delete_citation", "delete_actoralias", "delete_affiliation"}
)
REVIEWER_PERMISSIONS = EDITOR_PERMISSIONS | {"publish_statement", "delete_statement"}


def admin_client(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def statement(make_statement, make_source, make_citation) -> Statement:
    statement = make_statement(summary="China denies the allegations.")
    make_citation(statement=statement, source=make_source(TEXT), quote=QUOTE)
    return statement


def change_form(client, statement: Statement, url: str = "") -> dict:
    """The POST body of a statement's change page (or of `url`, a version on its
    history page) as rendered."""
    url = url or reverse("admin:claims_statement_change", args=[statement.pk])
    return rendered_form_data(client, url)


# Groups ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_migration_creates_the_three_groups_with_exactly_their_permissions():
    def codenames(name: str) -> set[str]:
        group = Group.objects.get(name=name)
        assert {p.content_type.app_label for p in group.permissions.all()} == {"claims"}
        return set(group.permissions.values_list("codename", flat=True))

    assert codenames("Editors") == EDITOR_PERMISSIONS
    assert codenames("Reviewers") == REVIEWER_PERMISSIONS
    assert codenames("Viewers") == VIEW


def role_codenames() -> dict[str, set[str]]:
    return {
        group.name: {p.codename for p in group.permissions.all()}
        for group in Group.objects.prefetch_related("permissions")
    }


ROLES = {
    "Editors": EDITOR_PERMISSIONS,
    "Reviewers": REVIEWER_PERMISSIONS,
    "Viewers": VIEW,
}


@pytest.mark.django_db(transaction=True)
def test_the_groups_are_back_with_their_permissions_after_a_flush():
    call_command("flush", interactive=False, verbosity=0)

    assert role_codenames() == ROLES


@pytest.mark.django_db
def test_after_migrate_only_missing_groups_are_created_and_changed_ones_kept():
    editors = Group.objects.get(name="Editors")
    editors.permissions.remove(Permission.objects.get(codename="add_source"))
    Group.objects.filter(name="Viewers").delete()

    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")

    assert role_codenames() == ROLES | {"Editors": EDITOR_PERMISSIONS - {"add_source"}}


@pytest.mark.django_db
def test_the_groups_are_created_only_once_migration_0007_is_applied(monkeypatch):
    Group.objects.all().delete()
    monkeypatch.setattr(
        MigrationRecorder,
        "applied_migrations",
        lambda self: {("claims", "0006_history_and_publish_permission"): None},
    )

    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")

    assert role_codenames() == {}


# Publishing -----------------------------------------------------------------------


def test_an_editor_cannot_publish_through_the_api(statement):
    editor = member_of("Editors")

    response = api_client(editor).patch(
        f"/api/v1/statements/{statement.pk}/",
        {"status": "published"},
        format="json",
        HTTP_IF_MATCH=f'"{statement.version}"',
    )

    assert response.status_code == 403
    assert response.json() == {
        "detail": "Publishing and unpublishing statements is for reviewers "
        "(permission claims.publish_statement)."
    }
    statement.refresh_from_db()
    assert statement.status == Statement.Status.DRAFT


def test_an_editor_cannot_create_a_published_statement_through_the_services(
    make_actor, make_claim
):
    editor = member_of("Editors")
    draft = Statement(
        actor=make_actor(),
        claim=make_claim(),
        stance="denies",
        made_on="2022-09-01",
        summary="China denies the allegations.",
        status=Statement.Status.PUBLISHED,
    )

    with pytest.raises(PermissionDenied):
        save_statement(statement=draft, user=editor)
    with pytest.raises(PermissionDenied):
        publish_statement(statement=draft, user=editor)

    assert not Statement.objects.exists()


def test_a_reviewer_publishes_and_unpublishes_through_the_api_and_the_services(
    statement,
):
    reviewer = member_of("Reviewers")

    response = api_client(reviewer).patch(
        f"/api/v1/statements/{statement.pk}/",
        {"status": "published"},
        format="json",
        HTTP_IF_MATCH=f'"{statement.version}"',
    )

    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "published"
    statement.refresh_from_db()
    assert statement.status == Statement.Status.PUBLISHED
    unpublish_statement(statement=statement, user=reviewer)
    statement.refresh_from_db()
    assert statement.status == Statement.Status.DRAFT


def test_an_editor_sees_the_status_read_only_and_no_publish_action_in_the_admin(
    client, statement
):
    client = admin_client(client, member_of("Editors"))

    change = client.get(reverse("admin:claims_statement_change", args=[statement.pk]))
    changelist = client.get(reverse("admin:claims_statement_changelist"))

    assert "status" not in change.context["adminform"].form.fields
    actions = dict(changelist.context["action_form"].fields["action"].choices)
    assert "publish" not in actions and "unpublish" not in actions


def test_an_editor_cannot_publish_by_posting_the_status_in_the_admin(client, statement):
    client = admin_client(client, member_of("Editors"))
    data = change_form(client, statement) | {
        "status": "published",
        "summary": "China rejects the allegations.",
    }

    response = client.post(
        reverse("admin:claims_statement_change", args=[statement.pk]), data
    )

    assert response.status_code == 302
    statement.refresh_from_db()
    # The summary is saved; the read-only status is ignored.
    assert statement.summary == "China rejects the allegations."
    assert statement.status == Statement.Status.DRAFT


def test_a_reviewer_publishes_with_the_admin_action(client, statement):
    reviewer = member_of("Reviewers")
    client = admin_client(client, reviewer)

    response = client.post(
        reverse("admin:claims_statement_changelist"),
        {"action": "publish", "_selected_action": [statement.pk]},
        follow=True,
    )

    assert response.status_code == 200
    assert "1 statement(s) published." in [str(m) for m in response.context["messages"]]
    statement.refresh_from_db()
    assert statement.status == Statement.Status.PUBLISHED
    assert statement.history.first().history_user == reviewer


# Viewers --------------------------------------------------------------------------


def test_a_viewer_cannot_edit_in_the_admin_nor_through_the_api(client, statement):
    viewer = member_of("Viewers")
    data = change_form(admin_client(client, member_of("Editors")), statement)
    client = admin_client(client, viewer)

    page = client.get(reverse("admin:claims_statement_change", args=[statement.pk]))
    posted = client.post(
        reverse("admin:claims_statement_change", args=[statement.pk]),
        data | {"summary": "Changed by a viewer."},
    )
    patched = api_client(viewer).patch(
        f"/api/v1/statements/{statement.pk}/",
        {"summary": "Changed by a viewer."},
        format="json",
    )

    assert page.status_code == 200  # read-only view
    assert posted.status_code == 403
    assert patched.status_code == 403
    statement.refresh_from_db()
    assert statement.summary == "China denies the allegations."


# History --------------------------------------------------------------------------


def test_a_change_in_the_admin_leaves_a_history_row_with_who_made_it(client, statement):
    editor = member_of("Editors")
    client = admin_client(client, editor)
    data = change_form(client, statement) | {"summary": "China rejects it."}

    response = client.post(
        reverse("admin:claims_statement_change", args=[statement.pk]), data
    )

    assert response.status_code == 302
    latest, created = statement.history.all()[:2]
    assert (latest.history_type, latest.summary, latest.history_user) == (
        "~",
        "China rejects it.",
        editor,
    )
    # The factory saved the first version outside a request: nobody recorded.
    assert (created.history_type, created.summary, created.history_user) == (
        "+",
        "China denies the allegations.",
        None,
    )
    history = client.get(reverse("admin:claims_statement_history", args=[statement.pk]))
    assert history.status_code == 200
    assert b"editors" in history.content


def test_reverting_a_statement_from_the_admin_history_restores_the_old_summary(
    client, statement
):
    client = admin_client(client, member_of("Editors"))
    first = statement.history.get()
    save_statement(statement=statement)
    statement.summary = "A later, wrong summary."
    save_statement(statement=statement)
    url = reverse(
        "admin:claims_statement_simple_history", args=[statement.pk, first.pk]
    )

    response = client.post(url, change_form(client, statement, url))

    assert response.status_code == 302
    statement.refresh_from_db()
    assert statement.summary == "China denies the allegations."


def test_an_editor_cannot_publish_by_reverting_to_a_published_version(
    client, statement
):
    statement.status = Statement.Status.PUBLISHED
    statement.save()
    published = statement.history.first()
    statement.status = Statement.Status.DRAFT
    statement.save()
    client = admin_client(client, member_of("Editors"))
    url = reverse(
        "admin:claims_statement_simple_history", args=[statement.pk, published.pk]
    )

    response = client.post(url, change_form(client, statement, url))

    assert response.status_code == 403
    statement.refresh_from_db()
    assert statement.status == Statement.Status.DRAFT


def test_a_deleted_statement_is_restored_from_its_history_and_its_citations_too(
    client, statement
):
    client = admin_client(client, member_of("Reviewers"))
    pk = statement.pk
    citation = statement.citations.get()

    response = client.post(
        reverse("admin:claims_statement_delete", args=[pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not Statement.objects.filter(pk=pk).exists()
    assert not Citation.objects.filter(pk=citation.pk).exists()

    # The citations deleted with it come back as chosen, from their own history.
    restored = restore_statement(statement_id=pk, citation_ids=[citation.pk])

    assert restored.pk == pk
    assert Statement.objects.get(pk=pk).summary == "China denies the allegations."
    assert Citation.objects.get(pk=citation.pk).quote == QUOTE
    assert [r.history_type for r in Statement.history.filter(id=pk)] == [
        "+",
        "-",
        "+",
    ]


def test_deleting_a_cited_source_in_the_admin_is_refused_and_the_source_stays(
    client, statement
):
    client = admin_client(client, get_user_model().objects.create_superuser("root"))
    source = statement.citations.get().source

    page = client.get(reverse("admin:claims_source_delete", args=[source.pk]))
    response = client.post(
        reverse("admin:claims_source_delete", args=[source.pk]), {"post": "yes"}
    )

    assert page.status_code == 200
    assert page.context["protected"]
    assert response.status_code == 200
    assert b"would require deleting the following protected" in response.content
    assert Source.objects.filter(pk=source.pk).exists()
