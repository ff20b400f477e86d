"""What the admins share: list helpers and the timestamps they show."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Count
from simple_history.admin import SimpleHistoryAdmin

TIMESTAMPS = ("created_at", "updated_at")

# Two habits of the admins in this package:
# - Where str() follows a relation, get_queryset() selects list_select_related
#   itself: autocomplete results and the change view print str() too, and the
#   changelist skips list_select_related once its queryset selects anything.
# - Meta.ordering is ignored once a count is annotated (a GROUP BY query), so every
#   annotated admin names its ordering: autocomplete paginates get_queryset() as is.


def distinct_count(relation: str) -> Count:
    # distinct=True: search and filters across the same relation add joins that
    # would otherwise multiply the count.
    return Count(relation, distinct=True)


def titled(
    base: type[admin.FieldListFilter], title: str
) -> type[admin.FieldListFilter]:
    """A list filter over a related field, titled for this changelist: a statement's
    "speaker kind" rather than the bare "kind"."""

    class Titled(base):
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            self.title = title

    return Titled


class EditorialAdmin(SimpleHistoryAdmin):
    """The base of every editorial record's admin: history (who changed what, when,
    with revert) from django-simple-history."""
