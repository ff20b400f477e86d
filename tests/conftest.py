"""Test configuration: the database comes from DATABASE_URL (SQLite by default)."""

import datetime
import itertools
from collections.abc import Iterable
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.core.management import call_command
from django.utils.text import slugify

from claims.models import (
    Actor,
    ActorAlias,
    Citation,
    Claim,
    Source,
    Statement,
    Topic,
)
from claims.services import attach_citation
from claims.stances import Stance

REPO_ROOT = Path(__file__).resolve().parent.parent
SEED_FIXTURES = sorted(str(p) for p in (REPO_ROOT / "fixtures").glob("*.json"))


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Throttle counters live in the cache: each test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def seeds(db):
    """The seed fixtures loaded into the (empty) test database."""
    call_command("loaddata", *SEED_FIXTURES, verbosity=0)


# Factories: small helpers returning saved objects with sensible defaults. -----------

_serial = itertools.count(1)


@pytest.fixture
def make_topic(db):
    def make(name: str | None = None, **fields) -> Topic:
        serial = next(_serial)
        name = name or f"Topic {serial}"
        fields.setdefault("slug", f"{slugify(name)}-{serial}")
        return Topic.objects.create(name=name, **fields)

    return make


@pytest.fixture
def make_actor(db):
    def make(
        name: str = "Government of China",
        *,
        kind: str = Actor.Kind.STATE,
        aliases: Iterable[str] = (),
        **fields,
    ) -> Actor:
        fields.setdefault("slug", f"{slugify(name)}-{next(_serial)}")
        actor = Actor.objects.create(name=name, kind=kind, **fields)
        for alias in aliases:
            ActorAlias.objects.create(actor=actor, name=alias)
        return actor

    return make


@pytest.fixture
def make_source(db):
    def make(text: str = "", *, title: str = "A news article", **fields) -> Source:
        fields.setdefault("kind", Source.Kind.NEWS_ARTICLE)
        return Source.objects.create(text=text, title=title, **fields)

    return make


@pytest.fixture
def make_claim(db, make_topic):
    def make(
        text: str = "The camps in Xinjiang are vocational training centres.",
        *,
        topics: Iterable[Topic] = (),
        **fields,
    ) -> Claim:
        fields.setdefault("slug", f"claim-{next(_serial)}")
        claim = Claim.objects.create(text=text, **fields)
        claim.topics.set(topics)
        return claim

    return make


@pytest.fixture
def make_statement(db, make_actor, make_claim):
    def make(
        actor: Actor | None = None,
        *,
        stance: str = Stance.DENIES,
        made_on: datetime.date = datetime.date(2022, 9, 1),
        summary: str = "China denies the allegations.",
        **fields,
    ) -> Statement:
        if not {"claim", "document", "responds_to"} & fields.keys():
            fields["claim"] = make_claim()
        return Statement.objects.create(
            actor=actor or make_actor(),
            stance=stance,
            made_on=made_on,
            summary=summary,
            **fields,
        )

    return make


@pytest.fixture
def make_citation(db):
    def make(*, statement: Statement, source: Source, quote: str, **fields) -> Citation:
        return attach_citation(
            statement=statement, source=source, quote=quote, **fields
        )

    return make


@pytest.fixture
def editor(db):
    """A staff user (not a superuser) holding every permission of the claims app."""
    user = get_user_model().objects.create_user(
        username="editor", password="factdb-test", is_staff=True
    )
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="claims")
    )
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client
