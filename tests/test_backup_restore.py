"""Backups restore every row: the seeds with a history of edits, dumped with
`dumpdata` and loaded with `loaddata` into a freshly migrated database (and, on
PostgreSQL, copied on with pg_dump/pg_restore), are the same table by table
(claims.reliability.snapshot), keep their triggers and search index, and every
citation still verifies."""

from __future__ import annotations

import datetime
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import psycopg2
import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.db.models import Max
from helpers import api_client, member_of

from claims.models import Citation, Claim, Statement, Topic
from claims.reliability.snapshot import differences, take_snapshot
from claims.services import (
    attach_citation,
    delete_record,
    save_statement,
    verify_citations,
)

pytestmark = pytest.mark.django_db

REPO_ROOT = Path(__file__).resolve().parent.parent
# The documented backup (docs/reliability.md): `migrate` on the new database makes
# the content types and permissions, referred to by natural key in the dump.
DUMP_OPTIONS = {
    "use_base_manager": True,  # --all
    "natural_foreign": True,
    "exclude": ["contenttypes", "auth.permission"],
}
SEED_CITATIONS = 103


def manage(database_url: str, *args: str) -> subprocess.CompletedProcess:
    """`manage.py <args>` in a process of its own, on `database_url`."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("DATABASE_")
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO_ROOT,
        env={**env, "DATABASE_URL": database_url},
        capture_output=True,
        text=True,
        timeout=300,
    )


def snapshot_of(database_url: str, *options: str) -> dict:
    taken = manage(database_url, "reliability", "snapshot", *options)
    assert taken.returncode == 0, taken.stderr
    return json.loads(taken.stdout)


@pytest.fixture
def edited_seeds(seeds) -> None:
    """The seeds, then edits through the API and the services, so that users,
    tokens, groups and every kind of history row (+, ~, -) are in the dump."""
    editor = api_client(member_of("Editors"))
    changed = editor.patch(
        "/api/v1/statements/5/",
        {"summary": "Edited through the API before the backup."},
        format="json",
        HTTP_IF_MATCH='"1"',
    )
    assert changed.status_code == 200, changed.json()

    cited = Citation.objects.get(pk=1)
    statement = save_statement(
        statement=Statement(
            actor_id=cited.statement.actor_id,
            stance="reports",
            claim_id=cited.statement.claim_id,
            made_on=cited.statement.made_on,
            summary="A draft written by a service before the backup.",
        )
    )
    attach_citation(
        statement=statement, source=cited.source, quote=cited.quote, start=cited.start
    )
    removed = Citation.objects.get(pk=2)
    delete_record(record=removed, version=removed.version)
    # Many-to-many links numbered with a gap, which loaddata numbers afresh.
    claim = Claim.objects.get(pk=1)
    claim.topics.remove(*claim.topics.all())
    claim.topics.add(*Topic.objects.order_by("pk")[:2])
    links = Claim.topics.through.objects
    assert links.aggregate(Max("id"))["id__max"] > links.count()


@pytest.fixture
def restore_url(tmp_path) -> Iterator[str]:
    """An empty database of the test database's vendor: a SQLite file, or a new
    PostgreSQL database dropped afterwards."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    with _new_postgresql_database(f"factdb_restore_{os.getpid()}") as url:
        yield url


def _server() -> dict:
    settings = connection.settings_dict
    return {
        "host": settings["HOST"] or "127.0.0.1",
        "port": settings["PORT"] or 5432,
        "user": settings["USER"],
        "password": settings["PASSWORD"],
    }


def _url_of(name: str) -> str:
    server = _server()
    password = f":{server['password']}" if server["password"] else ""
    return (
        f"postgres://{server['user']}{password}@{server['host']}:{server['port']}/"
        f"{name}"
    )


class _new_postgresql_database:
    """A new, empty PostgreSQL database on the test server, dropped on exit."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.server = _server()

    def _execute(self, sql: str) -> None:
        admin = psycopg2.connect(dbname="postgres", **self.server)
        admin.autocommit = True
        try:
            with admin.cursor() as cursor:
                cursor.execute(sql)
        finally:
            admin.close()

    def __enter__(self) -> str:
        self._execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        self._execute(f'CREATE DATABASE "{self.name}"')
        return _url_of(self.name)

    def __exit__(self, *exc_info: object) -> None:
        self._execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def restore_with_loaddata(
    tmp_path: Path, database_url: str, *, migrate: bool = True
) -> None:
    """Dump this (test) database and restore it on `database_url`, as
    docs/reliability.md says."""
    backup = tmp_path / "backup.json"
    call_command("dumpdata", output=str(backup), verbosity=0, **DUMP_OPTIONS)
    if migrate:
        migrated = manage(database_url, "migrate", "--noinput")
        assert migrated.returncode == 0, migrated.stderr
    loaded = manage(database_url, "loaddata", str(backup))
    assert loaded.returncode == 0, loaded.stderr
    assert loaded.stdout.startswith("Installed ")


def test_dumpdata_and_loaddata_restore_every_row_of_every_table(
    edited_seeds, tmp_path, restore_url
):
    before = take_snapshot()
    restore_with_loaddata(tmp_path, restore_url)

    after = snapshot_of(restore_url)
    assert differences(before, after) == []
    tables = after["tables"]
    assert tables["claims_citation"]["rows"] == SEED_CITATIONS
    assert tables["claims_historicalcitation"]["rows"] == 2  # one added, one deleted
    assert tables["claims_historicalstatement"]["rows"] == 2
    assert tables["authtoken_token"]["rows"] == 1
    assert "claims_citation_quote_in_source" in " ".join(after["triggers"])
    if connection.vendor == "sqlite":
        # The search index was filled by its triggers as loaddata inserted rows.
        assert tables["claims_citation_fts"]["rows"] == SEED_CITATIONS
    assert verify_citations().ok
    verified = manage(restore_url, "verify_citations")
    assert verified.returncode == 0, verified.stderr
    assert verified.stdout.strip() == (
        f"{SEED_CITATIONS} citation(s) checked, {SEED_CITATIONS} verified, 0 failed."
    )


def test_a_json_backup_keeps_times_to_the_microsecond(tmp_path):
    user = member_of("Editors")
    get_user_model().objects.filter(pk=user.pk).update(
        last_login=datetime.datetime(2026, 1, 2, 3, 4, 5, 123456, tzinfo=datetime.UTC)
    )
    backup = tmp_path / "backup.json"

    call_command("dumpdata", "auth.user", output=str(backup), verbosity=0)

    (dumped,) = json.loads(backup.read_text())
    # Django's own JSON format would write "2026-01-02T03:04:05.123Z".
    assert dumped["fields"]["last_login"] == "2026-01-02T03:04:05.123456Z"


def pg_copy(source_url: str, target_url: str, archive: Path) -> None:
    """pg_dump -Fc the source, pg_restore it into the (empty) target."""
    for command in (
        ["pg_dump", "-Fc", "-f", str(archive), source_url],
        ["pg_restore", "--no-owner", "--exit-on-error", "-d", target_url, archive],
    ):
        done = subprocess.run(command, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr


def test_pg_dump_and_pg_restore_reproduce_every_row_of_every_table(
    edited_seeds, tmp_path
):
    if connection.vendor != "postgresql":
        pytest.skip("pg_dump and pg_restore copy PostgreSQL databases only")
    assert shutil.which("pg_dump") and shutil.which("pg_restore")
    pid = os.getpid()
    with (
        _new_postgresql_database(f"factdb_restore_{pid}") as copy,
        _new_postgresql_database(f"factdb_restore_{pid}_pg") as target,
    ):
        # pg_dump reads committed rows only, and this test's are in its
        # transaction: the database to dump is a copy holding them, made with
        # pg_dump of the test database as migrated (faster than `migrate`), then
        # loaddata as in the test above.
        pg_copy(_url_of(connection.settings_dict["NAME"]), copy, tmp_path / "a.dump")
        restore_with_loaddata(tmp_path, copy, migrate=False)
        copied = snapshot_of(copy, "--every-table")

        pg_copy(copy, target, tmp_path / "backup.dump")

        restored = snapshot_of(target, "--every-table")
        assert differences(copied, restored) == []
        assert restored["tables"]["claims_historicalcitation"]["rows"] == 2
        assert "django_migrations" in restored["tables"]
        verified = manage(target, "verify_citations")
        assert verified.returncode == 0, verified.stderr
