"""Test configuration: the database comes from DATABASE_URL (SQLite by default)."""

import datetime
import itertools
import os
from collections.abc import Iterable
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.core.management import call_command
from django.utils.text import slugify
from hypothesis import settings as hypothesis_settings

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
from factdb import cache as upsert_cache
from tests.browser import CHROMIUM, CHROMIUM_ARGS, SCREENSHOTS, VIEWPORT

REPO_ROOT = Path(__file__).resolve().parent.parent

# Hypothesis (tests/test_quote_roundtrip.py): no deadline, a test's examples share a
# database whose speed varies. "dev" draws new examples each run; "ci", loaded
# when CI is set (as .ci/run does), is derandomized: every run tries the same ones.
hypothesis_settings.register_profile("dev", deadline=None)
hypothesis_settings.register_profile(
    "ci", deadline=None, derandomize=True, database=None, print_blob=True
)
hypothesis_settings.load_profile("ci" if os.environ.get("CI") else "dev")
SEED_FIXTURES = sorted(str(p) for p in (REPO_ROOT / "fixtures").glob("*.json"))
# Every API request that passes its permission checks runs its rate limit in the
# database cache: a SELECT of the client's history, then its upsert
# (factdb/cache.py).
THROTTLE_QUERIES = 2


@pytest.fixture(autouse=True)
def _no_periodic_cull(monkeypatch):
    """factdb/cache.py counts its table on every 100th write of a process, which
    would add a query to whichever request of the run it falls on: the query
    counts asserted here are those of the other 99 (tests/test_cache.py tests the
    cull)."""
    monkeypatch.setattr(upsert_cache, "CULL_EVERY", 10**12)


@pytest.fixture(autouse=True)
def _fresh_cache(request, django_db_blocker):
    """Throttle counters live in the cache, a database table: each test that uses
    the database starts with none. (A test's own rows go with its transaction, but
    a transactional test's, or a subprocess's, stay.)"""
    if (
        request.node.get_closest_marker("django_db")
        or "django_db_setup" in request.fixturenames
    ):
        request.getfixturevalue("django_db_setup")
        with django_db_blocker.unblock():
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


# Browser tests (tests/browser.py): Chromium driven by Playwright. ---------------


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium per test module."""
    from playwright.sync_api import expect, sync_playwright

    # A live-server page can take seconds on a busy CI machine: assertions wait for
    # up to 15 s (Playwright's default is 5 s) before failing.
    expect.set_options(timeout=15_000)

    # Playwright's sync API runs an event loop in this thread, which Django takes
    # for an async context; the ORM calls made here (fixtures, the tests' set-up)
    # are still synchronous.
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def browser_context(browser, live_server):
    """Opens browser contexts on the live server, each with its own cookies (a
    user of its own), and closes them after the test."""
    contexts = []

    def open_context():
        context = browser.new_context(base_url=live_server.url, viewport=VIEWPORT)
        contexts.append(context)
        return context

    yield open_context
    for context in contexts:
        context.close()


@pytest.fixture
def page(seeds, browser_context):
    """A page of a fresh browser context, on the live server with the seeds."""
    return browser_context().new_page()


@pytest.fixture
def screenshots(tmp_path) -> Path:
    """docs/screenshots/ with FACTDB_SCREENSHOTS=1 (the README shows them);
    otherwise a temporary directory, so a test run never changes the work tree."""
    if os.environ.get("FACTDB_SCREENSHOTS"):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        return SCREENSHOTS
    return tmp_path
