"""Import source texts from files and folders: plain text, HTML or JSON Lines."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from claims import importing
from claims.services import ImportOutcome, ImportSummary, import_files

BAR_WIDTH = 30


class Command(BaseCommand):
    help = (
        "Import sources from files or folders (plain text, HTML, JSON Lines), each "
        "file in its own transaction, and propose the statements in each; print a "
        "summary. A bad file is reported and skipped."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", help="Files or folders to import.")
        parser.add_argument(
            "--no-suggestions",
            action="store_true",
            help="Do not propose statements for the imported sources.",
        )
        parser.add_argument(
            "--no-progress", action="store_true", help="Do not draw a progress bar."
        )

    def handle(self, *args, **options) -> None:
        paths = importing.collect_files(options["paths"])
        if not paths:
            raise CommandError("No files to import.")
        progress = None if options["no_progress"] else self._progress
        summary = import_files(
            paths=paths, suggest=not options["no_suggestions"], on_progress=progress
        )
        if progress is not None:
            self.stderr.write("")
        self._report(summary)

    def _progress(self, done: int, total: int, path: Path) -> None:
        filled = BAR_WIDTH * done // total
        bar = "#" * filled + "-" * (BAR_WIDTH - filled)
        # One line redrawn in place, on stderr so stdout keeps only the summary.
        self.stderr.write(f"\r[{bar}] {done}/{total} {path.name[:40]:<40}", ending="")
        self.stderr.flush()

    def _report(self, summary: ImportSummary) -> None:
        counts = summary.as_dict()
        for result in summary.results:
            if result.outcome == ImportOutcome.DUPLICATE:
                self.stdout.write(f"duplicate: {result.name}: {result.reason}")
            elif result.outcome == ImportOutcome.NEW_VERSION:
                self.stdout.write(
                    f"new version: {result.name}: source {result.source_id}, "
                    f"{result.reason}"
                )
        for result in summary.failures:
            self.stdout.write(f"failed: {result.name}: {result.reason}")
        self.stdout.write(
            self.style.SUCCESS(
                f"{counts['imported']} imported, {counts['duplicates']} duplicate(s), "
                f"{counts['new_versions']} new version(s), {counts['failed']} "
                f"failed; {counts['suggestions']} statement suggestion(s)."
            )
        )
