"""A claim's dossier: its timeline as a document (Markdown or HTML), each statement
with its quotes and a numbered note pointing into the bibliography at the end.

A timeline is a few dozen statements, so a dossier is built in memory, with the
queries fixed whatever its length: the statements, then their citations.
"""

from __future__ import annotations

import datetime
import html
from collections.abc import Iterator

from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from claims.models import Citation, Claim, DatePrecision, Source, Statement

from .bibliography import blockquote, format_reference, markdown_escape


def _long_date(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


def statement_date(statement: Statement) -> str:
    """The date as precisely as it is known: "February 2021", "on or before ..."."""
    day = statement.made_on
    return {
        DatePrecision.MONTH: f"{day:%B %Y}",
        DatePrecision.YEAR: str(day.year),
        DatePrecision.APPROXIMATE: f"about {_long_date(day)}",
        DatePrecision.ON_OR_BEFORE: f"on or before {_long_date(day)}",
    }.get(statement.date_precision, _long_date(day))


def timeline(claim: Claim, statements: QuerySet[Statement]) -> QuerySet[Statement]:
    """The statements on the claim and the answers to them, oldest first, with
    their citations and sources; `statements` is what the reader may see."""
    citations = Citation.objects.select_related(
        "source__publisher", "source__author"
    ).order_by("source_id", "start", "pk")
    return (
        statements.in_timeline_of(claim)
        # A published answer to a draft must not reveal the draft to a reader.
        .annotate(answers_visible=Exists(statements.filter(pk=OuterRef("responds_to"))))
        .select_related("actor", "on_behalf_of", "responds_to__actor")
        .prefetch_related(Prefetch("citations", queryset=citations))
        .chronological()
    )


class _Dossier:
    name: str
    media_type: str
    extension: str

    def __init__(self, *, style: str = "apa") -> None:
        self.style = style

    def filename(self, claim: Claim, day: datetime.date) -> str:
        return f"factdb-dossier-{claim.slug}-{day.isoformat()}.{self.extension}"

    def stream(self, claim: Claim, statements: QuerySet[Statement]) -> Iterator[str]:
        notes: dict[int, int] = {}
        sources: list[Source] = []
        entries = []
        for statement in timeline(claim, statements):
            quotes = []
            for citation in statement.citations.all():
                if citation.source_id not in notes:
                    notes[citation.source_id] = len(notes) + 1
                    sources.append(citation.source)
                quotes.append((citation, notes[citation.source_id]))
            entries.append((statement, quotes))
        yield self.head(claim, len(entries))
        for statement, quotes in entries:
            yield self.statement(statement, quotes)
        yield self.bibliography(sources)

    @staticmethod
    def heading(statement: Statement) -> tuple[str, str, str]:
        speaker = statement.actor.name
        if statement.on_behalf_of_id:
            speaker += f" (for {statement.on_behalf_of.name})"
        return statement_date(statement), speaker, statement.get_stance_display()

    @staticmethod
    def answered(statement: Statement) -> str:
        """What the statement answers, when the reader may see it."""
        if not statement.responds_to_id or not statement.answers_visible:
            return ""
        answered = statement.responds_to
        return (
            f"In answer to statement {answered.pk} ({answered.actor.name}, "
            f"{answered.get_stance_display()}, {answered.made_on.isoformat()})."
        )

    def head(self, claim: Claim, count: int) -> str:
        raise NotImplementedError

    def statement(self, statement: Statement, quotes: list) -> str:
        raise NotImplementedError

    def bibliography(self, sources: list[Source]) -> str:
        raise NotImplementedError


class MarkdownDossier(_Dossier):
    name = "markdown"
    media_type = "text/markdown; charset=utf-8"
    extension = "md"

    def head(self, claim: Claim, count: int) -> str:
        lines = [
            f"# {markdown_escape(claim.text)}",
            "",
            f"Claim `{claim.slug}` in FactDB: {count} statement(s), oldest first.",
            "",
        ]
        if claim.description:
            lines += [markdown_escape(claim.description), ""]
        return "\n".join([*lines, "## Timeline", "", ""])

    def statement(self, statement: Statement, quotes: list) -> str:
        date, speaker, stance = (markdown_escape(p) for p in self.heading(statement))
        lines = [
            f"### {date}: {speaker}, {stance}",
            "",
            f"{markdown_escape(statement.summary)} (statement {statement.pk})",
            "",
        ]
        if self.answered(statement):
            lines += [f"*{markdown_escape(self.answered(statement))}*", ""]
        for citation, note in quotes:
            lines += [
                blockquote(f"\u201c{markdown_escape(citation.quote)}\u201d[^{note}]"),
                "",
            ]
        return "\n".join(lines) + "\n"

    def bibliography(self, sources: list[Source]) -> str:
        lines = ["## Sources", ""]
        for number, source in enumerate(sources, start=1):
            reference = format_reference(source, style=self.style, output="markdown")
            lines.append(f"[^{number}]: {reference}")
        return "\n".join(lines) + "\n"


class HtmlDossier(_Dossier):
    name = "html"
    media_type = "text/html; charset=utf-8"
    extension = "html"

    def head(self, claim: Claim, count: int) -> str:
        text = html.escape(claim.text)
        description = (
            f"<p>{html.escape(claim.description)}</p>\n" if claim.description else ""
        )
        return (
            '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{text}</title>\n</head>\n<body>\n<h1>{text}</h1>\n"
            f"<p>Claim <code>{html.escape(claim.slug)}</code> in FactDB: {count} "
            "statement(s), oldest first.</p>\n"
            f'{description}<h2>Timeline</h2>\n<ol class="timeline">\n'
        )

    def statement(self, statement: Statement, quotes: list) -> str:
        date, speaker, stance = (html.escape(p) for p in self.heading(statement))
        parts = [
            f'<li id="statement-{statement.pk}">',
            f"<h3>{date}: {speaker}, {stance}</h3>",
            f"<p>{html.escape(statement.summary)} (statement {statement.pk})</p>",
        ]
        if self.answered(statement):
            parts.append(f"<p><em>{html.escape(self.answered(statement))}</em></p>")
        for citation, note in quotes:
            parts.append(
                f"<blockquote>\u201c{html.escape(citation.quote)}\u201d"
                f'<sup><a href="#source-{note}">{note}</a></sup></blockquote>'
            )
        return "\n".join([*parts, "</li>", ""])

    def bibliography(self, sources: list[Source]) -> str:
        items = "".join(
            f'<li id="source-{number}">'
            f"{format_reference(source, style=self.style, output='html')}</li>\n"
            for number, source in enumerate(sources, start=1)
        )
        return (
            f'</ol>\n<h2>Sources</h2>\n<ol class="sources">\n{items}</ol>\n'
            "</body>\n</html>\n"
        )
