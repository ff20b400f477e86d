"""Statement suggestions from imports, accepted or discarded by editors."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.text import Truncator

from claims.models import (
    StatementSuggestion,
)
from claims.services import (
    accept_suggestion,
    discard_suggestion,
)

from .base import TIMESTAMPS

# Statement suggestions ------------------------------------------------------------


def _review(
    modeladmin: admin.ModelAdmin,
    request: HttpRequest,
    queryset: QuerySet[StatementSuggestion],
    *,
    service,
    done: str,
) -> None:
    """Apply a service to each selected suggestion; each one that cannot be
    reviewed is named with the reason, and the others still go through."""
    count = 0
    for suggestion in queryset.select_related("source", "actor", "on_behalf_of"):
        try:
            service(suggestion=suggestion)
        except ValidationError as error:
            modeladmin.message_user(
                request,
                f"Suggestion {suggestion.pk} (\u201c{suggestion.attribution}\u201d): "
                f"{' '.join(error.messages)}",
                level=messages.ERROR,
            )
        else:
            count += 1
    if count:
        modeladmin.message_user(request, f"{count} suggestion(s) {done}.")


@admin.action(description="Accept: create draft statements with their citations")
def accept_suggestions(modeladmin, request, queryset) -> None:
    _review(
        modeladmin,
        request,
        queryset,
        service=accept_suggestion,
        done="accepted as draft statements",
    )


@admin.action(description="Discard")
def discard_suggestions(modeladmin, request, queryset) -> None:
    _review(modeladmin, request, queryset, service=discard_suggestion, done="discarded")


@admin.register(StatementSuggestion)
class StatementSuggestionAdmin(admin.ModelAdmin):
    """Drafts the suggester proposed: correct the speaker, stance or claim, then
    accept (a draft statement and its verified citation) or discard."""

    list_display = (
        "attribution",
        "actor",
        "stance",
        "claim",
        "short_quote",
        "confidence",
        "status",
        "source",
    )
    list_select_related = ("actor", "claim", "source__publisher")
    list_filter = (
        "status",
        "stance",
        ("source", admin.RelatedOnlyFieldListFilter),
    )
    ordering = ("source", "start", "pk")
    search_fields = ("attribution", "speaker", "quote")
    search_help_text = "Search how the sources name speakers, and the quotes."
    autocomplete_fields = ("actor", "on_behalf_of", "claim")
    readonly_fields = (
        "source",
        "attribution",
        "speaker",
        "cue",
        "quote",
        "start",
        "end",
        "quote_kind",
        "confidence",
        "status",
        "statement",
        *TIMESTAMPS,
    )
    fields = (
        "source",
        ("attribution", "speaker", "cue"),
        ("actor", "on_behalf_of"),
        ("stance", "claim"),
        "quote",
        ("start", "end", "quote_kind"),
        ("confidence", "status", "statement"),
        TIMESTAMPS,
    )
    actions = (accept_suggestions, discard_suggestions)

    def get_queryset(self, request: HttpRequest) -> QuerySet[StatementSuggestion]:
        return super().get_queryset(request).select_related(*self.list_select_related)

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Suggestions come from imports; an editor writes a statement directly.
        return False

    @admin.display(description="quote", ordering="quote")
    def short_quote(self, obj: StatementSuggestion) -> str:
        return Truncator(obj.quote).chars(80)
