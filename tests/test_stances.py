"""The stance vocabulary is complete and documented."""

import re

import pytest
from django.db.models import Model

from claims.models import Statement
from claims.stances import STANCE_DEFINITIONS, Stance
from tests.conftest import REPO_ROOT

REQUIRED_STANCES = {
    "asserts",
    "reports",
    "denies",
    "rejects",
    "disputes",
    "acknowledges",
    "welcomes",
    "condemns",
    "calls_for",
    "expresses_concern",
    "accuses",
}


def test_the_vocabulary_holds_at_least_the_required_stances():
    assert set(Stance.values) >= REQUIRED_STANCES


def test_every_stance_has_a_definition_an_example_and_a_cameo_code():
    assert set(STANCE_DEFINITIONS) == set(Stance.values)
    for stance, definition in STANCE_DEFINITIONS.items():
        assert definition.definition and definition.example, stance
        assert re.fullmatch(r"\d{3,4}", definition.cameo_code), stance
        assert definition.cameo_label, stance


def test_the_readme_documents_every_stance_with_its_cameo_code():
    readme = (REPO_ROOT / "README.md").read_text()

    for stance, definition in STANCE_DEFINITIONS.items():
        row = re.search(
            rf"^\| `{stance}` .*\| {definition.cameo_code} .*\|$", readme, re.M
        )
        assert row, f"README lacks the row of stance {stance}"


@pytest.mark.parametrize("value", [*Stance.values, "not_a_stance", ""])
def test_a_statements_stance_label_is_the_one_django_gives(value):
    statement = Statement(stance=value)
    field = Statement._meta.get_field("stance")

    assert statement.get_stance_display() == Model._get_FIELD_display(statement, field)
