"""Read replicas: reads go to a replica, writes and the reads that must see them to
the primary (factdb/db_routers.py, DATABASE_REPLICA_URLS)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import transaction
from django.http import HttpResponse
from django.test import RequestFactory

from claims.models import Statement
from factdb import db_routers

REPO_ROOT = Path(__file__).resolve().parent.parent
router = db_routers.PrimaryReplicaRouter()


@pytest.fixture
def one_replica(monkeypatch):
    monkeypatch.setattr(db_routers, "replica_aliases", lambda: ["replica_1"])


def test_without_replicas_everything_reads_from_the_primary():
    assert db_routers.replica_aliases() == []
    assert router.db_for_read(Statement) == "default"


def test_reads_go_to_a_replica_and_writes_to_the_primary(one_replica):
    assert router.db_for_read(Statement) == "replica_1"
    assert router.db_for_write(Statement) == "default"


def test_rate_limit_and_login_counters_are_read_on_the_primary(one_replica):
    from axes.models import AccessAttempt
    from django.core.cache import cache

    assert router.db_for_read(cache.cache_model_class) == "default"
    assert router.db_for_read(AccessAttempt) == "default"


def test_only_the_primary_is_migrated(one_replica):
    assert router.allow_migrate("default", "claims") is True
    assert router.allow_migrate("replica_1", "claims") is False


@pytest.mark.django_db(transaction=True)
def test_reads_inside_a_transaction_see_its_writes_on_the_primary(one_replica):
    with transaction.atomic():
        assert router.db_for_read(Statement) == "default"
    assert router.db_for_read(Statement) == "replica_1"


@pytest.mark.parametrize(
    ("method", "path", "reads_from"),
    [
        ("get", "/api/v1/statements/", "replica_1"),
        ("get", "/claims/xinjiang-camps-sexual-violence/", "replica_1"),
        ("post", "/api/v1/statements/", "default"),
        ("patch", "/api/v1/statements/5/", "default"),
        ("delete", "/api/v1/citations/1/", "default"),
        ("get", "/admin/claims/statement/5/change/", "default"),
    ],
)
def test_requests_that_may_write_and_the_admin_read_from_the_primary(
    one_replica, method, path, reads_from
):
    seen = []

    def view(request):
        seen.append(router.db_for_read(Statement))
        return HttpResponse()

    middleware = db_routers.PrimaryForWritersMiddleware(view)
    middleware(getattr(RequestFactory(), method)(path))

    assert seen == [reads_from]
    # The pin ends with the request.
    assert router.db_for_read(Statement) == "replica_1"


def test_a_replica_url_adds_a_replica_alias_that_serves_reads(tmp_path):
    """End to end in a fresh process: DATABASE_REPLICA_URLS pointing at the
    primary's own database (a mirror, as a replica is after replication)."""
    url = f"sqlite:///{tmp_path / 'primary.sqlite3'}"
    env = os.environ | {"DATABASE_URL": url, "DATABASE_REPLICA_URLS": url}
    manage = [sys.executable, str(REPO_ROOT / "manage.py")]
    subprocess.run(
        [*manage, "migrate", "--noinput", "-v0"], env=env, check=True, cwd=tmp_path
    )
    script = (
        "import json\n"
        "from django.conf import settings\n"
        "from claims.models import Topic\n"
        "Topic.objects.create(name='Detention', slug='detention')\n"
        "read = Topic.objects.all()\n"
        "print(json.dumps({'aliases': sorted(settings.DATABASES),"
        " 'read_from': read.db, 'slugs': [t.slug for t in read],"
        " 'mirror': settings.DATABASES['replica_1']['TEST']['MIRROR']}))\n"
    )
    result = subprocess.run(
        [*manage, "shell", "--no-imports", "-c", script],
        env=env,
        check=True,
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )

    assert json.loads(result.stdout) == {
        "aliases": ["default", "replica_1"],
        "read_from": "replica_1",
        "slugs": ["detention"],
        "mirror": "default",
    }
