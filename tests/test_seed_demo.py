"""`seed_demo`, the second step of `make run`: seeds an empty database, once."""

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.test import RequestFactory

from claims.models import Actor, Citation, Source, Statement

# django-axes refuses a login without its request (it keys lockouts on the address).
LOGIN = RequestFactory().post("/admin/login/")


@pytest.mark.django_db
def test_seed_demo_loads_the_seeds_and_creates_an_editor_and_a_reviewer(
    capsys, settings
):
    settings.DEBUG = True

    call_command("seed_demo")

    out = capsys.readouterr().out
    assert out.startswith(f"Loaded the seeds: {Actor.objects.count()} actors, ")
    assert "Log in at http://127.0.0.1:8000/admin/ as editor / factdb-demo" in out
    assert Source.objects.filter(text__startswith=" date 2021-02-04").exists()
    assert Statement.objects.exists() and Citation.objects.exists()
    editor = authenticate(LOGIN, username="editor", password="factdb-demo")
    assert editor is not None and editor.is_staff and not editor.is_superuser
    assert editor.has_perm("claims.add_statement")
    assert editor.has_perm("claims.delete_citation")
    assert not editor.has_perm("claims.delete_source")
    assert not editor.has_perm("claims.publish_statement")
    assert "as reviewer / factdb-demo (Reviewers)" in out
    reviewer = authenticate(LOGIN, username="reviewer", password="factdb-demo")
    assert reviewer is not None and reviewer.is_staff and not reviewer.is_superuser
    assert reviewer.has_perm("claims.publish_statement")
    assert [g.name for g in editor.groups.all()] == ["Editors"]
    assert [g.name for g in reviewer.groups.all()] == ["Reviewers"]


@pytest.mark.django_db
def test_seed_demo_run_twice_leaves_the_data_alone(capsys, settings):
    settings.DEBUG = True
    call_command("seed_demo")
    statements = Statement.objects.count()
    Statement.objects.filter(pk=Statement.objects.first().pk).update(summary="edited")

    call_command("seed_demo")

    out = capsys.readouterr().out
    assert "The database already holds data: seed fixtures skipped." in out
    assert "(existing account, password unchanged)" in out
    assert Statement.objects.count() == statements
    assert Statement.objects.filter(summary="edited").count() == 1


@pytest.mark.django_db
def test_seed_demo_refuses_to_run_in_production(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="seed_demo is for local runs only"):
        call_command("seed_demo")

    assert not Actor.objects.exists()
