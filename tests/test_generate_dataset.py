"""generate_dataset: a synthetic dataset whose every citation is true, of a chosen
size, the same for the same seed, refusing a database that already holds data."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count

from claims import search, services
from claims.models import (
    Actor,
    ActorAlias,
    Affiliation,
    Citation,
    Claim,
    Source,
    Statement,
    Topic,
)
from claims.stances import Stance

# At --scale 0.0005: a two-thousandth of 10,000 actors, 200,000 sources, 50,000
# claims, 1,000,000 statements and 2,000,000 citations (topics: at least 2).
TINY = "0.0005"
TINY_COUNTS = {
    Actor: 5,
    Topic: 2,
    Source: 100,
    Claim: 25,
    Statement: 500,
    Citation: 1000,
}


def generate(*args: str) -> tuple[str, str]:
    stdout, stderr = StringIO(), StringIO()
    call_command("generate_dataset", *args, stdout=stdout, stderr=stderr)
    return stdout.getvalue(), stderr.getvalue()


def counts() -> dict:
    return {model: model.objects.count() for model in TINY_COUNTS}


def snapshot() -> list[tuple]:
    """What a dataset says: who took which stance when, and every quote."""
    statements = Statement.objects.order_by("pk").values_list(
        "actor__name", "stance", "made_on", "date_precision", "status", "summary"
    )
    citations = Citation.objects.order_by("pk").values_list(
        "statement__summary", "source__title", "quote", "start", "end"
    )
    return [*statements, *citations]


def test_a_tiny_scale_gives_proportional_counts_and_every_citation_is_true(db):
    stdout, stderr = generate("--scale", TINY, "--seed", "3")

    assert counts() == TINY_COUNTS
    report = services.verify_citations()
    assert report.ok and report.checked == 1000
    # The summary names each table with its rows; the progress went to stderr.
    assert "statements" in stdout and "500" in stdout and "1,000" in stdout
    assert "total" in stdout
    assert "citations      [" in stderr and "rows/s" in stderr


def test_the_dataset_has_the_variety_of_real_data(db):
    generate("--scale", "0.001", "--seed", "3")

    # A hierarchy (a government under its state, bodies under it) and people
    # holding roles at organisations.
    assert Actor.objects.filter(parent__isnull=False).exists()
    assert Actor.objects.filter(parent__parent__isnull=False).exists()
    assert ActorAlias.objects.exists()
    roles = Affiliation.objects.select_related("person", "organisation")
    assert roles.exists()
    assert all(a.person.kind == "person" for a in roles)
    assert all(a.organisation.kind != "person" for a in roles)
    # A person speaks on behalf of the organisation they work for.
    spoken = Statement.objects.filter(actor__kind="person").first()
    assert spoken.on_behalf_of == spoken.actor.affiliations.first().organisation
    statements = Statement.objects.all()
    assert set(statements.values_list("stance", flat=True)) <= set(Stance.values)
    assert statements.values("stance").distinct().count() >= 10
    assert statements.values("date_precision").distinct().count() == 5
    assert set(statements.values_list("status", flat=True)) == {"draft", "published"}
    assert statements.filter(responds_to__responds_to__isnull=False).exists()
    assert statements.filter(claim__isnull=True, document__isnull=False).exists()
    assert statements.filter(made_in__isnull=False).exists()
    assert Claim.objects.annotate(n=Count("topics")).filter(n=0).count() == 0
    # Every statement is backed by at least one citation.
    assert not statements.filter(citations__isnull=True).exists()
    assert Citation.objects.filter(quote_kind="direct").exists()
    # Quotes carry characters beyond ASCII, counted as characters in the offsets.
    assert any(
        not q.isascii() for q in Citation.objects.values_list("quote", flat=True)
    )


def test_the_search_index_follows_the_generated_rows(db):
    generate("--scale", TINY, "--seed", "3")

    claim = Claim.objects.order_by("pk").last()
    place = claim.text.split(" in ")[-2].split()[-1]
    assert claim in search.search_queryset(Claim.objects.all(), place)
    citation = Citation.objects.order_by("pk").last()
    word = max(citation.quote.split(), key=len).strip(".,\u201c\u201d:")
    found = search.search_queryset(Statement.objects.all(), word)
    assert citation.statement in found


def test_generated_rows_have_no_history(db):
    generate("--scale", TINY)

    assert Statement.history.count() == 0
    assert Citation.history.count() == 0


def test_the_same_seed_gives_the_same_dataset(db):
    generate("--scale", TINY, "--seed", "7")
    first = snapshot()
    generate("--scale", TINY, "--seed", "7", "--force")
    assert snapshot() == first
    generate("--scale", TINY, "--seed", "8", "--force")
    assert snapshot() != first


def test_a_database_with_data_is_refused_without_append_or_force(seeds):
    before = counts()

    with pytest.raises(CommandError) as refused:
        generate("--scale", TINY)

    assert str(refused.value) == (
        f"The database {connection.settings_dict['NAME']} already holds FactDB "
        "records. Use an empty database, or --append to add to them, or --force to "
        "delete them all first."
    )
    assert counts() == before


def test_append_adds_to_the_records_already_there(seeds):
    before = counts()

    generate("--scale", TINY, "--append")

    assert counts() == {model: before[model] + n for model, n in TINY_COUNTS.items()}
    assert Statement.objects.filter(pk=1, actor__slug="bbc").exists()  # a seed
    assert services.verify_citations().ok


def test_force_replaces_everything(seeds):
    generate("--scale", TINY, "--force")

    assert counts() == TINY_COUNTS
    assert not Actor.objects.filter(slug="bbc").exists()
    assert Statement.objects.order_by("pk").first().pk == 1


@pytest.mark.parametrize("scale", ["0", "-1", "abc", "nan", "inf", "101", ""])
def test_a_bad_scale_is_refused_naming_it(db, scale):
    with pytest.raises(CommandError) as refused:
        generate("--scale", scale)

    assert str(refused.value) == (
        "Error: argument --scale: must be a number above 0 and at most 100 "
        f"(1 = 1,000,000 statements, 0.001 = 1,000); got {scale!r}"
    )
    assert not Actor.objects.exists()
