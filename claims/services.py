"""Writes that touch several records, shared by the admin, the API and commands."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from .models import Citation, Source, Statement


@transaction.atomic
def attach_citation(
    *,
    statement: Statement,
    source: Source,
    quote: str,
    prefix: str = "",
    suffix: str = "",
    start: int | None = None,
    quote_kind: str = Citation.QuoteKind.REPORTED,
    attribution: str = "",
    translation: str = "",
    translator: str = "",
) -> Citation:
    """Locate `quote` in `source` and save it as a verified citation of `statement`.

    Raises ValidationError (nothing written) when the quote is not in the source,
    is ambiguous, or the source has no text.
    """
    citation = Citation(
        statement=statement,
        source=source,
        quote=quote,
        prefix=prefix,
        suffix=suffix,
        start=start,
        quote_kind=quote_kind,
        attribution=attribution,
        translation=translation,
        translator=translator,
    )
    return _locate_and_save(citation)


@transaction.atomic
def update_citation(*, citation: Citation, **changes: object) -> Citation:
    """Apply `changes` and re-locate the quote; nothing is saved if it fails.

    A changed quote, source or hint re-locates the passage from scratch, so the old
    offsets never pin a new quote.
    """
    for name, value in changes.items():
        setattr(citation, name, value)
    relocate = {"quote", "source", "start", "prefix", "suffix"} & set(changes)
    if relocate:
        # Stored hints describe the old passage: only hints sent now count.
        citation.start = changes.get("start")
        citation.prefix = changes.get("prefix", "")
        citation.suffix = changes.get("suffix", "")
        citation.end = None
    return _locate_and_save(citation)


def _locate_and_save(citation: Citation) -> Citation:
    # clean() fills start/end, so field validation runs after it.
    citation.clean()
    citation.full_clean()
    citation.save()
    return citation


@transaction.atomic
def save_statement(*, statement: Statement) -> Statement:
    """Validate a new or changed statement as the admin does, then save it."""
    statement.full_clean()
    statement.save()
    return statement


@dataclass
class VerificationReport:
    checked: int = 0
    failures: list[Citation] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures


def verify_citations(citations: Iterable[Citation] | None = None) -> VerificationReport:
    """Re-check citations against their source texts and record each status.

    Nothing is re-anchored: a citation that no longer matches is marked drifted,
    ambiguous or orphaned for an editor to look at.
    """
    if citations is None:
        citations = (
            Citation.objects.select_related("source")
            .order_by("pk")
            .iterator(chunk_size=2000)
        )
    report = VerificationReport()
    now = timezone.now()
    ids_by_status: dict[str, list[int]] = defaultdict(list)
    for citation in citations:
        status = citation.check_against_source()
        report.checked += 1
        if status != Citation.Verification.VERIFIED:
            report.failures.append(citation)
        citation.verification, citation.verified_at = status, now
        ids_by_status[status].append(citation.pk)
    for status, ids in ids_by_status.items():
        for batch_start in range(0, len(ids), 1000):
            batch = ids[batch_start : batch_start + 1000]
            Citation.objects.filter(pk__in=batch).update(
                verification=status, verified_at=now
            )
    return report
