"""Test configuration: the database comes from DATABASE_URL (SQLite by default)."""

from pathlib import Path

import pytest
from django.core.management import call_command

REPO_ROOT = Path(__file__).resolve().parent.parent
SEED_FIXTURES = sorted(str(p) for p in (REPO_ROOT / "fixtures").glob("*.json"))


@pytest.fixture
def seeds(db):
    """The seed fixtures loaded into the (empty) test database."""
    call_command("loaddata", *SEED_FIXTURES, verbosity=0)
