"""What the admins share: the editorial base class, list helpers, timestamps."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import Count
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import URLPattern
from simple_history.admin import SimpleHistoryAdmin

from claims.forms import VersionedModelForm
from claims.models import StaleVersionError

from .views import deleted_urls

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
    with revert) from django-simple-history, and refusal of stale saves.

    The form carries the version the editor opened; when someone else saved the
    record since, the save is refused with what they changed (VersionedModelForm),
    and a save racing past that check still fails on the model's conditional UPDATE,
    caught here.
    """

    form = VersionedModelForm

    def get_urls(self) -> list[URLPattern]:
        # Every editorial model lists its deleted records, restorable from there.
        return [*deleted_urls(self), *super().get_urls()]

    def get_fieldsets(self, request, obj=None):
        return with_record_version(super().get_fieldsets(request, obj))

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except StaleVersionError as error:
            return self._refuse_stale_save(request, error)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        try:
            return super().history_form_view(
                request, object_id, version_id, extra_context
            )
        except StaleVersionError as error:
            return self._refuse_stale_save(request, error)

    def _refuse_stale_save(
        self, request: HttpRequest, error: StaleVersionError
    ) -> HttpResponseRedirect:
        # The admin's transaction has rolled back: nothing of the save is kept.
        self.message_user(request, str(error), level=messages.ERROR)
        return HttpResponseRedirect(request.get_full_path())


class EditorialInlineMixin:
    """For inlines of editorial records: each row carries its version too."""

    form = VersionedModelForm

    def get_fieldsets(self, request, obj=None):
        return with_record_version(super().get_fieldsets(request, obj))


def with_record_version(fieldsets: list) -> list:
    """Fieldsets that render the form's hidden record_version field: the admin
    renders only the fields its fieldsets name."""
    named = {
        name
        for _, options in fieldsets
        for line in options.get("fields", ())
        for name in (line if isinstance(line, (list, tuple)) else (line,))
    }
    if "record_version" in named or not fieldsets:
        return fieldsets
    (title, options), *rest = fieldsets
    fields = (*options.get("fields", ()), "record_version")
    return [(title, {**options, "fields": fields}), *rest]
