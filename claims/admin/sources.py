"""Sources: the stored texts that citations quote.

A source's page shows its text as editors read it, every cited passage marked and
linked to its statement; the raw text stays editable below, folded away.
"""

from __future__ import annotations

from django.contrib import admin
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import URLPattern, reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator

from claims.forms import SourceForm
from claims.models import (
    Source,
)

from . import views
from .base import TIMESTAMPS, EditorialAdmin, distinct_count
from .resources import CsvImportExportMixin, SourceResource

CITED_TEXT = "Text"
EDIT_TEXT = "Edit the stored text"

# Sources --------------------------------------------------------------------------


@admin.register(Source)
class SourceAdmin(CsvImportExportMixin, EditorialAdmin):
    resource_classes = [SourceResource]
    form = SourceForm
    ordering = ("-published_on", "title", "pk")
    list_display = ("__str__", "kind", "publisher", "published_on", "citation_count")
    list_select_related = ("publisher",)
    list_filter = (
        "kind",
        # Only the actors that published something, not every actor.
        ("publisher", admin.RelatedOnlyFieldListFilter),
        "language",
    )
    date_hierarchy = "published_on"
    search_fields = ("title", "byline", "text")
    search_help_text = "Search titles, bylines and the stored texts."
    autocomplete_fields = ("publisher", "author")
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    readonly_fields = ("cited_text", "text_sha256", "cited_by", *TIMESTAMPS)
    # Named rather than found by convention, so that a mixin bringing its own
    # changelist template (imports, exports) extends this one.
    change_list_template = "admin/claims/change_list.html"
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "kind",
                    "title",
                    "publisher",
                    "author",
                    "byline",
                    "dateline",
                    ("published_on", "published_time"),
                    "language",
                )
            },
        ),
        ("Where", {"fields": ("url", "archive_url", "accessed_on")}),
        (
            CITED_TEXT,
            {
                "description": "Each highlighted passage is cited; hover it for "
                "the statement, follow the number after it to open the statement.",
                "fields": ("cited_text", "cited_by"),
            },
        ),
        (
            EDIT_TEXT,
            {
                "classes": ("collapse",),
                "description": "Once a passage is cited, the text may only change "
                "in ways that leave every cited passage where it is.",
                "fields": ("text", "text_sha256"),
            },
        ),
        ("Notes", {"fields": ("notes", *TIMESTAMPS)}),
    )

    class Media:
        css = {"all": ("claims/admin/workbench.css",)}

    def get_fieldsets(self, request: HttpRequest, obj: Source | None = None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None:
            return fieldsets
        # A new source has nothing cited: its text is typed in, not read.
        return [
            (name, {**options, "classes": ()} if name == EDIT_TEXT else options)
            for name, options in fieldsets
            if name != CITED_TEXT
        ]

    def get_urls(self) -> list[URLPattern]:
        return [
            *views.source_urls(self),
            *super().get_urls(),
        ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Source]:
        return (
            super()
            .get_queryset(request)
            .select_related(*self.list_select_related)
            .annotate(citation_count=distinct_count("citations"))
        )

    @admin.display(description="citations", ordering="citation_count")
    def citation_count(self, obj: Source) -> int:
        return obj.citation_count

    @admin.display(description="text as cited")
    def cited_text(self, obj: Source) -> str:
        if obj.pk is None or not obj.text:
            return "No text stored yet."
        return format_html(
            '<div class="cited-text" id="cited-text" data-source="{}">{}</div>',
            obj.pk,
            views.cited_text(obj),
        )

    @admin.display(description="cited by")
    def cited_by(self, obj: Source) -> str:
        """The statements quoting this source, as links; a read-only list rather than
        an inline, so that saving the source never re-validates its citations."""
        if obj.pk is None:
            return "-"
        citations = obj.citations.select_related("statement__actor").order_by(
            "start", "pk"
        )
        if not citations:
            return "Not cited yet."
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                '<li><a href="{}">{}</a>: \u201c{}\u201d (offsets {}\u2013{})</li>',
                (
                    (
                        reverse("admin:claims_statement_change", args=[c.statement_id]),
                        c.statement,
                        Truncator(c.quote).chars(100),
                        c.start,
                        c.end,
                    )
                    for c in citations
                ),
            ),
        )
