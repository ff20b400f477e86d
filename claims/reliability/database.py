"""The long runs' own PostgreSQL database: dropped, created, migrated and seeded
afresh each run, so they never touch anyone's data."""

from __future__ import annotations

import psycopg2
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connections
from rest_framework.authtoken.models import Token

SEED_FIXTURES = ("actors", "sources", "claims", "statements")


def check_reliability_database() -> str:
    """The database's name; ValueError unless it is a PostgreSQL database named
    for these runs, since `recreate_database()` drops it."""
    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.postgresql":
        raise ValueError(
            "The fault and load runs need PostgreSQL: set DATABASE_URL to e.g. "
            "postgres://postgres@127.0.0.1:5432/factdb_reliability"
        )
    if "reliability" not in database["NAME"]:
        raise ValueError(
            f"The runs drop and recreate their database; {database['NAME']!r} is "
            "not named for them (its name must contain 'reliability')."
        )
    return database["NAME"]


def recreate_database() -> None:
    """Drop and create the database, migrate it and load the seed fixtures."""
    name = check_reliability_database()
    database = settings.DATABASES["default"]
    connections.close_all()
    server = psycopg2.connect(
        dbname="postgres",
        host=database["HOST"],
        port=database["PORT"] or 5432,
        user=database["USER"],
        password=database["PASSWORD"],
    )
    server.autocommit = True
    try:
        with server.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            cursor.execute(f'CREATE DATABASE "{name}"')
    finally:
        server.close()
    call_command("migrate", verbosity=0, interactive=False)
    call_command("loaddata", *SEED_FIXTURES, verbosity=0)


def editor_token(username: str = "reliability-editor") -> str:
    """An API token of a member of the Editors group (writes drafts)."""
    user = get_user_model().objects.create_user(username=username, is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return Token.objects.create(user=user).key
