"""Claims, statements and their citations."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.text import Truncator

from claims.forms import CitationForm, CitationInlineFormSet
from claims.models import (
    Citation,
    Claim,
    Statement,
)
from claims.services import (
    PUBLISH_PERMISSION,
    check_status_change,
    publish_statement,
    unpublish_statement,
)

from .base import (
    TIMESTAMPS,
    EditorialAdmin,
    EditorialInlineMixin,
    distinct_count,
    titled,
)
from .exports import export_claim_citations, export_statement_citations

# Claims and statements ------------------------------------------------------------


@admin.register(Claim)
class ClaimAdmin(EditorialAdmin):
    ordering = ("slug",)
    list_display = ("slug", "text", "statement_count")
    list_filter = ("topics",)
    search_fields = ("slug", "text", "description")
    search_help_text = "Search slugs, propositions and descriptions."
    autocomplete_fields = ("topics",)
    readonly_fields = TIMESTAMPS
    actions = (export_claim_citations,)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Claim]:
        return (
            super()
            .get_queryset(request)
            .annotate(statement_count=distinct_count("statements"))
        )

    @admin.display(description="statements", ordering="statement_count")
    def statement_count(self, obj: Claim) -> int:
        return obj.statement_count


class CitationInline(EditorialInlineMixin, admin.StackedInline):
    """Paste a quote; on save it is located and stored as the exact source text."""

    model = Citation
    form = CitationForm
    formset = CitationInlineFormSet
    autocomplete_fields = ("source",)
    readonly_fields = ("end", "verification", "verified_at")
    fields = (
        "source",
        "quote",
        ("prefix", "suffix"),
        ("start", "end"),
        ("quote_kind", "attribution"),
        ("translation", "translator"),
        ("verification", "verified_at"),
    )
    extra = 1

    def get_queryset(self, request: HttpRequest) -> QuerySet[Citation]:
        # source: Citation.clean() reads its text for every row.
        return super().get_queryset(request).select_related("source")


@admin.register(Statement)
class StatementAdmin(EditorialAdmin):
    list_display = (
        "made_on",
        "actor",
        "stance",
        "target",
        "status",
        "citation_count",
    )
    list_display_links = ("made_on", "actor")
    # Every relation that target() and the columns print.
    list_select_related = (
        "actor",
        "claim",
        "document__publisher",
        "responds_to__actor",
    )
    list_filter = (
        "stance",
        "status",
        "date_precision",
        ("actor__kind", titled(admin.ChoicesFieldListFilter, "speaker kind")),
        ("actor__country", titled(admin.AllValuesFieldListFilter, "speaker country")),
        "made_on",
        ("claim__topics", titled(admin.RelatedFieldListFilter, "claim topic")),
    )
    date_hierarchy = "made_on"
    ordering = ("-made_on", "-pk")
    search_fields = (
        "summary",
        "actor__name",
        "actor__aliases__name",
        "citations__quote",
    )
    search_help_text = (
        "Search summaries, the speaker's name or alias, and the cited quotes."
    )
    autocomplete_fields = (
        "actor",
        "on_behalf_of",
        "claim",
        "document",
        "made_in",
        "responds_to",
    )
    readonly_fields = TIMESTAMPS
    inlines = (CitationInline,)
    actions = (export_statement_citations, "publish", "unpublish")
    fieldsets = (
        ("Who", {"fields": ("actor", "on_behalf_of")}),
        (
            "Position",
            {
                "description": "A statement targets a claim, a document, or the "
                "statement it responds to (at least one).",
                "fields": ("stance", "claim", "document", "responds_to"),
            },
        ),
        (
            "When and where",
            {"fields": (("made_on", "date_precision"), "made_in", "context")},
        ),
        (None, {"fields": ("summary", "status", *TIMESTAMPS)}),
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Statement]:
        return (
            super()
            .get_queryset(request)
            .select_related(*self.list_select_related)
            .annotate(citation_count=distinct_count("citations"))
        )

    def get_readonly_fields(
        self, request: HttpRequest, obj: Statement | None = None
    ) -> tuple[str, ...]:
        fields = tuple(super().get_readonly_fields(request, obj))
        if not self.has_publish_permission(request):
            return (*fields, "status")
        return fields

    def has_publish_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(PUBLISH_PERMISSION)

    def save_model(self, request, obj, form, change) -> None:
        # The status field is read-only without the permission, but a revert
        # from the history brings back the recorded status with the rest.
        check_status_change(statement=obj, user=request.user)
        super().save_model(request, obj, form, change)

    @admin.action(description="Publish", permissions=["publish"])
    def publish(self, request: HttpRequest, queryset: QuerySet[Statement]) -> None:
        self._set_status(request, queryset, publish_statement, "published")

    @admin.action(description="Unpublish (back to draft)", permissions=["publish"])
    def unpublish(self, request: HttpRequest, queryset: QuerySet[Statement]) -> None:
        self._set_status(request, queryset, unpublish_statement, "unpublished")

    def _set_status(self, request, queryset, service, done: str) -> None:
        count = 0
        for statement in queryset:
            try:
                service(statement=statement, user=request.user)
            except ValidationError as error:
                self.message_user(
                    request,
                    f"Statement {statement.pk}: {' '.join(error.messages)}",
                    level=messages.ERROR,
                )
            else:
                count += 1
        if count:
            self.message_user(request, f"{count} statement(s) {done}.")

    @admin.display(description="target")
    def target(self, obj: Statement) -> str:
        if obj.claim_id:
            return f"claim: {obj.claim}"
        if obj.document_id:
            return f"document: {obj.document}"
        if obj.responds_to_id:
            return f"responds to: {obj.responds_to}"
        return ""

    @admin.display(description="citations", ordering="citation_count")
    def citation_count(self, obj: Statement) -> int:
        return obj.citation_count


@admin.register(Citation)
class CitationAdmin(EditorialAdmin):
    form = CitationForm
    list_display = (
        "short_quote",
        "source",
        "statement",
        "quote_kind",
        "verification",
        "start",
        "end",
    )
    # source__publisher and statement__actor: both str()s follow them.
    list_select_related = ("source__publisher", "statement__actor")
    list_filter = ("verification", "quote_kind")
    search_fields = ("quote", "attribution")
    search_help_text = "Search the quotes and how the sources name their speakers."
    autocomplete_fields = ("statement", "source")
    readonly_fields = ("end", "verification", "verified_at", *TIMESTAMPS)
    fields = (
        "statement",
        "source",
        "quote",
        ("prefix", "suffix"),
        ("start", "end"),
        ("quote_kind", "attribution"),
        ("translation", "translator"),
        ("verification", "verified_at"),
        TIMESTAMPS,
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Citation]:
        return super().get_queryset(request).select_related(*self.list_select_related)

    @admin.display(description="quote", ordering="quote")
    def short_quote(self, obj: Citation) -> str:
        return Truncator(obj.quote).chars(80)
