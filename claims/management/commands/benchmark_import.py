"""Import generated articles and print the throughput (articles per second)."""

from __future__ import annotations

import random
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from django.core.management.base import BaseCommand, CommandParser
from django.db import connection

from claims.models import Source
from claims.services import ImportOutcome, import_files

PLACES = ["BEIJING", "GENEVA", "WASHINGTON", "ANKARA", "UNITED NATIONS", "LONDON"]
SPEAKERS = [
    "Chinese Foreign Ministry Spokesman Wang Wenbin",
    "UN spokesperson Stephane Dujarric",
    "Secretary of State Antony Blinken",
    "The BBC",
    "Beijing",
    "China's mission in Geneva",
    "Uighur diaspora activists",
    "Regional official Li Ming",
]
VERBS = ["said", "rejected", "denied", "called for", "welcomed", "accused", "reported"]
OBJECTS = [
    "the report on detention camps in Xinjiang",
    "an independent investigation of the allegations",
    "claims of forced labour in the region",
    "a visit of the High Commissioner to Xinjiang",
    "the assessment as a farce based on false information",
]


class Command(BaseCommand):
    help = (
        "Generate articles in a temporary folder in the formats the seeds use, "
        "import them as import_sources does, print articles per second, then "
        "delete the imported sources (unless --keep)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--articles", type=int, default=10_000)
        parser.add_argument("--no-suggestions", action="store_true")
        parser.add_argument("--keep", action="store_true")
        parser.add_argument("--seed", type=int, default=2024)

    def handle(self, *args, **options) -> None:
        count = options["articles"]
        suggest = not options["no_suggestions"]
        with tempfile.TemporaryDirectory(prefix="factdb-bench-") as folder:
            paths = _generate(Path(folder), count, random.Random(options["seed"]))
            before = set(Source.objects.values_list("pk", flat=True))
            step = max(1, count // 20)

            def progress(done: int, total: int, path: Path) -> None:
                if done % step == 0 or done == total:
                    self.stderr.write(f"\r{done}/{total} imported", ending="")

            started = time.perf_counter()
            summary = import_files(paths=paths, suggest=suggest, on_progress=progress)
            elapsed = time.perf_counter() - started
            self.stderr.write("")
        imported = summary.count(ImportOutcome.IMPORTED)
        self.stdout.write(
            f"{connection.vendor}: {imported} of {count} articles imported "
            f"({'with' if suggest else 'without'} suggestions, "
            f"{summary.as_dict()['suggestions']} suggestions, "
            f"{len(summary.failures)} failed) in {elapsed:.1f} s: "
            f"{imported / elapsed:.0f} articles/second"
        )
        if not options["keep"]:
            Source.objects.exclude(pk__in=before).delete()


def _generate(folder: Path, count: int, rng: random.Random) -> list[Path]:
    paths = []
    start = date(2019, 1, 1)
    for number in range(count):
        day = start + timedelta(days=rng.randrange(1500))
        speaker = rng.choice(SPEAKERS)
        paragraphs = [
            f"{speaker} {rng.choice(VERBS)} {rng.choice(OBJECTS)} on "
            f"{day:%A}, according to officials (article {number})."
            for _ in range(rng.randrange(3, 8))
        ]
        quote = (
            f'"We {rng.choice(["reject", "welcome", "call for"])} '
            f'{rng.choice(OBJECTS)}," {rng.choice(["he", "she"])} said.'
        )
        paragraphs.insert(1, quote)
        body = "\n\n".join(paragraphs)
        if number % 3 == 0:
            text = (
                f" date {day.isoformat()} (@reporter{number % 50})\n\n"
                f"{rng.choice(PLACES)} (UrduPoint News / Sputnik - {day.day}th "
                f"{day:%B}, {day.year}) {body}"
            )
        elif number % 3 == 1:
            text = (
                f"Headline number {number} about Xinjiang\n\n"
                f"Published {day:%d.%m.%Y} {rng.randrange(24):02d}:"
                f"{rng.randrange(60):02d}\n\n{body}"
            )
        else:
            text = f"{rng.choice(PLACES)} - {body}"
        path = folder / f"{number:06d}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths
