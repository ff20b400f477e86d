"""Claims, statements and their citations.

A claim's page and a statement's page show their threads (who answered whom); a
citation row picks its passage in the source's text (static/claims/admin/
citation_picker.js, served by the JSON views of views.py) and, once saved, shows
its quote in context.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.text import Truncator

from claims.forms import CitationForm, CitationInlineFormSet
from claims.models import (
    Citation,
    Claim,
    Source,
    Statement,
)
from claims.public.timeline import describe_date
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
from .views import quote_context, statement_change_url

# Claims and statements ------------------------------------------------------------


@admin.register(Claim)
class ClaimAdmin(EditorialAdmin):
    ordering = ("slug",)
    list_display = ("slug", "text", "statement_count")
    list_filter = ("topics",)
    search_fields = ("slug", "text", "description")
    search_help_text = "Search slugs, propositions and descriptions."
    autocomplete_fields = ("topics",)
    readonly_fields = (*TIMESTAMPS, "thread")
    actions = (export_claim_citations,)

    class Media:
        css = {"all": ("claims/admin/workbench.css",)}

    def get_queryset(self, request: HttpRequest) -> QuerySet[Claim]:
        return (
            super()
            .get_queryset(request)
            .annotate(statement_count=distinct_count("statements"))
        )

    @admin.display(description="statements", ordering="statement_count")
    def statement_count(self, obj: Claim) -> int:
        return obj.statement_count

    @admin.display(description="statements, oldest first")
    def thread(self, obj: Claim) -> str:
        """The statements on the claim and the answers to them recorded on other
        claims (as the public timeline), with who answered whom; two queries."""
        if obj.pk is None:
            return "-"
        statements = list(
            Statement.objects.in_timeline_of(obj)
            .select_related("actor", "responds_to__actor")
            .chronological()
        )
        if not statements:
            return "No statements yet."
        answers: dict[int, list[Statement]] = {}
        for statement in statements:
            answers.setdefault(statement.responds_to_id, []).append(statement)
        return format_html(
            '<table class="statement-thread" id="claim-thread"><thead><tr>'
            '<th scope="col">made on</th><th scope="col">statement</th>'
            '<th scope="col">speaker</th><th scope="col">stance</th>'
            '<th scope="col">status</th><th scope="col">responses</th>'
            "</tr></thead><tbody>{}</tbody></table>",
            format_html_join(
                "",
                '<tr id="thread-statement-{}" data-statement="{}"><td>{}</td>'
                "<td>{}{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                (
                    (
                        s.pk,
                        s.pk,
                        describe_date(s),
                        format_html(
                            '<a href="{}">#{}</a> {}',
                            statement_change_url(s.pk),
                            s.pk,
                            Truncator(s.summary).chars(100),
                        ),
                        "" if s.claim_id == obj.pk else " (on another claim)",
                        s.actor.name,
                        s.get_stance_display(),
                        s.get_status_display(),
                        responses(s, answers.get(s.pk, [])),
                    )
                    for s in statements
                ),
            ),
        )


def statement_reference(statement: Statement) -> SafeString:
    """ "#12 (Wang Wenbin, rejects)", linked to the statement (needs actor)."""
    return format_html(
        '<a href="{}" class="statement-ref" data-statement="{}">#{}</a> ({}, {})',
        statement_change_url(statement.pk),
        statement.pk,
        statement.pk,
        statement.actor.name,
        statement.get_stance_display(),
    )


def responses(statement: Statement, answered_by: list[Statement]) -> SafeString:
    """Who this statement answers and who answered it (responds_to__actor and
    the answers' actors loaded)."""
    parts = []
    if statement.responds_to_id:
        parts.append(
            format_html(
                '<span class="answers">answers {}</span>',
                statement_reference(statement.responds_to),
            )
        )
    if answered_by:
        parts.append(
            format_html(
                '<span class="answered-by">answered by {}</span>',
                format_html_join(
                    ", ", "{}", ((statement_reference(a),) for a in answered_by)
                ),
            )
        )
    return format_html_join("; ", "{}", ((part,) for part in parts))


class CitationInline(EditorialInlineMixin, admin.StackedInline):
    """Paste a quote; on save it is located and stored as the exact source text."""

    model = Citation
    form = CitationForm
    formset = CitationInlineFormSet
    autocomplete_fields = ("source",)
    readonly_fields = ("end", "verification", "verified_at", "in_context")
    fields = (
        "source",
        "quote",
        "in_context",
        ("prefix", "suffix"),
        ("start", "end"),
        ("quote_kind", "attribution"),
        ("translation", "translator"),
        ("verification", "verified_at"),
    )
    extra = 1

    @property
    def media(self) -> forms.Media:
        # After the inline's own scripts (jQuery among them): the picker listens
        # to the source autocomplete's jQuery change events.
        return super().media + forms.Media(
            js=["claims/admin/citation_picker.js"],
            css={"all": ["claims/admin/workbench.css"]},
        )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Citation]:
        # source: Citation.clean() reads its text for every row; its publisher:
        # each row's title prints the citation, naming an untitled source by it.
        return super().get_queryset(request).select_related("source__publisher")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "source":
            # The autocomplete fetches each row's chosen source to print it, and
            # an untitled source's name includes its publisher.
            kwargs["queryset"] = Source.objects.select_related("publisher")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description="in context")
    def in_context(self, obj: Citation) -> str:
        return quote_in_context(obj)


def quote_in_context(citation: Citation) -> str:
    """A saved citation's quote with the source text around it (source loaded)."""
    if citation.pk is None or citation.start is None or not citation.source_id:
        return "Shown once saved; before saving, the preview shows where it is."
    text = citation.source.text
    if not citation.holds_in(text):
        status = citation.get_verification_display()
        return (
            f"The stored quote is no longer at offsets {citation.start}\u2013"
            f"{citation.end} of the source text ({status})."
        )
    before, after = quote_context(text, citation.start, citation.end)
    return format_html(
        '<span class="quote-context" id="citation-{}-context">{}'
        '<strong class="quote-context-quote">{}</strong>{}</span>',
        citation.pk,
        before,
        citation.quote,
        after,
    )


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
        "on_behalf_of__name",
        "on_behalf_of__aliases__name",
        "citations__quote",
    )
    search_help_text = (
        "Search summaries, the names and aliases of the speaker and the principal, "
        "and the cited quotes."
    )
    autocomplete_fields = (
        "actor",
        "on_behalf_of",
        "claim",
        "document",
        "made_in",
        "responds_to",
    )
    readonly_fields = (*TIMESTAMPS, "thread")
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
        ("Thread", {"fields": ("thread",)}),
    )

    def get_fieldsets(self, request: HttpRequest, obj: Statement | None = None):
        fieldsets = super().get_fieldsets(request, obj)
        # A new statement has no thread yet.
        return fieldsets if obj else [f for f in fieldsets if f[0] != "Thread"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # The autocompletes fetch each chosen record to print its name, which
        # follows this relation.
        named_by = AUTOCOMPLETE_NAMED_BY.get(db_field.name)
        if named_by:
            model = db_field.related_model
            kwargs["queryset"] = model._default_manager.select_related(named_by)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_formset_kwargs(self, request, obj, inline, prefix) -> dict:
        """`?source=<id>` on the add page: the first citation row quotes that
        source (a malformed or unknown id is ignored)."""
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if (
            isinstance(inline, CitationInline)
            and request.method == "GET"
            and obj.pk is None
        ):
            source = requested_source(request)
            if source is not None:
                kwargs["initial"] = [{"source": source}]
        return kwargs

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

    @admin.display(description="thread")
    def thread(self, obj: Statement) -> str:
        """What the statement answers and its answers, linked (one query: the
        answers; responds_to__actor comes with get_queryset())."""
        if obj.pk is None:
            return "-"
        answers = list(obj.responses.select_related("actor").chronological())
        answered = (
            format_html("Answers {}.", statement_reference(obj.responds_to))
            if obj.responds_to_id
            else "Answers no other statement."
        )
        if answers:
            answered_by = format_html(
                '<ul class="statement-answers">{}</ul>',
                format_html_join(
                    "",
                    "<li>{}, {}: {}</li>",
                    (
                        (
                            statement_reference(a),
                            describe_date(a),
                            Truncator(a.summary).chars(100),
                        )
                        for a in answers
                    ),
                ),
            )
        else:
            answered_by = "No answers recorded."
        return format_html(
            '<div class="statement-thread" id="statement-thread">'
            '<p class="responds-to">{}</p><p>Answered by:</p>{}</div>',
            answered,
            answered_by,
        )


# What the name of a statement's chosen document, carrying document or answered
# statement follows: an untitled source is named by its publisher.
AUTOCOMPLETE_NAMED_BY = {
    "document": "publisher",
    "made_in": "publisher",
    "responds_to": "actor",
}


def requested_source(request: HttpRequest) -> int | None:
    """The id in `?source=` when it names a stored source."""
    value = request.GET.get("source", "")
    if not (value.isascii() and value.isdigit()) or len(value) > 18:
        return None
    return Source.objects.filter(pk=int(value)).values_list("pk", flat=True).first()


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
    readonly_fields = ("end", "verification", "verified_at", "in_context", *TIMESTAMPS)
    fields = (
        "statement",
        "source",
        "quote",
        "in_context",
        ("prefix", "suffix"),
        ("start", "end"),
        ("quote_kind", "attribution"),
        ("translation", "translator"),
        ("verification", "verified_at"),
        TIMESTAMPS,
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Citation]:
        return super().get_queryset(request).select_related(*self.list_select_related)

    @admin.display(description="in context")
    def in_context(self, obj: Citation) -> str:
        return quote_in_context(obj)

    @admin.display(description="quote", ordering="quote")
    def short_quote(self, obj: Citation) -> str:
        return Truncator(obj.quote).chars(80)
