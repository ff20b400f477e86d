"""History that bulk writes cannot bypass.

django-simple-history records a row when a record is saved or deleted (signals),
but `QuerySet.update()`, `bulk_update()` (which calls `update()`) and
`bulk_create()` send no signals. Every editorial model's QuerySet derives from
HistoryQuerySet, whose `update()` and `bulk_create()` write one history row per
record they write, in the same transaction, with the user of the current request
(simple_history's HistoryRequestMiddleware) and a change reason. A bulk update also
raises each record's version (so a save based on the version before it is refused
as stale) and its `auto_now` timestamps, as a save would.

Out of reach: raw SQL (`connection.cursor()`, as in claims.bulk_load and
claims.datasets) and `Model._base_manager`, Django's plain internal manager. Do not
use simple_history's `bulk_update_with_history` / `bulk_create_with_history` on
these models: the QuerySet already records the history, they would record it twice.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django.db import models, transaction
from django.utils import timezone

BULK_UPDATE_REASON = "bulk update"
BULK_CREATE_REASON = "bulk create"

# Rows updated per statement (and history rows written per INSERT): well below
# SQLite's limit of bound parameters.
BATCH_SIZE = 1000


def history_manager(model: type[models.Model]) -> Any:
    """The model's simple_history manager, or None for a model without history."""
    name = getattr(model._meta, "simple_history_manager_attribute", None)
    return getattr(model, name) if name else None


class HistoryQuerySet(models.QuerySet):
    """A QuerySet whose bulk writes leave the same history rows as saves do."""

    def update(self, **kwargs: Any) -> int:
        history = history_manager(self.model)
        if history is None or self.query.is_sliced or self.query.combinator:
            # Without history there is nothing to record; a sliced or combined
            # query is refused by Django's update() with its own message.
            return super().update(**kwargs)
        self._for_write = True
        kwargs = self._with_derived_fields(kwargs)
        with transaction.atomic(using=self.db, savepoint=False):
            pks = self._lock_matching_pks()
            updated = 0
            for batch in batches(pks):
                updated += super(HistoryQuerySet, self.filter(pk__in=batch)).update(
                    **kwargs
                )
                written = self.model._base_manager.using(self.db).filter(pk__in=batch)
                history.bulk_history_create(
                    list(written),
                    update=True,
                    default_change_reason=BULK_UPDATE_REASON,
                    batch_size=BATCH_SIZE,
                )
        return updated

    update.alters_data = True
    update.queryset_only = False

    def bulk_create(self, objs: Iterable[models.Model], *args: Any, **kwargs: Any):
        history = history_manager(self.model)
        if history is None:
            return super().bulk_create(objs, *args, **kwargs)
        if kwargs.get("ignore_conflicts") or kwargs.get("update_conflicts"):
            # The database does not say which rows it wrote, so neither can the
            # history.
            raise ValueError(
                f"bulk_create() of {self.model._meta.verbose_name_plural} records "
                "their history and cannot ignore or update conflicting rows; save "
                "them one by one instead."
            )
        with transaction.atomic(using=self.db, savepoint=False):
            created = super().bulk_create(objs, *args, **kwargs)
            if any(obj.pk is None for obj in created):
                raise RuntimeError(
                    "The database returned no ids from bulk_create(): the history "
                    "of the records cannot be written."
                )
            history.bulk_history_create(
                created,
                default_change_reason=BULK_CREATE_REASON,
                batch_size=BATCH_SIZE,
            )
        return created

    bulk_create.alters_data = True
    bulk_create.queryset_only = False

    def _with_derived_fields(self, kwargs: dict[str, Any]) -> dict[str, Any]:
        """What a save would also change: the version and `auto_now` timestamps."""
        derived = dict(kwargs)
        for field in self.model._meta.concrete_fields:
            if field.name in derived or field.attname in derived:
                continue
            if field.name == "version":
                derived["version"] = models.F("version") + 1
            elif getattr(field, "auto_now", False):
                derived[field.name] = timezone.now()
        return derived

    def _lock_matching_pks(self) -> list[Any]:
        """The keys of the rows this QuerySet matches, locked until the end of the
        transaction (PostgreSQL), so that exactly those rows are updated and
        recorded. The lock is taken on the model's table alone, whatever joins,
        DISTINCT or aggregates the QuerySet's own query has."""
        matching = self.order_by().values("pk")
        return list(
            self.model._base_manager.using(self.db)
            .filter(pk__in=matching)
            .select_for_update()
            .order_by("pk")
            .values_list("pk", flat=True)
        )


def batches(items: list[Any]) -> Iterator[list[Any]]:
    """`items` in lists of BATCH_SIZE: one statement each stays within every
    database's limit on parameters."""
    for start in range(0, len(items), BATCH_SIZE):
        yield items[start : start + BATCH_SIZE]
