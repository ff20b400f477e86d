"""Export citations for scripts: the API's formats and statement filters, on stdout.

python manage.py export_citations --format bibtex --claim <slug> > out.bib
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from types import SimpleNamespace

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from claims import exports
from claims.api.filters import StatementFilter
from claims.exports.rows import CitationRow
from claims.models import Statement

PROGRESS_EVERY = 10_000


class _Editor:
    """Who reads, for --include-drafts: whoever runs manage.py holds the database
    anyway, so they may export drafts as an editor would."""

    is_authenticated = True

    def has_perm(self, perm: str, obj: object = None) -> bool:
        return perm == "claims.change_statement"


def _option(name: str) -> str:
    return "--" + name.replace("_", "-")


class Command(BaseCommand):
    help = (
        "Export the citations backing the statements the filters select (all "
        "published ones by default) to stdout or --output; progress and a summary "
        "go to stderr. The filters are the statements API's: --claim, --actor, "
        "--actor-exact, --stance denies,rejects, --date-from YYYY-MM-DD, ..."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--format",
            required=True,
            help="One of: " + ", ".join(exports.EXPORTERS) + ".",
        )
        parser.add_argument(
            "--style",
            default=exports.DEFAULT_STYLE,
            help="Style of formatted bibliographies: "
            + ", ".join(exports.STYLES)
            + f" (default {exports.DEFAULT_STYLE}).",
        )
        parser.add_argument("--output", type=Path, help="Write here, not stdout.")
        parser.add_argument(
            "--include-drafts",
            action="store_true",
            help="Draft statements too (by default, published ones only).",
        )
        filters = parser.add_argument_group("statement filters")
        for name, statement_filter in StatementFilter.base_filters.items():
            filters.add_argument(
                _option(name),
                dest=f"filter_{name}",
                metavar=name.upper(),
                help=statement_filter.label,
            )

    def handle(self, *args, **options) -> None:
        try:
            exporter = exports.exporter(options["format"], style=options["style"])
        except ValidationError as error:
            (name, messages), *_ = error.message_dict.items()
            raise CommandError(f"{_option(name)}: {' '.join(messages)}") from error
        reader = _Editor() if options["include_drafts"] else AnonymousUser()
        statements = Statement.objects.visible_to(reader)
        data = {
            name: options[f"filter_{name}"]
            for name in StatementFilter.base_filters
            if options[f"filter_{name}"] is not None
        }
        filterset = StatementFilter(
            data, queryset=statements, request=SimpleNamespace(user=reader)
        )
        if not filterset.is_valid():
            problems = "; ".join(
                f"{_option(name)}: {' '.join(messages)}"
                for name, messages in filterset.errors.items()
            )
            raise CommandError(problems)

        self.started = time.monotonic()
        self.citations = 0
        self.sources: set[int] = set()
        citations = exporter.citations(filterset.qs)
        chunks = exports.buffered(exporter.chunks(self.counted(citations)))
        if options["output"]:
            with options["output"].open("w", encoding="utf-8", newline="") as out:
                out.writelines(chunks)
        else:
            for chunk in chunks:
                self.stdout.write(chunk, ending="")
        elapsed = time.monotonic() - self.started
        self.stderr.write(
            f"Exported {self.citations} citation(s) of {len(self.sources)} "
            f"source(s) as {exporter.name}"
            + (f" to {options['output']}" if options["output"] else "")
            + f" in {elapsed:.2f} s."
        )

    def counted(self, citations: Iterable[CitationRow]) -> Iterator[CitationRow]:
        for citation in citations:
            self.citations += 1
            self.sources.add(citation.source_id)
            if self.citations % PROGRESS_EVERY == 0:
                self.stderr.write(
                    f"  {self.citations} citations read "
                    f"({time.monotonic() - self.started:.1f} s)"
                )
            yield citation
