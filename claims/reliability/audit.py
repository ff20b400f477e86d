"""Checks of a database after a run: every record's history is whole and ends in
the record as stored, and every citation verifies."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.apps import apps

from claims.models import VersionedModel
from claims.services import verify_citations

# Written by the citation checker without a new version of the citation.
CHECKER_FIELDS = {"verification", "verified_at"}


@dataclass
class Audit:
    records: int = 0
    history_rows: int = 0
    citations: int = 0
    problems: list[str] = field(default_factory=list)


def audit_database() -> Audit:
    """For every editorial record with history: its history rows carry versions
    k, k+1, ..., n once each (k is 1 for a record created after history began),
    and the newest holds the record's values, version n included;
    a record whose newest history row is a deletion no longer exists. Then
    every citation is re-verified against its source."""
    audit = Audit()
    for model in apps.get_app_config("claims").get_models():
        if issubclass(model, VersionedModel) and hasattr(model, "history"):
            _audit_model(model, audit)
    report = verify_citations()
    audit.citations = report.checked
    audit.problems += [
        f"citation {citation.pk} does not verify ({citation.verification})"
        for citation in report.failures
    ]
    return audit


def _audit_model(model: type[VersionedModel], audit: Audit) -> None:
    fields = [
        f.attname
        for f in model._meta.concrete_fields
        if f.attname not in CHECKER_FIELDS
    ]
    records = {row["pk"]: row for row in model._base_manager.values("pk", *fields)}
    audit.records += len(records)
    rows_by_record = defaultdict(list)
    history = model.history.order_by("history_date", "history_id").values(
        "history_type", *fields
    )
    for row in history:
        rows_by_record[row[model._meta.pk.attname]].append(row)
        audit.history_rows += 1
    noun = model._meta.verbose_name
    for pk, rows in rows_by_record.items():
        record = records.get(pk)
        if rows[-1]["history_type"] == "-":
            if record is not None:
                audit.problems.append(f"{noun} {pk}: deleted in its history, present")
            continue
        versions = [row["version"] for row in rows]
        # Each save raises the version by one; a record restored after a deletion
        # comes back with the version it had.
        if any(
            later["version"] != earlier["version"] + 1
            for earlier, later in zip(rows, rows[1:], strict=False)
            if earlier["history_type"] != "-"
        ):
            audit.problems.append(f"{noun} {pk}: history versions {versions}")
        if record is None:
            audit.problems.append(f"{noun} {pk}: in its history, missing")
            continue
        changed = [name for name in fields if rows[-1][name] != record[name]]
        if changed:
            audit.problems.append(
                f"{noun} {pk}: stored version {record['version']} differs from its "
                f"newest history row in {', '.join(changed)}"
            )
