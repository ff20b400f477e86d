"""bench: every read measured against its floor, on a tiny generated dataset."""

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="bench measures PostgreSQL"
)

READS = [
    "statements: denies/rejects since a date, page of 50",
    "claim timeline, median claim",
    "claim timeline, largest claim",
    "statements of a state with its bodies and people",
    "search, common word (detention)",
    "search, rare word",
    "thread of the most answered statement",
    "public claim page, median claim",
    "public claim page, largest claim",
]
# Read with the cache emptied before each request: left out of the throughput run.
COLD_READS = [
    "claim timeline, first read after an edit",
    "public claim page, first read after an edit",
]


def bench(*args: str) -> str:
    stdout = StringIO()
    call_command("bench", *args, stdout=stdout, stderr=StringIO())
    return stdout.getvalue()


def table_rows(report: str, read: str) -> list[list[str]]:
    return [
        [cell.strip() for cell in line.strip("|").split("|")]
        for line in report.splitlines()
        if line.startswith(f"| {read}")
    ]


@postgresql_only
def test_bench_measures_every_read_against_a_floor_giving_the_same_answer(db, tmp_path):
    call_command(
        "generate_dataset", "--scale", "0.0005", stdout=StringIO(), stderr=StringIO()
    )
    output = tmp_path / "benchmarks.md"
    output.write_text("# Earlier figures\n", encoding="utf-8")

    printed = bench(
        "--iterations", "1", "--warmup", "0", "--export-citations", "60",
        "--export-runs", "1", "--throughput-seconds", "0", "--output", str(output),
    )  # fmt: skip

    written = output.read_text(encoding="utf-8")
    assert written == f"# Earlier figures\n\n{printed}"  # appended, not replaced
    assert "API reads on 500 statements" in printed
    assert (
        "Dataset: 5 actors, 100 sources, 25 claims, 500 statements, 1,000 " in printed
    )
    queries = {}
    for read in READS + COLD_READS:
        (row,) = table_rows(printed, read)
        p50, p95, api_queries, floor_p50 = row[1:5]
        assert float(p50) > 0 and float(p95) >= float(p50) and float(floor_p50) > 0
        queries[read] = int(api_queries)
        # The floor's JSON is the API's (pages are HTML: nothing to compare).
        assert row[8] == ("n/a (HTML)" if read.startswith("public") else "yes")
    # A claim's timeline and page take as many queries however long the claim.
    assert (
        queries["claim timeline, median claim"]
        == queries["claim timeline, largest claim"]
        == queries["claim timeline, first read after an edit"]
    )
    assert (
        queries["public claim page, median claim"]
        == queries["public claim page, largest claim"]
        == queries["public claim page, first read after an edit"]
    )
    exports = re.findall(
        r"^\| `/api/v1/citations/export/\?format=csl-json.*$", printed, re.M
    )
    assert len(exports) == 2
    assert re.search(r"^Export: [\d,]+ citations/s \(target 20,000: ", printed, re.M)
    assert "Throughput:" not in printed  # --throughput-seconds 0


@postgresql_only
def test_bench_needs_a_dataset(db):
    with pytest.raises(CommandError) as refused:
        bench("--output", "-")

    assert str(refused.value) == (
        "The database holds no statements: run generate_dataset first."
    )


@pytest.mark.skipif(connection.vendor == "postgresql", reason="other databases")
def test_bench_refuses_other_databases_than_postgresql(db):
    with pytest.raises(CommandError) as refused:
        bench("--output", "-")

    assert str(refused.value) == (
        "bench measures PostgreSQL (its floors are PostgreSQL SQL): set "
        "DATABASE_URL=postgres://... to a database filled by generate_dataset."
    )


@postgresql_only
def test_bench_serves_every_read_through_gunicorn_to_32_users_without_an_error(
    transactional_db,
):
    # Committed (transactional_db): gunicorn's workers read it on connections of
    # their own.
    call_command(
        "generate_dataset", "--scale", "0.0005", stdout=StringIO(), stderr=StringIO()
    )

    printed = bench(
        "--reads", "none", "--no-export", "--throughput-seconds", "3",
        "--throughput-workers", "2", "--output", "-",
    )  # fmt: skip

    assert re.search(
        r"^Throughput: gunicorn \(`factdb/gunicorn.conf.py`, 2 sync workers, .* to "
        r"32 Locust users, .* measured for 3 s after a 1 s warm-up; ",
        printed,
        re.M,
    )
    assert "| endpoint | requests | rps | p50 ms | p99 ms | errors |" in printed
    (total,) = table_rows(printed, "**all reads**")
    requests, rps, p50, p99, errors = total[1:]
    assert number(requests) > 0 and errors == "0", printed
    assert float(rps) == pytest.approx(number(requests) / 3, abs=0.1)
    assert 0 < float(p50) <= float(p99)
    served = 0
    for read in [*READS, "statement detail"]:
        (row,) = table_rows(printed, read)
        assert number(row[1]) > 0 and row[5] == "0", row
        assert 0 < float(row[3]) <= float(row[4])
        served += number(row[1])
    # Every request is one of the reads'.
    assert served == number(requests)
    for read in COLD_READS:
        assert not table_rows(printed, read)


@postgresql_only
def test_bench_refuses_a_throughput_run_without_workers(seeds):
    with pytest.raises(CommandError) as refused:
        bench("--throughput-workers", "0", "--output", "-")

    assert str(refused.value) == "--throughput-workers must be positive."


def number(cell: str) -> int:
    return int(cell.replace(",", ""))
