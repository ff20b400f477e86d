"""Measure the main reads on a generated dataset against their floors.

    python manage.py generate_dataset --scale 1    # once, on an empty database
    python manage.py bench                         # make bench

Requests go through Django's test Client in-process: the whole middleware, view,
filter and serializer stack, without a network or an HTTP server, as an anonymous
reader (published statements only). The database connection stays open between
requests, as with DATABASE_CONN_MAX_AGE > 0. DEBUG is off while measuring, the
garbage collector tuned as in a served process (factdb/memory.py), and the
rate-limit counters are cleared before each request (outside the timing).

Then the throughput run: the same reads served by gunicorn on loopback to 32
Locust users flat out (claims/benchmarks/throughput.py).
"""

from __future__ import annotations

import contextlib
import json
import os
import platform
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone
from rest_framework.throttling import AnonRateThrottle

from claims import benchmarks
from claims.benchmarks import throughput
from claims.models import Actor, Citation, Claim, Source, Statement
from factdb.memory import tune_garbage_collection

# The targets.
P95_TARGET_MS = 100
RATIO_TARGET = 2.0
# The rate limit's counter of the bench's one client (the test Client's address).
THROTTLE_KEY = AnonRateThrottle.cache_format % {"scope": "anon", "ident": "127.0.0.1"}
EXPORT_TARGET_PER_SECOND = 20_000
# Memory is flat when ten times the citations take at most this much more peak.
FLAT_MEMORY_FACTOR = 1.5


@dataclass
class Timing:
    samples_ms: list[float]
    queries: int

    @property
    def p50(self) -> float:
        return benchmarks.percentile(self.samples_ms, 0.5)

    @property
    def p95(self) -> float:
        return benchmarks.percentile(self.samples_ms, 0.95)


@dataclass
class Result:
    scenario: benchmarks.Scenario
    api: Timing
    floor: Timing
    same: bool | None

    @property
    def ratio(self) -> float:
        return self.api.p50 / self.floor.p50 if self.floor.p50 else float("inf")

    @property
    def meets_targets(self) -> bool:
        return self.api.p95 < P95_TARGET_MS and self.ratio <= RATIO_TARGET


@dataclass
class ExportResult:
    path: str
    citations: int
    seconds: list[float]
    peak_mib: float
    queries: int
    floor_seconds: list[float]
    floor_peak_mib: float

    @property
    def per_second(self) -> float:
        return self.citations / benchmarks.median(self.seconds)

    @property
    def floor_per_second(self) -> float:
        return self.citations / benchmarks.median(self.floor_seconds)


def _queries() -> CaptureQueriesContext:
    """Counts the queries of a block; the log starts empty, since a request's start
    empties it (django.db.reset_queries) and would throw the count off."""
    connection.queries_log.clear()
    return CaptureQueriesContext(connection)


def _machine() -> str:
    processor, memory = platform.processor() or "unknown CPU", ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            processor = next(
                line.split(":", 1)[1].strip()
                for line in cpuinfo
                if line.startswith("model name")
            )
        with open("/proc/meminfo", encoding="utf-8") as meminfo:
            kib = int(
                next(line for line in meminfo if line.startswith("MemTotal")).split()[1]
            )
            memory = f", {kib / 2**20:.0f} GiB RAM"
    except (OSError, StopIteration):
        pass
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('server_version'), "
            "current_setting('shared_buffers'), current_setting('jit'), "
            "current_setting('join_collapse_limit'), "
            "current_setting('random_page_cost')"
        )
        version, buffers, jit, collapse, random_page_cost = cursor.fetchone()
    load = ", ".join(f"{n:.1f}" for n in os.getloadavg())
    return (
        f"{processor}, {os.cpu_count()} cores{memory}; PostgreSQL {version.split()[0]} "
        f"(local; shared_buffers {buffers}, jit {jit}, join_collapse_limit "
        f"{collapse}, random_page_cost {random_page_cost}); "
        f"Python {platform.python_version()}; load average {load}"
    )


def _dataset() -> str:
    counts = [
        (model._meta.verbose_name_plural, model.objects.count())
        for model in (Actor, Source, Claim, Statement, Citation)
    ]
    return ", ".join(f"{count:,} {name}" for name, count in counts)


class Command(BaseCommand):
    help = (
        "Time the main API reads, the public claim page and a CSL-JSON export on the "
        "database's data (generate_dataset), each against a hand-written SQL floor; "
        "print p50/p95, queries per request and API/floor, and append them to "
        "docs/benchmarks.md. PostgreSQL only."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--iterations", type=int, default=30, help="Timed requests per read."
        )
        parser.add_argument("--warmup", type=int, default=3)
        parser.add_argument(
            "--export-citations",
            type=int,
            default=100_000,
            help="About how many citations the export holds (memory is also "
            "measured at a tenth of it).",
        )
        parser.add_argument("--export-runs", type=int, default=3)
        parser.add_argument(
            "--reads",
            default="",
            help="Only the reads whose name contains one of these comma-separated "
            "texts ('timeline,thread'; 'none' for none).",
        )
        parser.add_argument("--no-export", action="store_true")
        parser.add_argument(
            "--throughput-seconds",
            type=int,
            default=60,
            help="How long gunicorn serves every read (whatever --reads says) to "
            f"{throughput.USERS} Locust users flat out, after a warm-up; 0: no "
            "throughput run.",
        )
        parser.add_argument(
            "--throughput-workers",
            type=int,
            default=throughput.DEFAULT_WORKERS,
            help="gunicorn's workers for the throughput run (default: 2 per core "
            "plus 1).",
        )
        parser.add_argument(
            "--output",
            default=str(Path(settings.BASE_DIR) / "docs" / "benchmarks.md"),
            help="Markdown file the results are appended to ('-': none).",
        )

    def handle(self, *args, **options) -> None:
        if connection.vendor != "postgresql":
            raise CommandError(
                "bench measures PostgreSQL (its floors are PostgreSQL SQL): set "
                "DATABASE_URL=postgres://... to a database filled by generate_dataset."
            )
        if not Statement.objects.exists():
            raise CommandError(
                "The database holds no statements: run generate_dataset first."
            )
        for name in (
            "iterations",
            "warmup",
            "export_citations",
            "export_runs",
            "throughput_seconds",
            "throughput_workers",
        ):
            if options[name] < (0 if name in {"warmup", "throughput_seconds"} else 1):
                raise CommandError(f"--{name.replace('_', '-')} must be positive.")
        self.iterations, self.warmup = options["iterations"], options["warmup"]
        self.client = Client()
        started = time.monotonic()
        scenarios = benchmarks.scenarios()
        # As in gunicorn's workers (factdb/wsgi.py).
        tune_garbage_collection()
        with override_settings(DEBUG=False, ALLOWED_HOSTS=["testserver"]):
            results = [
                self.measure(scenario)
                for scenario in scenarios
                if any(part in scenario.name for part in options["reads"].split(","))
            ]
            export = (
                []
                if options["no_export"]
                else self.measure_export(
                    options["export_citations"], options["export_runs"]
                )
            )
        served = (
            self.measure_throughput(
                scenarios,
                options["throughput_seconds"],
                options["throughput_workers"],
            )
            if options["throughput_seconds"]
            else None
        )
        report = self.report(results, export, time.monotonic() - started)
        if served:
            report += "\n" + throughput.section(served)
        self.stdout.write(report)
        if options["output"] != "-":
            with open(options["output"], "a", encoding="utf-8") as output:
                output.write("\n" + report)
            self.stderr.write(f"Appended to {options['output']}.")

    # Measuring -------------------------------------------------------------------

    def get(
        self, path: str, *, count: bool = False, cold: bool = False
    ) -> tuple[bytes, float, int]:
        """The body of a 200 response to `path`, how long it took in seconds, and
        (with `count`) how many queries it ran; `cold`: with the cache emptied."""
        if cold:
            cache.clear()
        else:
            # The rate limit counts this one anonymous client's requests in the
            # cache: its counter is reset, what else the cache keeps stays.
            cache.delete(THROTTLE_KEY)
        with _queries() if count else contextlib.nullcontext([]) as captured:
            started = time.perf_counter()
            response = self.client.get(path)
            if response.streaming:  # read as a client would, not held in memory
                body = b""
                for chunk in response.streaming_content:
                    body = body or chunk[:300]
            else:
                body = response.content
            seconds = time.perf_counter() - started
        if response.status_code != 200:
            raise CommandError(
                f"{path} answered {response.status_code}: {body[:300]!r}"
            )
        return body, seconds, len(captured)

    def measure(self, scenario: benchmarks.Scenario) -> Result:
        self.stderr.write(f"{scenario.name}: {scenario.path}")
        cold = scenario.cold
        for _ in range(self.warmup):
            self.get(scenario.path, cold=cold)
            scenario.floor()
        api_ms, floor_ms = [], []
        for _ in range(self.iterations):
            # Alternated, so that a slow moment of the machine hits both.
            api_ms.append(self.get(scenario.path, cold=cold)[1] * 1000)
            floor_ms.append(self._timed(scenario.floor) * 1000)
        body, _, api_queries = self.get(scenario.path, count=True, cold=cold)
        # Counted at once: the next count empties the log this one reads.
        with _queries() as captured:
            floor = scenario.floor()
        floor_queries = len(captured)
        same = None
        if scenario.comparable:
            difference = benchmarks.first_difference(
                benchmarks.canonical(json.loads(body)),
                benchmarks.canonical(json.loads(floor)),
            )
            same = difference is None
            if difference:
                self.stderr.write(f"  the floor differs from the API at {difference}")
        result = Result(
            scenario,
            Timing(api_ms, api_queries),
            Timing(floor_ms, floor_queries),
            same,
        )
        self.stderr.write(
            f"  p50 {result.api.p50:.1f} ms, p95 {result.api.p95:.1f} ms, "
            f"{result.api.queries} queries; floor p50 {result.floor.p50:.1f} ms; "
            f"API/floor {result.ratio:.1f}"
        )
        return result

    def measure_export(self, citations: int, runs: int) -> list[ExportResult]:
        results = []
        for wanted in (max(1, citations // 10), citations):
            target = benchmarks.export_target(wanted)
            self.stderr.write(
                f"export of {target.citations:,} citations: {target.path}"
            )
            seconds = [self.get(target.path)[1] for _ in range(runs)]
            queries = self.get(target.path, count=True)[2]
            peak = self._peak(lambda t=target: self.get(t.path))

            def floor(target=target) -> int:
                return benchmarks.floor_export(
                    target.date_from, target.date_to, lambda text: None
                )

            floor_seconds = [self._timed(floor) for _ in range(runs)]
            result = ExportResult(
                target.path,
                target.citations,
                seconds,
                peak,
                queries,
                floor_seconds,
                self._peak(floor),
            )
            self.stderr.write(
                f"  {result.per_second:,.0f} citations/s, peak {peak:.1f} MiB; "
                f"floor {result.floor_per_second:,.0f} citations/s"
            )
            results.append(result)
        return results

    def measure_throughput(
        self, scenarios: list[benchmarks.Scenario], seconds: int, workers: int
    ) -> throughput.Throughput:
        self.stderr.write(
            f"throughput: {throughput.USERS} users flat out for {seconds} s on "
            f"gunicorn with {workers} workers"
        )
        served = throughput.measure_throughput(
            scenarios, seconds=seconds, workers=workers
        )
        total = served.total
        self.stderr.write(
            f"  {total.requests:,} requests, {total.rps:.1f}/s, p50 {total.p50:.1f} "
            f"ms, p99 {total.p99:.1f} ms, {total.errors} errors"
        )
        return served

    @staticmethod
    def _timed(run: Callable[[], object]) -> float:
        started = time.perf_counter()
        run()
        return time.perf_counter() - started

    @staticmethod
    def _peak(run: Callable[[], object]) -> float:
        tracemalloc.start()
        try:
            run()
            return tracemalloc.get_traced_memory()[1] / 2**20
        finally:
            tracemalloc.stop()

    # Reporting -------------------------------------------------------------------

    def report(
        self, results: list[Result], exports: list[ExportResult], seconds: float
    ) -> str:
        lines = [
            f"## {timezone.localdate().isoformat()}: API reads on "
            f"{Statement.objects.count():,} statements",
            "",
            f"Machine: {_machine()}.",
            "",
            f"Dataset: {_dataset()}.",
            "",
            f"Written by `python manage.py bench` in {seconds:.0f} s: "
            f"{self.warmup} warm-up and {self.iterations} timed requests per read "
            "through Django's test Client in-process, each alternated with its "
            "floor (hand-written SQL, `json.dumps`). Same: the floor's JSON equals "
            "the API's.",
            "",
            "| read | p50 ms | p95 ms | queries | floor p50 ms | floor p95 ms "
            "| floor queries | API/floor (p50) | same | targets |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |",
        ]
        for r in results:
            same = {True: "yes", False: "**no**", None: "n/a (HTML)"}[r.same]
            lines.append(
                f"| {r.scenario.name} (`{r.scenario.path}`) | {r.api.p50:.1f} "
                f"| {r.api.p95:.1f} | {r.api.queries} | {r.floor.p50:.1f} "
                f"| {r.floor.p95:.1f} | {r.floor.queries} | {r.ratio:.1f} | {same} "
                f"| {'met' if r.meets_targets else '**missed**'} |"
            )
        lines += [
            "",
            "| export (CSL-JSON) | citations | median s | citations/s | peak MiB "
            "| queries | floor citations/s | floor peak MiB |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for e in exports:
            lines.append(
                f"| `{e.path}` | {e.citations:,} "
                f"| {benchmarks.median(e.seconds):.2f} | {e.per_second:,.0f} "
                f"| {e.peak_mib:.1f} | {e.queries} | {e.floor_per_second:,.0f} "
                f"| {e.floor_peak_mib:.1f} |"
            )
        if not exports:
            return "\n".join(lines) + "\n"
        small, large = exports
        flat = large.peak_mib <= FLAT_MEMORY_FACTOR * max(small.peak_mib, 1.0)
        lines += [
            "",
            f"Export: {large.per_second:,.0f} citations/s (target "
            f"{EXPORT_TARGET_PER_SECOND:,}: "
            f"{'met' if large.per_second >= EXPORT_TARGET_PER_SECOND else 'missed'}); "
            f"peak memory {small.peak_mib:.1f} MiB for {small.citations:,} and "
            f"{large.peak_mib:.1f} MiB for {large.citations:,} citations "
            f"({'flat' if flat else 'not flat'}).",
            "",
        ]
        return "\n".join(lines)
