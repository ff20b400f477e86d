"""Settings read from the environment refuse malformed values."""

import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from factdb.settings import env_bool, env_list
from tests.conftest import REPO_ROOT


@pytest.mark.parametrize("value,expected", [("true", True), ("0", False), ("", True)])
def test_booleans_are_read_from_the_environment(monkeypatch, value, expected):
    monkeypatch.setenv("FACTDB_TEST_FLAG", value)

    assert env_bool("FACTDB_TEST_FLAG", True) is expected


def test_a_malformed_boolean_is_refused_with_its_name(monkeypatch):
    monkeypatch.setenv("FACTDB_TEST_FLAG", "maybe")

    with pytest.raises(ImproperlyConfigured) as raised:
        env_bool("FACTDB_TEST_FLAG", True)

    assert str(raised.value) == (
        "FACTDB_TEST_FLAG must be a boolean (true/false), got 'maybe'"
    )


def test_lists_are_comma_separated_and_trimmed(monkeypatch):
    monkeypatch.setenv("FACTDB_TEST_HOSTS", " a.example , b.example,,")

    assert env_list("FACTDB_TEST_HOSTS", "") == ["a.example", "b.example"]


def _import_settings(
    show: str = "DATABASES", **env: str
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", f"import factdb.settings as s; print(s.{show})"],
        cwd=REPO_ROOT,
        env={"PATH": os.environ["PATH"], **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_without_a_secret_key_refuses_to_start():
    result = _import_settings(DJANGO_DEBUG="false")

    assert result.returncode == 1
    assert (
        "ImproperlyConfigured: DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off"
        in result.stderr
    )


def test_database_url_selects_the_database():
    result = _import_settings(DATABASE_URL="postgres://postgres@db.example:6432/facts")

    assert result.returncode == 0, result.stderr
    assert "'NAME': 'facts'" in result.stdout
    assert "'HOST': 'db.example'" in result.stdout
    assert "'PORT': 6432" in result.stdout
    assert "django.db.backends.postgresql" in result.stdout


def test_postgresql_connections_carry_the_planner_options_unless_pooled():
    url = "postgres://postgres@db.example:5432/facts"

    default = _import_settings(DATABASE_URL=url)
    chosen = _import_settings(DATABASE_URL=url, DATABASE_POSTGRES_OPTIONS="-c jit=on")
    none = _import_settings(DATABASE_URL=url, DATABASE_POSTGRES_OPTIONS="")
    pooled = _import_settings(DATABASE_URL=url, DATABASE_POOLED="true")

    for result in (default, chosen, none, pooled):
        assert result.returncode == 0, result.stderr
    options = (
        "'options': '-c jit=off -c join_collapse_limit=16 -c from_collapse_limit=16 "
        "-c random_page_cost=1.1'"
    )
    assert options in default.stdout
    assert "'options': '-c jit=on'" in chosen.stdout
    assert "'options'" not in none.stdout
    # PgBouncer refuses startup options: they are set on the database instead.
    assert "'options'" not in pooled.stdout
    assert "'DISABLE_SERVER_SIDE_CURSORS': True" in pooled.stdout


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
def test_postgresql_sessions_plan_with_factdb_options(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('jit'), current_setting('join_collapse_limit'), "
            "current_setting('from_collapse_limit'), "
            "current_setting('random_page_cost')"
        )
        assert cursor.fetchone() == ("off", "16", "16", "1.1")


def test_sqlite_connections_get_no_postgresql_options():
    result = _import_settings()

    assert result.returncode == 0, result.stderr
    assert "'options'" not in result.stdout


def test_the_size_of_a_kept_timeline_is_read_from_the_environment():
    show = "TIMELINE_CACHE_STATEMENTS"

    default = _import_settings(show)
    chosen = _import_settings(show, FACTDB_TIMELINE_CACHE_STATEMENTS="250")
    zero = _import_settings(show, FACTDB_TIMELINE_CACHE_STATEMENTS="0")

    assert default.stdout == "100\n" and chosen.stdout == "250\n"
    assert zero.returncode == 1
    assert (
        "FACTDB_TIMELINE_CACHE_STATEMENTS must be a whole number of at least 1, got '0'"
        in zero.stderr
    )
