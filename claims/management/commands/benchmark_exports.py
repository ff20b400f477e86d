"""Benchmark every export format on synthetic citations, in a transaction that is
rolled back at the end: the database is left as it was.

    python manage.py benchmark_exports --citations 100000
"""

from __future__ import annotations

import datetime
import os
import platform
import time
import tracemalloc
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.utils import timezone

from claims import exports
from claims.models import Actor, Citation, Claim, Source, Statement
from claims.quotes import context_around

# Every quote carries the characters that break naive exporters.
SENTENCE = (
    "Sentence {n} says \u201cit is so\u201d & costs 100% of #{n} \u2014 "
    "\u0412\u0430\u043d \u0412\u044d\u043d\u044c\u0431\u0438\u043d, "
    "\u738b\u6587\u658c_{n}."
)
QUOTES_PER_STATEMENT = 2


@dataclass
class Figures:
    name: str
    citations: int
    seconds: float
    first_chunk_seconds: float
    megabytes_out: float
    peak_mib: float

    @property
    def per_second(self) -> float:
        return self.citations / self.seconds if self.seconds else float("inf")


def _processor() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown processor"


class Command(BaseCommand):
    help = (
        "Export N synthetic citations in every format and print citations per "
        "second and peak Python memory (tracemalloc); append the figures to "
        "docs/benchmarks.md. The synthetic data is rolled back."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--citations", type=int, default=100_000)
        parser.add_argument(
            "--per-source",
            type=int,
            default=50,
            help="Citations per source (default 50): sets the number of "
            "bibliography entries.",
        )
        parser.add_argument(
            "--formats",
            default=",".join(exports.EXPORTERS),
            help="Comma-separated formats (default: all).",
        )
        parser.add_argument(
            "--report",
            type=Path,
            default=Path(settings.BASE_DIR) / "docs" / "benchmarks.md",
            help="Markdown file the figures are appended to ('-': none).",
        )

    def handle(self, *args, **options) -> None:
        total, per_source = options["citations"], options["per_source"]
        if total < 1 or per_source < QUOTES_PER_STATEMENT:
            raise CommandError("--citations must be positive, --per-source >= 2.")
        formats = [name.strip() for name in options["formats"].split(",")]
        unknown = sorted(set(formats) - set(exports.EXPORTERS))
        if unknown:
            raise CommandError(f"--formats: unknown {', '.join(unknown)}.")
        self.stderr.write(
            "Synthetic data is written inside a transaction and rolled back."
        )
        with transaction.atomic():
            started = time.monotonic()
            claim = self.make_data(total, per_source)
            self.stderr.write(
                f"Created {total} citations in {time.monotonic() - started:.1f} s."
            )
            statements = Statement.objects.published().filter(claim=claim)
            results = [self.measure(name, statements, total) for name in formats]
            transaction.set_rollback(True)
        table = self.table(results)
        self.stdout.write(table)
        if str(options["report"]) != "-":
            self.append_report(options["report"], table, total, per_source)

    def make_data(self, total: int, per_source: int) -> Claim:
        actor = Actor.objects.create(
            name="Benchmark \u201cActor\u201d & Co", slug="benchmark-actor", kind="ngo"
        )
        outlet = Actor.objects.create(
            name="Benchmark Times", slug="benchmark-times", kind="media_outlet"
        )
        claim = Claim.objects.create(slug="benchmark-claim", text="A benchmark.")
        sources = []
        for index in range((total + per_source - 1) // per_source):
            sentences = [SENTENCE.format(n=n) for n in range(per_source)]
            sources.append(
                Source(
                    kind=Source.Kind.NEWS_ARTICLE,
                    title=f"Benchmark article {index} \u2014 \u201cquoted\u201d",
                    publisher=outlet,
                    byline=f"Reporter {index % 97}",
                    published_on=datetime.date(2020, 1, 1)
                    + datetime.timedelta(days=index % 1000),
                    url=f"https://example.org/benchmark/{index}?a=1&b=2",
                    text=" ".join(sentences),
                    text_sha256="",
                )
            )
        for source in sources:
            source.text_sha256 = Source.hash_text(source.text)
        sources = Source.objects.bulk_create(sources, batch_size=500)
        statements = Statement.objects.bulk_create(
            (
                Statement(
                    actor=actor,
                    stance="asserts",
                    claim=claim,
                    made_on=datetime.date(2021, 1, 1)
                    + datetime.timedelta(days=n % 365),
                    summary=f"Benchmark statement {n}",
                    status=Statement.Status.PUBLISHED,
                )
                for n in range((total + 1) // QUOTES_PER_STATEMENT)
            ),
            batch_size=2000,
        )
        batch: list[Citation] = []
        for n in range(total):
            source = sources[n // per_source]
            sentence = SENTENCE.format(n=n % per_source)
            start = source.text.index(sentence)
            end = start + len(sentence)
            prefix, suffix = context_around(source.text, start, end)
            batch.append(
                Citation(
                    statement=statements[n // QUOTES_PER_STATEMENT],
                    source=source,
                    quote=sentence,
                    start=start,
                    end=end,
                    prefix=prefix,
                    suffix=suffix,
                )
            )
            if len(batch) == 5000:
                Citation.objects.bulk_create(batch)
                batch = []
        Citation.objects.bulk_create(batch)
        return claim

    def measure(self, name: str, statements, total: int) -> Figures:
        exporter = exports.exporter(name)
        # Speed without tracemalloc (it slows Python down), then memory with it.
        started = time.perf_counter()
        first = None
        characters = 0
        for chunk in exporter.stream(statements):
            if first is None:
                first = time.perf_counter() - started
            characters += len(chunk)
        seconds = time.perf_counter() - started
        tracemalloc.start()
        for _chunk in exporter.stream(statements):
            pass
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        figures = Figures(
            name, total, seconds, first or 0.0, characters / 1e6, peak / 2**20
        )
        self.stderr.write(
            f"  {name}: {figures.per_second:,.0f} citations/s, "
            f"peak {figures.peak_mib:.1f} MiB"
        )
        return figures

    @staticmethod
    def table(results: list[Figures]) -> str:
        lines = [
            "| format | citations | seconds | citations/s | first chunk (s) "
            "| output (M chars) | peak Python memory (MiB) |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        lines += [
            f"| {r.name} | {r.citations:,} | {r.seconds:.2f} | {r.per_second:,.0f} "
            f"| {r.first_chunk_seconds:.3f} | {r.megabytes_out:.1f} "
            f"| {r.peak_mib:.1f} |"
            for r in results
        ]
        return "\n".join(lines) + "\n"

    @staticmethod
    def append_report(path: Path, table: str, total: int, per_source: int) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        new = not path.exists()
        database = (
            f"SQLite {connection.Database.sqlite_version}"
            if connection.vendor == "sqlite"
            else f"PostgreSQL {connection.pg_version // 10000}."
            f"{connection.pg_version % 10000}"
        )
        machine = (
            f"{platform.system()} {platform.machine()} ({_processor()}), "
            f"{os.cpu_count()} CPUs, Python {platform.python_version()}, {database}"
        )
        with path.open("a", encoding="utf-8") as report:
            if new:
                report.write(
                    "# Export benchmarks\n\nWritten by `python manage.py "
                    "benchmark_exports`: each format exports the same synthetic "
                    "citations; speed is measured without tracemalloc, peak "
                    "Python memory with it.\n"
                )
            report.write(
                f"\n## {timezone.localdate().isoformat()}: {total:,} citations, "
                f"{per_source} per source\n\n{machine}\n\n{table}"
            )
