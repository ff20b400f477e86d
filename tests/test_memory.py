"""The garbage collector's tuning for served processes (factdb/memory.py)."""

import gc
import importlib

import pytest

from factdb.memory import THRESHOLDS, tune_garbage_collection


@pytest.fixture
def restored_gc():
    thresholds = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*thresholds)


def test_the_loaded_application_is_frozen_and_young_collections_are_rarer(
    restored_gc,
):
    tune_garbage_collection()
    assert gc.get_threshold() == THRESHOLDS == (50_000, 50, 100)
    # Everything alive at the call (Django's modules and FactDB's) is frozen.
    assert gc.get_freeze_count() > 10_000


def test_the_wsgi_application_is_loaded_with_the_tuning(restored_gc):
    import factdb.wsgi

    importlib.reload(factdb.wsgi)  # another test may have imported it untuned
    assert callable(factdb.wsgi.application)
    assert gc.get_threshold() == THRESHOLDS
