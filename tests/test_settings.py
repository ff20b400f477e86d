"""Settings read from the environment refuse malformed values."""

import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

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


def _import_settings(**env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", "import factdb.settings as s; print(s.DATABASES)"],
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
