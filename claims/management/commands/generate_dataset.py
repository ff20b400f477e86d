"""Fill an empty database with a synthetic dataset for benchmarks.

python manage.py generate_dataset --scale 1        # 1,000,000 statements
python manage.py generate_dataset --scale 0.001 --seed 7
"""

from __future__ import annotations

import argparse
import math
import time

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from claims import datasets


def scale_value(raw: str) -> float:
    """argparse type of --scale: a positive number up to MAX_SCALE."""
    try:
        scale = float(raw)
    except ValueError:
        scale = math.nan
    if not 0 < scale <= datasets.MAX_SCALE:  # also refuses nan and inf
        raise argparse.ArgumentTypeError(
            f"must be a number above 0 and at most {datasets.MAX_SCALE} "
            f"(1 = 1,000,000 statements, 0.001 = 1,000); got {raw!r}"
        )
    return scale


class ProgressBar:
    """One line per table on stderr, redrawn at most every half second."""

    WIDTH = 30

    def __init__(self, stream) -> None:
        self.stream = stream
        self.table: str | None = None
        self.started = 0.0
        self.drawn = 0.0

    def __call__(self, table: str, done: int, total: int | None) -> None:
        now = time.monotonic()
        if table != self.table:
            self.table, self.started, self.drawn = table, now, 0.0
        finished = total is not None and done >= total
        if not finished and now - self.drawn < 0.5:
            return
        if self.drawn < 0:  # this table's last line is already out
            return
        self.drawn = -1.0 if finished else now
        elapsed = max(now - self.started, 1e-9)
        if total:
            filled = self.WIDTH * done // total
            bar = f"[{'#' * filled}{'.' * (self.WIDTH - filled)}]"
            counted = f"{done:>10,}/{total:,}"
        else:
            bar, counted = " " * (self.WIDTH + 2), f"{done:>10,}"
        self.stream.write(
            f"\r{table:<14} {bar} {counted} {done / elapsed:>9,.0f} rows/s "
            f"{elapsed:6.1f} s",
            ending="\n" if finished else "",
        )
        self.stream.flush()


class Command(BaseCommand):
    help = (
        "Generate a synthetic dataset: at --scale 1, 10,000 actors, 200,000 sources "
        "with texts, 50,000 claims, 1,000,000 statements and 2,000,000 citations, "
        "every quote exactly in its source. Refuses a database that already holds "
        "records unless --append or --force. Generated rows have no history."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--scale",
            type=scale_value,
            default=1.0,
            help="1 for the full size; fractions for quick runs (0.001).",
        )
        parser.add_argument(
            "--seed", type=int, default=1, help="The same seed gives the same data."
        )
        existing = parser.add_mutually_exclusive_group()
        existing.add_argument(
            "--append",
            action="store_true",
            help="Add to the records already in the database.",
        )
        existing.add_argument(
            "--force",
            action="store_true",
            help="DELETE every FactDB record (and its history) first.",
        )

    def handle(self, *args, **options) -> None:
        scale = options["scale"]
        size = datasets.DatasetSize.for_scale(scale)
        name = connection.settings_dict["NAME"]
        if datasets.database_has_data():
            if options["force"]:
                self.stderr.write(f"--force: deleting every FactDB record in {name}.")
                datasets.clear_database()
            elif not options["append"]:
                raise CommandError(
                    f"The database {name} already holds FactDB records. Use an empty "
                    "database, or --append to add to them, or --force to delete them "
                    "all first."
                )
        self.stderr.write(
            f"Generating scale {scale:g} (seed {options['seed']}) into {name} "
            f"({connection.vendor}): {size.actors:,} actors, {size.sources:,} "
            f"sources, {size.claims:,} claims, {size.statements:,} statements, "
            f"{size.citations:,} citations."
        )
        generator = datasets.DatasetGenerator(
            size,
            seed=options["seed"],
            append=options["append"],
            on_progress=ProgressBar(self.stderr),
        )
        report = generator.run()
        width = max(len(t.table) for t in report.tables)
        self.stdout.write(f"{'table':<{width}}  {'rows':>10}  seconds")
        for table in report.tables:
            self.stdout.write(
                f"{table.table:<{width}}  {table.rows:>10,}  {table.seconds:7.1f}"
            )
        total = sum(t.rows for t in report.tables)
        self.stdout.write(
            f"{'total':<{width}}  {total:>10,}  {report.seconds:7.1f}  "
            f"(including sequences and ANALYZE)"
        )
