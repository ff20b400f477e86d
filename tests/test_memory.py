"""The garbage collector's tuning for served processes (factdb/memory.py)."""

import gc
import importlib
import weakref

import pytest
from django.core.signals import request_started

from factdb import memory
from factdb.memory import THRESHOLDS, tune_garbage_collection


@pytest.fixture
def restored_gc():
    thresholds = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*thresholds)
    request_started.disconnect(dispatch_uid="factdb.memory")


def test_the_loaded_application_is_frozen_and_young_collections_are_rarer(
    restored_gc,
):
    tune_garbage_collection()
    assert gc.get_threshold() == THRESHOLDS == (50_000, 50, 100)
    # Everything alive at the call (Django's modules and FactDB's) is frozen.
    assert gc.get_freeze_count() > 10_000


def test_the_cycles_a_request_left_are_collected_as_the_next_one_starts(
    restored_gc, client, db
):
    tune_garbage_collection()

    class Node:
        pass

    cycle = Node()
    cycle.itself = cycle
    left = weakref.ref(cycle)
    del cycle
    assert left() is not None  # far from 50,000 allocations: not collected yet

    assert client.get("/api/v1/").status_code == 200

    assert left() is None


@pytest.mark.parametrize(
    "counts,generation",
    [((10, 0, 0), 0), ((10, 49, 99), 0), ((10, 50, 0), 1), ((0, 50, 100), 2)],
)
def test_an_older_generation_is_collected_when_its_count_reaches_its_threshold(
    restored_gc, monkeypatch, counts, generation
):
    gc.set_threshold(*THRESHOLDS)
    collected = []
    monkeypatch.setattr(memory.gc, "get_count", lambda: counts)
    monkeypatch.setattr(memory.gc, "collect", collected.append)

    memory.collect_garbage_of_earlier_requests()

    assert collected == [generation]


def test_the_wsgi_application_is_loaded_with_the_tuning(restored_gc):
    import factdb.wsgi

    importlib.reload(factdb.wsgi)  # another test may have imported it untuned
    assert callable(factdb.wsgi.application)
    assert gc.get_threshold() == THRESHOLDS
    # Connected: disconnecting it finds it.
    assert request_started.disconnect(dispatch_uid="factdb.memory")
