"""The editors' admin: every model, searchable, filterable, without N+1 queries.

Every model but the suggestions keeps its history (django-simple-history): each
change form has a History page listing who changed what and when, where an earlier
version can be opened and reverted to.

Quote rules live in the models (Citation.clean(), Source.clean()); the admin shows
their errors on the form, and saves nothing while any form or inline has one.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from simple_history.admin import SimpleHistoryAdmin

from .admin_exports import export_claim_citations, export_statement_citations
from .forms import CitationForm, CitationInlineFormSet, SourceForm
from .models import (
    Actor,
    ActorAlias,
    Affiliation,
    Citation,
    Claim,
    Source,
    Statement,
    StatementSuggestion,
    Topic,
)
from .services import (
    PUBLISH_PERMISSION,
    accept_suggestion,
    check_status_change,
    discard_suggestion,
    publish_statement,
    unpublish_statement,
)

TIMESTAMPS = ("created_at", "updated_at")

# Two habits of the admins below:
# - Where str() follows a relation, get_queryset() selects list_select_related
#   itself: autocomplete results and the change view print str() too, and the
#   changelist skips list_select_related once its queryset selects anything.
# - Meta.ordering is ignored once a count is annotated (a GROUP BY query), so every
#   annotated admin names its ordering: autocomplete paginates get_queryset() as is.


def _count(relation: str) -> Count:
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


@admin.register(Topic)
class TopicAdmin(SimpleHistoryAdmin):
    ordering = ("name",)
    list_display = ("name", "slug", "claim_count")
    search_fields = ("name", "slug")
    search_help_text = "Search topic names and slugs."
    prepopulated_fields = {"slug": ("name",)}

    def get_queryset(self, request: HttpRequest) -> QuerySet[Topic]:
        return super().get_queryset(request).annotate(claim_count=_count("claims"))

    @admin.display(description="claims", ordering="claim_count")
    def claim_count(self, obj: Topic) -> int:
        return obj.claim_count


# Actors ---------------------------------------------------------------------------


class ActorAliasInline(admin.TabularInline):
    model = ActorAlias
    extra = 1


class RoleInline(admin.TabularInline):
    """The roles a person held (the spokesperson of a ministry)."""

    model = Affiliation
    fk_name = "person"
    autocomplete_fields = ("organisation",)
    extra = 1
    verbose_name = "role held"
    verbose_name_plural = "roles held"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Affiliation]:
        return super().get_queryset(request).select_related("organisation")


class MemberInline(admin.TabularInline):
    """The people holding a role at an organisation."""

    model = Affiliation
    fk_name = "organisation"
    autocomplete_fields = ("person",)
    extra = 1
    verbose_name = "member"
    verbose_name_plural = "members"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Affiliation]:
        return super().get_queryset(request).select_related("person")


@admin.register(Actor)
class ActorAdmin(SimpleHistoryAdmin):
    ordering = ("name", "pk")
    list_display = ("name", "kind", "country", "parent", "statement_count")
    list_select_related = ("parent",)
    list_filter = ("kind", "country")
    search_fields = ("name", "aliases__name", "slug", "wikidata_id")
    search_help_text = "Search names, aliases (Beijing, OHCHR), slugs and Wikidata ids."
    autocomplete_fields = ("parent",)
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = TIMESTAMPS
    fieldsets = (
        (None, {"fields": ("name", "slug", "kind", "country", "parent")}),
        ("Details", {"fields": ("description", "wikidata_id", *TIMESTAMPS)}),
    )

    def get_inlines(self, request: HttpRequest, obj: Actor | None) -> list:
        # Roles are held by people and members belong to organisations: which side
        # applies depends on the saved kind, and Affiliation.clean() can only check
        # the kinds of a saved actor. A new actor gets them after its first save.
        if obj is None:
            return [ActorAliasInline]
        if obj.kind == Actor.Kind.PERSON:
            return [ActorAliasInline, RoleInline]
        return [ActorAliasInline, MemberInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Actor]:
        return (
            super().get_queryset(request).annotate(statement_count=_count("statements"))
        )

    @admin.display(description="statements", ordering="statement_count")
    def statement_count(self, obj: Actor) -> int:
        return obj.statement_count


@admin.register(ActorAlias)
class ActorAliasAdmin(SimpleHistoryAdmin):
    list_display = ("name", "actor")
    list_select_related = ("actor",)
    search_fields = ("name", "actor__name")
    search_help_text = "Search aliases and the names of their actors."
    autocomplete_fields = ("actor",)


@admin.register(Affiliation)
class AffiliationAdmin(SimpleHistoryAdmin):
    list_display = ("person", "role", "organisation", "start_date", "end_date")
    list_select_related = ("person", "organisation")
    search_fields = ("person__name", "organisation__name", "role")
    search_help_text = "Search people, organisations and roles."
    autocomplete_fields = ("person", "organisation")


# Sources --------------------------------------------------------------------------


@admin.register(Source)
class SourceAdmin(SimpleHistoryAdmin):
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
    readonly_fields = ("text_sha256", "cited_by", *TIMESTAMPS)
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
            "Text",
            {
                "description": "Once a passage is cited, the text may only change "
                "in ways that leave every cited passage where it is.",
                "fields": ("text", "text_sha256", "cited_by"),
            },
        ),
        ("Notes", {"fields": ("notes", *TIMESTAMPS)}),
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Source]:
        return (
            super()
            .get_queryset(request)
            .select_related(*self.list_select_related)
            .annotate(citation_count=_count("citations"))
        )

    @admin.display(description="citations", ordering="citation_count")
    def citation_count(self, obj: Source) -> int:
        return obj.citation_count

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


# Claims and statements ------------------------------------------------------------


@admin.register(Claim)
class ClaimAdmin(SimpleHistoryAdmin):
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
            super().get_queryset(request).annotate(statement_count=_count("statements"))
        )

    @admin.display(description="statements", ordering="statement_count")
    def statement_count(self, obj: Claim) -> int:
        return obj.statement_count


class CitationInline(admin.StackedInline):
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
class StatementAdmin(SimpleHistoryAdmin):
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
            .annotate(citation_count=_count("citations"))
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
class CitationAdmin(SimpleHistoryAdmin):
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
