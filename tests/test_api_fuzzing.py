"""schemathesis holds the API to its OpenAPI schema: every operation, anonymously
and with an editor's token, on the seed records.

Each operation gets its examples (the schema's), its coverage cases (boundaries and
each way a parameter or body can be wrong) and `MAX_EXAMPLES` generated requests,
derandomised, and every response goes through schemathesis' default checks: no
5xx, status code, content type, headers and body as documented, schema-valid input
accepted and invalid input refused, and operations that need credentials refusing
requests without them or with a bad token.

The schema is drf-spectacular's, the one /api/schema/ serves, generated in-process
(the test database does not exist yet when tests are collected); requests go
through the WSGI application.
"""

from __future__ import annotations

import json
import re
from collections import Counter

import pytest
import schemathesis
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from rest_framework.throttling import SimpleRateThrottle
from schemathesis.specs.openapi.checks import (
    negative_data_rejection,
    positive_data_acceptance,
)

from claims.search_backends.query import EMPTY_QUERY, NO_SEARCHABLE_WORDS

MAX_EXAMPLES = 15
CONFIG = {
    "seed": 20240906,
    "generation": {
        "max-examples": MAX_EXAMPLES,
        "deterministic": True,
        # Nothing saved between runs: a run is reproducible from this file alone.
        "database": "none",
    },
}


def load_schema() -> schemathesis.BaseSchema:
    document = SchemaGenerator().get_schema(request=None, public=True)
    raw = json.loads(OpenApiJsonRenderer().render(document))
    schema = schemathesis.openapi.from_dict(
        raw, config=schemathesis.Config.from_dict(CONFIG)
    )
    schema.app = get_wsgi_application()
    return schema


# JSON Lines bodies of the import are text.
schemathesis.serializer.alias("application/x-ndjson", "text/plain")
schema = load_schema()

# Requests per (identity, operation), reported at the end of the module.
TRIED: Counter[tuple[str, str]] = Counter()


@pytest.fixture(scope="module", autouse=True)
def _report(request):
    yield
    if not TRIED:
        return
    operations = {label for _, label in TRIED}
    line = (
        f"schemathesis: {len(operations)} operations, {sum(TRIED.values())} "
        f"requests generated ({MAX_EXAMPLES} fuzzed per operation and identity, "
        f"plus examples and coverage cases; most for one operation: "
        f"{max(TRIED.values())})"
    )
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    with capture.global_and_fixture_disabled():
        print(f"\n{line}")  # noqa: T201


@pytest.fixture(autouse=True)
def _fuzzing_environment(monkeypatch):
    # A WSGI request closes the database connection when it finishes, as in
    # production; Django's test client keeps it, and so must these requests, or
    # the test's transaction (and its data) would go.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    # The throttles read their rates once, at import: settings overrides do not
    # reach them. Hundreds of requests a minute are the point here.
    monkeypatch.setattr(
        SimpleRateThrottle,
        "THROTTLE_RATES",
        {"anon": "1000000/minute", "user": "1000000/minute"},
    )
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def editor_token(db) -> str:
    """A token of a user in the Editors group (migration 0007_roles)."""
    user = get_user_model().objects.create_user("fuzzing-editor")
    user.groups.add(Group.objects.get(name="Editors"))
    return Token.objects.create(user=user).key


# What OpenAPI cannot say of a schema-valid request: that it names a record that
# does not exist (an actor slug, a statement id), holds a NUL character (refused in
# every text, README), or searches for nothing but common words or operators, all
# 400s naming the parameter; or that its If-Match names another version than the
# record's current one, a 412. Any other 4xx for schema-valid input is a failure.
UNKNOWN_RECORD = re.compile(r"does not exist|^No \w+ has the (id|slug) ")
DOCUMENTED_REFUSALS = {
    EMPTY_QUERY,
    NO_SEARCHABLE_WORDS,
    "Null characters are not allowed.",
}


def _messages(body: object) -> list[str]:
    if isinstance(body, str):
        return [body]
    if isinstance(body, list):
        return [m for item in body for m in _messages(item)]
    if isinstance(body, dict):
        return [m for item in body.values() for m in _messages(item)]
    return [str(body)]


def invalid_data_rejected_unless_a_text_body(ctx, response, case):
    # A JSON Lines body is text: the non-string bodies schemathesis generates to be
    # invalid are sent as their text, valid again (it knows this of text/plain).
    if case.media_type == "application/x-ndjson":
        return None
    return negative_data_rejection(ctx, response, case)


def valid_data_accepted_but_for_what_openapi_cannot_say(ctx, response, case):
    if response.status_code == 412:
        return None  # If-Match names another version than the record's current one.
    if response.status_code == 400:
        messages = _messages(response.json())
        if messages and all(
            UNKNOWN_RECORD.search(m) or m in DOCUMENTED_REFUSALS for m in messages
        ):
            return None
    return positive_data_acceptance(ctx, response, case)


# The seeds are loaded for each operation: the fixture is function-scoped on
# purpose, and every generated request of an operation shares its database.
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@pytest.mark.parametrize("who", ["anonymous", "editor"])
@schema.parametrize()
def test_every_operation_answers_as_its_schema_says(case, who, seeds, editor_token):
    TRIED[who, case.operation.label] += 1
    headers = {"Authorization": f"Token {editor_token}"} if who == "editor" else None
    case.call_and_validate(
        headers=headers,
        excluded_checks=[positive_data_acceptance, negative_data_rejection],
        additional_checks=[
            valid_data_accepted_but_for_what_openapi_cannot_say,
            invalid_data_rejected_unless_a_text_body,
        ],
    )
