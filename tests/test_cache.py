"""The database cache behind the rate limits (factdb/cache.py): Django's, with a
set() of one statement."""

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from factdb import cache as upsert_cache


@pytest.fixture
def empty_cache(db):
    """The cache object itself, not Django's `cache` proxy: an attribute patched
    through the proxy was not restored on the object (later tests found it without
    `_max_entries`)."""
    backend = caches["default"]
    backend.clear()
    yield backend
    backend.clear()


def test_a_set_is_one_statement_and_a_get_reads_it_back(empty_cache):
    with CaptureQueriesContext(connection) as queries:
        empty_cache.set("counter", [1.5, 2.5], 60)
    assert len(queries) == 1
    assert queries[0]["sql"].startswith('INSERT INTO "factdb_cache"')
    assert empty_cache.get("counter") == [1.5, 2.5]


def test_a_second_set_replaces_the_value_and_its_expiry(empty_cache):
    empty_cache.set("counter", "first", 60)
    empty_cache.set("counter", "second", 120)
    assert empty_cache.get("counter") == "second"
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM factdb_cache")
        assert cursor.fetchone() == (1,)


def test_an_expired_value_is_gone_and_none_never_expires(empty_cache):
    empty_cache.set("gone", "x", -1)
    empty_cache.set("kept", "y", None)
    assert empty_cache.get("gone") is None
    assert empty_cache.get("kept") == "y"


def test_add_touch_and_delete_still_work(empty_cache):
    assert empty_cache.add("key", 1, 60) is True
    assert empty_cache.add("key", 2, 60) is False
    assert empty_cache.touch("key", 120) is True
    assert empty_cache.get("key") == 1
    empty_cache.delete("key")
    assert empty_cache.get("key") is None


def test_a_full_table_is_culled_on_the_periodic_check(empty_cache, monkeypatch):
    assert isinstance(empty_cache, upsert_cache.UpsertDatabaseCache)
    monkeypatch.setattr(upsert_cache, "CULL_EVERY", 1)
    monkeypatch.setattr(empty_cache, "_max_entries", 4)
    monkeypatch.setattr(empty_cache, "_cull_frequency", 2)
    for number in range(6):
        empty_cache.set(f"key-{number}", number, 60)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM factdb_cache")
        (count,) = cursor.fetchone()
    # Past 4 entries, a set first culls half of the table, then writes its own.
    assert count <= 4
    assert empty_cache.get("key-5") == 5
