"""Writes that touch several records, shared by the admin, the API and commands."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from pathlib import Path

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, models, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from . import importing, suggestions
from .history import batches
from .models import (
    Actor,
    Citation,
    Claim,
    Source,
    StaleVersionError,
    Statement,
    StatementSuggestion,
    Topic,
    VersionedModel,
)
from .stances import Stance


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


PUBLISH_PERMISSION = "claims.publish_statement"

AnyUser = AbstractBaseUser | AnonymousUser


def check_status_change(*, statement: Statement, user: AnyUser | None) -> None:
    """Refuse publishing or unpublishing by a user without the publish permission.

    The one place the rule lives: save_statement(), the publish services and the
    admin's save (including a revert from the history) all call it. `user=None`
    is a trusted caller (a command, a fixture load, a service creating drafts) and
    is allowed; an interface always passes its request's user.
    """
    if user is None or user.has_perm(PUBLISH_PERMISSION):
        return
    published = Statement.Status.PUBLISHED
    if statement.pk is None or statement._state.adding:
        changed = statement.status == published
    else:
        stored = (
            Statement.objects.filter(pk=statement.pk)
            .values_list("status", flat=True)
            .first()
        )
        # A deleted statement restored from its history counts as new.
        changed = (stored or Statement.Status.DRAFT) != statement.status and (
            published in {stored, statement.status}
        )
    if changed:
        raise PermissionDenied(
            "Publishing and unpublishing statements is for reviewers "
            "(permission claims.publish_statement)."
        )


@transaction.atomic
def save_statement(*, statement: Statement, user: AnyUser | None = None) -> Statement:
    """Validate a new or changed statement as the admin does, then save it; a
    change of its status needs the publish permission."""
    check_status_change(statement=statement, user=user)
    statement.full_clean()
    statement.save()
    return statement


def _set_status(*, statement: Statement, user: AnyUser, status: str) -> Statement:
    if not user.has_perm(PUBLISH_PERMISSION):
        raise PermissionDenied(
            "Publishing and unpublishing statements is for reviewers "
            "(permission claims.publish_statement)."
        )
    statement.status = status
    return save_statement(statement=statement, user=user)


def publish_statement(*, statement: Statement, user: AnyUser) -> Statement:
    """Make a statement public; raises PermissionDenied without the permission."""
    return _set_status(
        statement=statement, user=user, status=Statement.Status.PUBLISHED
    )


def unpublish_statement(*, statement: Statement, user: AnyUser) -> Statement:
    """Take a statement back to draft; raises PermissionDenied without the
    permission."""
    return _set_status(statement=statement, user=user, status=Statement.Status.DRAFT)


def deleted_records(model: type[models.Model]) -> models.QuerySet:
    """The last history record of each deleted `model` record, newest first: a
    record whose latest history entry is its deletion and that is not back."""
    history = model.history
    pk = model._meta.pk.attname
    latest = (
        history.filter(**{pk: OuterRef(pk)})
        .order_by("-history_date", "-history_id")
        .values("history_id")[:1]
    )
    return (
        history.filter(history_type="-", history_id=Subquery(latest))
        .exclude(**{f"{pk}__in": model._default_manager.values("pk")})
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
    )


def _deleted_record(model: type[models.Model], record_id: int):
    noun = model._meta.verbose_name
    if model._default_manager.filter(pk=record_id).exists():
        raise ValidationError(
            f"This {noun} exists: revert it from its history page instead."
        )
    record = deleted_records(model).filter(**{model._meta.pk.attname: record_id})
    record = record.first()
    if record is None:
        raise ValidationError(f"No deleted {noun} has the id {record_id}.")
    return record


def _save_restored(record) -> models.Model:
    """Save a deleted record again as it was when deleted, validated as any edit is:
    a citation is verified against its source's current text (Citation.clean()). A
    claim gets back those of its topics that still exist."""
    instance = record.instance
    instance.full_clean()
    instance.save()
    if isinstance(instance, Claim):
        instance.topics.set(Topic.objects.filter(pk__in=record.topic_ids))
    return instance


@transaction.atomic
def restore_record(*, model: type[models.Model], record_id: int) -> models.Model:
    """Bring a deleted record back from its history, as it was when deleted; a
    statement goes through restore_statement(), which checks who may publish.

    Raises ValidationError (nothing written) when the record exists, was never
    deleted, or no longer validates (a citation whose quote left its source)."""
    if model is Statement:
        raise ValueError("Restore statements with restore_statement().")
    return _save_restored(_deleted_record(model, record_id))


@transaction.atomic
def restore_statement(
    *,
    statement_id: int,
    user: AnyUser | None = None,
    citation_ids: Iterable[int] = (),
) -> Statement:
    """Bring a deleted statement back from its history, as it was when deleted,
    with the deleted citations named in `citation_ids`, each verified against its
    source's current text; all or nothing.

    The citations are chosen, not implied: they were deleted with the statement
    (CASCADE), and the history cannot tell those from the ones an editor removed
    before. Publishing rules apply (a published statement needs a reviewer), and
    restoring citations needs the add_citation permission.
    """
    citation_ids = list(citation_ids)
    if citation_ids and user is not None and not user.has_perm("claims.add_citation"):
        raise PermissionDenied("Restoring citations needs the add_citation permission.")
    statement = _deleted_record(Statement, statement_id).instance
    check_status_change(statement=statement, user=user)
    # Saved as recorded, not cleaned (clean() would fill in a principal the editor
    # left out); what it points at may be gone since, which clean_fields() finds.
    statement.clean_fields()
    statement.save()
    deleted = {
        r.id: r for r in deleted_records(Citation).filter(statement_id=statement_id)
    }
    for pk in citation_ids:
        if pk not in deleted:
            raise ValidationError(
                f"Citation {pk} is not a deleted citation of this statement."
            )
        try:
            _save_restored(deleted[pk])
        except ValidationError as error:
            raise ValidationError(
                f"citation {pk}: {' '.join(error.messages)}"
            ) from error
    return statement


@transaction.atomic
def delete_record(*, record: VersionedModel, version: int) -> None:
    """Delete `record` only if it is still at `version`: the row is re-read under a
    lock in the delete's transaction, so a change saved since is never deleted
    unseen (StaleVersionError)."""
    model = type(record)
    current = (
        model._default_manager.select_for_update()
        .filter(pk=record.pk)
        .values_list("version", flat=True)
        .first()
    )
    if current != version:
        raise StaleVersionError(model, record.pk, version, current)
    record.delete()


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
    ambiguous or orphaned for an editor to look at. A changed status is an update
    with its history row and a new version; a check that finds what was already
    recorded only refreshes `verified_at`, which is not an edit: no history row,
    no new version (an editor's open form stays current), so re-running the check
    does not grow the history.
    """
    if citations is None:
        citations = (
            Citation.objects.select_related("source")
            .order_by("pk")
            .iterator(chunk_size=2000)
        )
    report = VerificationReport()
    now = timezone.now()
    changed: dict[str, list[int]] = defaultdict(list)
    confirmed: list[int] = []
    for citation in citations:
        status = citation.check_against_source()
        report.checked += 1
        if status != Citation.Verification.VERIFIED:
            report.failures.append(citation)
        if status == citation.verification:
            confirmed.append(citation.pk)
        else:
            changed[status].append(citation.pk)
        citation.verification, citation.verified_at = status, now
    for status, ids in changed.items():
        for batch in batches(ids):
            # HistoryQuerySet.update(): a history row and a new version each.
            Citation.objects.filter(pk__in=batch).update(
                verification=status, verified_at=now
            )
    for batch in batches(confirmed):
        # The plain manager on purpose (claims.history): only the time of the check
        # changes, and the status it confirms is already in the history.
        Citation._base_manager.filter(pk__in=batch).update(verified_at=now)
    return report


# Importing sources ------------------------------------------------------------------


class ImportOutcome(StrEnum):
    IMPORTED = "imported"
    DUPLICATE = "duplicate"
    NEW_VERSION = "new_version"
    FAILED = "failed"


@dataclass(frozen=True)
class ImportResult:
    """What happened to one document (a file, or one line of a JSON Lines file)."""

    name: str
    outcome: ImportOutcome
    source_id: int | None = None
    reason: str = ""
    suggestions: int = 0

    def as_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "outcome": str(self.outcome),
            "source": self.source_id,
            "reason": self.reason,
            "suggestions": self.suggestions,
        }


@dataclass
class ImportSummary:
    results: list[ImportResult] = field(default_factory=list)

    def count(self, outcome: ImportOutcome) -> int:
        return sum(1 for result in self.results if result.outcome == outcome)

    @property
    def failures(self) -> list[ImportResult]:
        return [r for r in self.results if r.outcome == ImportOutcome.FAILED]

    def as_dict(self) -> dict[str, object]:
        return {
            "imported": self.count(ImportOutcome.IMPORTED),
            "duplicates": self.count(ImportOutcome.DUPLICATE),
            "new_versions": self.count(ImportOutcome.NEW_VERSION),
            "failed": self.count(ImportOutcome.FAILED),
            "suggestions": sum(r.suggestions for r in self.results),
            "results": [result.as_dict() for result in self.results],
        }


def build_suggester() -> suggestions.Suggester:
    """The suggester with every known actor (names, aliases, roles) and claim."""
    actors = [
        suggestions.KnownActor(
            id=actor.pk,
            name=actor.name,
            kind=actor.kind,
            parent_id=actor.parent_id,
            aliases=tuple(alias.name for alias in actor.aliases.all()),
            roles=tuple(
                suggestions.KnownRole(
                    role=role.role,
                    organisation_id=role.organisation_id,
                    start_date=role.start_date,
                    end_date=role.end_date,
                )
                for role in actor.affiliations.all()
            ),
        )
        for actor in Actor.objects.for_matching().order_by("pk")
    ]
    claims = [
        suggestions.KnownClaim(id=pk, text=text)
        for pk, text in Claim.objects.order_by("pk").values_list("pk", "text")
    ]
    return suggestions.Suggester(actors, claims)


@transaction.atomic
def import_source(
    *,
    document: importing.ImportedDocument,
    suggest: bool = True,
    suggester: suggestions.Suggester | None = None,
) -> ImportResult:
    """Store one document's verbatim text and metadata, unless the same text is
    already stored; a changed text at a known URL becomes a new version, leaving
    the earlier one and its citations untouched. Raises ValidationError (nothing
    written) for metadata the model refuses."""
    text_sha256 = Source.hash_text(document.text)
    existing = (
        Source.objects.filter(text_sha256=text_sha256).order_by("pk").first()
        if text_sha256
        else None
    )
    if existing is not None:
        return ImportResult(
            document.name,
            ImportOutcome.DUPLICATE,
            existing.pk,
            f"the same text is already stored as source {existing.pk}",
        )
    previous = (
        Source.objects.filter(url=document.url)
        .latest_versions()
        .order_by("-pk")
        .first()
        if document.url
        else None
    )
    publisher = (
        Actor.objects.named(document.publisher)
        .filter(kind=Actor.Kind.MEDIA_OUTLET)
        .order_by("pk")
        .first()
        if document.publisher
        else None
    )
    notes = [f"Imported from {document.name}."]
    if document.publisher and publisher is None:
        notes.append(
            f"Publisher as printed, not a known media actor: {document.publisher}."
        )
    if document.wire:
        notes.append(f"Wire agency in the dateline: {document.wire}.")
    if previous is not None:
        notes.append(f"A changed text of source {previous.pk} (same URL).")
    source = Source(
        kind=document.kind,
        title=document.title[:500],
        publisher=publisher,
        byline=document.byline[:300],
        dateline=document.dateline[:300],
        published_on=document.published_on,
        published_time=document.published_time,
        url=document.url,
        language=document.language,
        text=document.text,
        notes=" ".join(notes),
        previous_version=previous,
    )
    source.full_clean()
    source.save()
    count = 0
    if suggest:
        count = len(suggest_statements(source=source, suggester=suggester))
    return ImportResult(
        document.name,
        ImportOutcome.NEW_VERSION if previous else ImportOutcome.IMPORTED,
        source.pk,
        f"a new version of source {previous.pk}" if previous else "",
        count,
    )


def import_file(
    *,
    name: str,
    data: bytes,
    suggest: bool = True,
    suggester: suggestions.Suggester | None = None,
    max_bytes: int | None = None,
    size: int | None = None,
) -> list[ImportResult]:
    """Import every document of one file in one transaction: a file the importer
    refuses (empty, binary, not UTF-8, too large) or an unexpected error writes
    nothing; a document the model refuses, or a malformed JSON line, is reported
    and skipped."""
    max_bytes = max_bytes or settings.FACTDB_IMPORT_MAX_BYTES
    try:
        parsed = importing.parse_file(name, data, max_bytes=max_bytes, size=size)
    except importing.FileRejected as error:
        return [ImportResult(name, ImportOutcome.FAILED, reason=str(error))]
    if suggest and suggester is None:
        suggester = build_suggester()
    results = [
        ImportResult(r.name, ImportOutcome.FAILED, reason=r.reason)
        for r in parsed.rejected
    ]
    try:
        with transaction.atomic():
            for document in parsed.documents:
                try:
                    results.append(
                        import_source(
                            document=document, suggest=suggest, suggester=suggester
                        )
                    )
                except ValidationError as error:
                    results.append(
                        ImportResult(
                            document.name,
                            ImportOutcome.FAILED,
                            reason=_validation_message(error),
                        )
                    )
    except DatabaseError as error:
        # Rolled back as a whole: nothing of this file is written.
        return [
            ImportResult(name, ImportOutcome.FAILED, reason=f"database error: {error}")
        ]
    return sorted(results, key=lambda r: _line_number(r.name))


def import_files(
    *,
    paths: Iterable[Path],
    suggest: bool = True,
    on_progress: Callable[[int, int, Path], None] | None = None,
) -> ImportSummary:
    """Import files one by one, each in its own transaction."""
    paths = list(paths)
    max_bytes = settings.FACTDB_IMPORT_MAX_BYTES
    suggester = build_suggester() if suggest else None
    summary = ImportSummary()
    for index, path in enumerate(paths, start=1):
        try:
            data = importing.read_file(path, max_bytes=max_bytes)
        except importing.FileRejected as error:
            summary.results.append(
                ImportResult(str(path), ImportOutcome.FAILED, reason=str(error))
            )
        else:
            summary.results.extend(
                import_file(
                    name=str(path),
                    data=data,
                    suggest=suggest,
                    suggester=suggester,
                    max_bytes=max_bytes,
                )
            )
        if on_progress is not None:
            on_progress(index, len(paths), path)
    return summary


def import_uploaded(
    *, files: Iterable[tuple[str, bytes, int]], suggest: bool = True
) -> ImportSummary:
    """Import files already read (uploads: name, bytes read, full size), each in
    its own transaction."""
    suggester = build_suggester() if suggest else None
    summary = ImportSummary()
    for name, data, size in files:
        summary.results.extend(
            import_file(
                name=name, data=data, suggest=suggest, suggester=suggester, size=size
            )
        )
    return summary


def _validation_message(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return "; ".join(
            f"{name}: {' '.join(messages)}"
            for name, messages in error.message_dict.items()
        )
    return " ".join(error.messages)


def _line_number(name: str) -> int:
    _, _, line = name.rpartition(":")
    return int(line) if line.isdigit() else 0


# Suggestions ------------------------------------------------------------------------


@transaction.atomic
def suggest_statements(
    *, source: Source, suggester: suggestions.Suggester | None = None
) -> list[StatementSuggestion]:
    """Replace a source's pending suggestions with the suggester's current ones;
    accepted and discarded ones stay as the editors left them."""
    suggester = suggester or build_suggester()
    reviewed = set(
        source.suggestions.exclude(
            status=StatementSuggestion.Status.PENDING
        ).values_list("start", "end")
    )
    source.suggestions.filter(status=StatementSuggestion.Status.PENDING).delete()
    rows = []
    for found in suggester.suggest(source.text, published_on=source.published_on):
        if (found.start, found.end) in reviewed:
            continue
        row = StatementSuggestion(
            source=source,
            attribution=found.attribution or "(unattributed)",
            speaker=found.speaker,
            cue=found.cue,
            actor_id=found.actor_id,
            on_behalf_of_id=found.on_behalf_of_id,
            stance=found.stance,
            claim_id=found.claim_id,
            quote=found.quote,
            start=found.start,
            end=found.end,
            quote_kind=found.quote_kind,
            confidence=found.confidence,
        )
        # The related rows were just read from this database, and the database
        # holds the check constraints on insert: validating either here costs a
        # query per foreign key or constraint of every suggestion. clean() still
        # verifies the quote against the text.
        row.full_clean(
            exclude=["source", "actor", "on_behalf_of", "claim"],
            validate_constraints=False,
        )
        rows.append(row)
    return StatementSuggestion.objects.bulk_create(rows)


@transaction.atomic
def accept_suggestion(
    *,
    suggestion: StatementSuggestion,
    actor: Actor | None = None,
    stance: str | None = None,
    claim: Claim | None = None,
    made_on: date | None = None,
    summary: str = "",
) -> Statement:
    """Turn a pending suggestion into a draft statement with a verified citation of
    its quote; arguments override what the suggester proposed."""
    if suggestion.status != StatementSuggestion.Status.PENDING:
        raise ValidationError(
            f"This suggestion was already {suggestion.get_status_display()}."
        )
    actor = actor or suggestion.actor
    if actor is None:
        raise ValidationError(
            {
                "actor": "No known actor matched "
                f"\u201c{suggestion.attribution}\u201d: choose the speaker on the "
                "suggestion, then accept it."
            }
        )
    claim = claim or suggestion.claim
    if claim is None:
        raise ValidationError(
            {
                "claim": "A statement needs a target: choose the claim this "
                "suggestion is about, then accept it."
            }
        )
    made_on = made_on or suggestion.source.published_on
    if made_on is None:
        raise ValidationError(
            {
                "made_on": "The source has no publication date: give the "
                "statement's date."
            }
        )
    stance = stance or suggestion.stance
    statement = save_statement(
        statement=Statement(
            actor=actor,
            on_behalf_of=suggestion.on_behalf_of if actor == suggestion.actor else None,
            stance=stance,
            claim=claim,
            made_on=made_on,
            # An article reports what was said by the day it was published; an
            # editor narrows the date down when the text gives it.
            date_precision=Statement.DatePrecision.ON_OR_BEFORE,
            summary=summary
            or _summary(actor.name, Stance(stance).label, suggestion.quote),
            status=Statement.Status.DRAFT,
        )
    )
    attach_citation(
        statement=statement,
        source=suggestion.source,
        quote=suggestion.quote,
        start=suggestion.start,
        quote_kind=suggestion.quote_kind,
        attribution=suggestion.attribution[:300],
    )
    suggestion.status = StatementSuggestion.Status.ACCEPTED
    suggestion.statement = statement
    suggestion.actor, suggestion.stance, suggestion.claim = actor, stance, claim
    suggestion.full_clean()
    suggestion.save()
    return statement


@transaction.atomic
def discard_suggestion(*, suggestion: StatementSuggestion) -> StatementSuggestion:
    if suggestion.status == StatementSuggestion.Status.ACCEPTED:
        raise ValidationError(
            "This suggestion was accepted: delete or edit its statement instead."
        )
    suggestion.status = StatementSuggestion.Status.DISCARDED
    suggestion.full_clean()
    suggestion.save()
    return suggestion


def _summary(name: str, stance_label: str, quote: str) -> str:
    summary = f"{name} {stance_label}: \u201c{quote}\u201d"
    return summary if len(summary) <= 300 else summary[:298] + "\u2026\u201d"
