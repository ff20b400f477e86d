"""Optimistic concurrency: every editorial record carries a version, and a save
based on an older version is refused instead of silently overwriting a newer one.

The check is inside the write: an UPDATE of a record sets `version = expected + 1
WHERE version = expected`, so of two saves based on the same version exactly one
matches a row; the other raises StaleVersionError, whatever the interface (admin,
API, a command) and however close together they come.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.text import Truncator


class StaleVersionError(Exception):
    """A save based on a version of a record that is no longer its current one."""

    def __init__(
        self, model: type[models.Model], pk: Any, expected: int, current: int | None
    ) -> None:
        self.model = model
        self.pk = pk
        self.expected = expected
        self.current = current
        self.changes = changes_since(model, pk, expected)
        super().__init__(self.describe())

    def describe(self) -> str:
        noun = self.model._meta.verbose_name
        if self.current is None:
            return (
                f"This {noun} was deleted by someone else after you opened it "
                f"(version {self.expected}); nothing was saved."
            )
        lines = [
            f"Someone else saved this {noun} after you opened it: you edited "
            f"version {self.expected}, the current one is version {self.current}. "
            "Nothing was saved; reload it and apply your changes again."
        ]
        lines += [change["text"] for change in self.changes]
        return " ".join(lines)


class VersionedModel(models.Model):
    version = models.PositiveIntegerField(
        default=1,
        editable=False,
        help_text="Raised by one on every save; a save based on an older version "
        "of the record is refused.",
    )

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "version" not in update_fields:
            kwargs["update_fields"] = [*update_fields, "version"]
        super().save(*args, **kwargs)

    def _do_update(
        self, base_qs, using, pk_val, values, update_fields, forced_update
    ) -> bool:
        # The one place the version is checked and raised: Model.save_table() calls
        # this for every save of an existing row.
        expected = self.version
        values = [
            (field, model, expected + 1 if field.attname == "version" else value)
            for field, model, value in values
        ]
        updated = super()._do_update(
            base_qs.filter(version=expected),
            using,
            pk_val,
            values,
            update_fields,
            forced_update,
        )
        if updated:
            self.version = expected + 1
            return True
        current = base_qs.filter(pk=pk_val).values_list("version", flat=True).first()
        if current is not None or update_fields is not None or forced_update:
            raise StaleVersionError(type(self), pk_val, expected, current)
        # No row with this key at all: save() goes on to INSERT it (a record
        # restored from its history, or a fixture being loaded).
        return False


def changes_since(
    model: type[models.Model], pk: Any, version: int
) -> list[dict[str, Any]]:
    """What changed in a record since `version`, from its history: one entry per
    changed field with the old and new value, who saved the newest version and
    when. Empty when the history does not have both versions."""
    history = getattr(model, "history", None)
    if history is None:
        return []
    records = history.filter(**{model._meta.pk.attname: pk})
    seen = records.filter(version=version).order_by("history_date").last()
    latest = records.order_by("history_date", "history_id").last()
    if seen is None or latest is None or latest.version == version:
        return []
    who = latest.history_user or "an unknown user"
    changes = []
    for change in latest.diff_against(seen, foreign_keys_are_objs=True).changes:
        label = model._meta.get_field(change.field).verbose_name
        old, new = _shown(change.old), _shown(change.new)
        changes.append(
            {
                "field": change.field,
                "old": old,
                "new": new,
                "by": str(who),
                "at": latest.history_date.isoformat(),
                "text": f"{label}: \u201c{old}\u201d \u2192 \u201c{new}\u201d "
                f"(by {who}, {latest.history_date:%Y-%m-%d %H:%M} UTC).",
            }
        )
    return changes


def _shown(value: Any) -> str:
    if value is None or value == "":
        return "(empty)"
    if isinstance(value, models.Model):
        return str(value)
    return Truncator(str(value)).chars(120)
