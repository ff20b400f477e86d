"""The editors' workbench: a source's text with its cited passages, quote previews
for the citation picker (JSON, admin-only), and deleted records to restore.

The preview validates a citation row with the admin's own CitationForm, so what it
shows is what saving the row does: Citation.clean() locates the quote either way.
"""

from __future__ import annotations

from datetime import timedelta
from functools import partial
from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import IntegrityError, models
from django.forms import modelform_factory
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.safestring import SafeString
from django.utils.text import Truncator

from claims.forms import CitationForm
from claims.models import Actor, Citation, Source, Statement
from claims.public.highlight import Passage, highlight
from claims.public.timeline import describe_date
from claims.services import deleted_records, restore_record, restore_statement

PREVIEW_CONTEXT = 80
"""Characters of source text shown on each side of a previewed quote."""

DELETED_LISTED = 100
"""The most recent deletions listed on a model's "Deleted ..." page."""

DELETED_WITH = timedelta(seconds=60)
"""A citation deleted this shortly before its statement went with it (CASCADE):
the history records no link between the two deletions, so this is a default the
editor can change, not a rule."""


# A source's text, as editors read and quote it ---------------------------------------


def statement_change_url(statement_id: int) -> str:
    return reverse("admin:claims_statement_change", args=[statement_id])


def describe_statement(statement: Statement) -> str:
    """ "Wang Wenbin, rejects, 4 Feb 2021": who, which position, when (needs actor)."""
    return (
        f"{statement.actor.name}, {statement.get_stance_display()}, "
        f"{describe_date(statement)}"
    )


def cited_passages(source: Source) -> list[Passage]:
    """Every citation of `source` as a passage linked to its statement's admin page,
    drafts included (one query)."""
    citations = source.citations.select_related("statement__actor").order_by(
        "start", "pk"
    )
    return [
        Passage(
            citation_id=c.pk,
            start=c.start,
            end=c.end,
            label=describe_statement(c.statement),
            href=statement_change_url(c.statement_id),
            statement_id=c.statement_id,
        )
        for c in citations
    ]


def cited_text(source: Source, passages: list[Passage] | None = None) -> SafeString:
    """The source's text, escaped, with each cited passage in a <mark>."""
    if passages is None:
        passages = cited_passages(source)
    return highlight(source.text, passages)


def quote_context(text: str, start: int, end: int) -> tuple[str, str]:
    """The text shown before and after a quote, with an ellipsis where cut."""
    low, high = max(0, start - PREVIEW_CONTEXT), min(len(text), end + PREVIEW_CONTEXT)
    before = ("\u2026" if low else "") + text[low:start]
    after = text[end:high] + ("\u2026" if high < len(text) else "")
    return before, after


# JSON views for the citation picker ------------------------------------------------


def _json_error(status: int, message: str, **extra: Any) -> JsonResponse:
    return JsonResponse({"error": message, **extra}, status=status)


def _viewable_source(
    model_admin: admin.ModelAdmin, request: HttpRequest, object_id: int
) -> Source | JsonResponse:
    if not model_admin.has_view_permission(request):
        return _json_error(403, "You may not view sources.")
    source = model_admin.get_object(request, object_id)
    if source is None:
        return _json_error(404, f"No source has the id {object_id}.")
    if not model_admin.has_view_permission(request, source):
        return _json_error(403, "You may not view this source.")
    return source


def source_text_view(
    model_admin: admin.ModelAdmin, request: HttpRequest, object_id: int
) -> JsonResponse:
    """A source's exact text and the same text as HTML with its cited passages
    marked: the picker shows the HTML and maps a selection back to offsets in
    `text`."""
    source = _viewable_source(model_admin, request, object_id)
    if isinstance(source, JsonResponse):
        return source
    passages = cited_passages(source)
    return JsonResponse(
        {
            "id": source.pk,
            "title": str(source),
            "text": source.text,
            "html": cited_text(source, passages),
            "citations": [
                {
                    "id": p.citation_id,
                    "start": p.start,
                    "end": p.end,
                    "statement": p.statement_id,
                    "label": p.label,
                }
                for p in passages
            ],
        }
    )


# The fields of a citation row that decide which passage it quotes.
LOCATING_FIELDS = ("source", "quote", "prefix", "suffix", "start")
PreviewForm = modelform_factory(Citation, form=CitationForm, fields=LOCATING_FIELDS)


def locate_quote_view(
    model_admin: admin.ModelAdmin, request: HttpRequest, object_id: int
) -> JsonResponse:
    """Where a citation row's quote is in the source, as saving the row would find
    it: GET quote, prefix, suffix and start as typed, and `citation` (its id) for a
    saved row, whose untouched hints the form treats as stale. 200 with the exact
    passage, its offsets and its context; 400 with the error the save would show."""
    source = _viewable_source(model_admin, request, object_id)
    if isinstance(source, JsonResponse):
        return source
    params = request.GET
    citation = Citation(source=source)
    data = {name: params.get(name, "") for name in LOCATING_FIELDS}
    data["source"] = source.pk
    citation_id = params.get("citation", "").strip()
    if citation_id:
        if not (citation_id.isascii() and citation_id.isdigit()):
            return _json_error(
                400, "citation must be a citation's id.", field="citation"
            )
        citation = Citation.objects.filter(pk=int(citation_id)).first()
        if citation is None:
            return _json_error(404, f"No citation has the id {citation_id}.")
        # The preview is about the passage, not about concurrent edits.
        data["record_version"] = citation.version
    form = PreviewForm(data=data, instance=citation)
    if not form.is_valid():
        field, errors = next(iter(form.errors.items()))
        return _json_error(
            400,
            " ".join(errors),
            field=None if field == NON_FIELD_ERRORS else field,
        )
    located = form.instance
    before, after = quote_context(source.text, located.start, located.end)
    return JsonResponse(
        {
            "quote": located.quote,
            "start": located.start,
            "end": located.end,
            "before": before,
            "after": after,
        }
    )


def source_urls(model_admin: admin.ModelAdmin) -> list[URLPattern]:
    """The picker's JSON views, under the source admin."""
    wrap = model_admin.admin_site.admin_view
    return [
        path(
            "<int:object_id>/text/",
            wrap(partial(source_text_view, model_admin)),
            name="claims_source_text",
        ),
        path(
            "<int:object_id>/locate/",
            wrap(partial(locate_quote_view, model_admin)),
            name="claims_source_locate",
        ),
    ]


# Deleted records ---------------------------------------------------------------------


def _label(model: type[models.Model], record) -> str:
    """What a deleted record was, without following its relations: they may be
    gone too."""
    if model is Source:
        return record.title or f"Untitled {record.get_kind_display()}"
    if model is Citation:
        return (
            f"\u201c{Truncator(record.quote).chars(80)}\u201d "
            f"(source {record.source_id}, statement {record.statement_id})"
        )
    return Truncator(str(record.instance)).chars(120)


def deleted_view(
    model_admin: admin.ModelAdmin, request: HttpRequest, *, status: int = 200
) -> TemplateResponse:
    """The model's deleted records, each with its history and a Restore button."""
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    model = model_admin.model
    records = list(deleted_records(model)[:DELETED_LISTED])
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model._meta,
        "title": f"Deleted {model._meta.verbose_name_plural}",
        "records": records,
        "can_restore": model_admin.has_add_permission(request),
    }
    if model is Statement:
        _add_statement_details(records)
    else:
        for record in records:
            record.label = _label(model, record)
    return TemplateResponse(
        request, "admin/claims/deleted_records.html", context, status=status
    )


def _add_statement_details(records: list) -> None:
    """Each deleted statement's speaker and deleted citations (two queries)."""
    actors = Actor.objects.only("name").in_bulk({r.actor_id for r in records})
    citations = deleted_records(Citation).filter(
        statement_id__in=[r.id for r in records]
    )
    by_statement: dict[int, list] = {}
    for citation in citations:
        by_statement.setdefault(citation.statement_id, []).append(citation)
    for record in records:
        actor = actors.get(record.actor_id)
        record.label = (
            f"{actor.name if actor else f'actor {record.actor_id} (deleted)'} "
            f"{record.get_stance_display()}: {record.summary}"
        )
        record.when = describe_date(record)
        record.deleted_citations = sorted(
            by_statement.get(record.id, []), key=lambda c: (c.source_id, c.start)
        )
        for citation in record.deleted_citations:
            citation.with_statement = (
                record.history_date - DELETED_WITH
                <= citation.history_date
                <= record.history_date
            )
            citation.label = _label(Citation, citation)


def restore_view(
    model_admin: admin.ModelAdmin, request: HttpRequest, object_id: int
) -> HttpResponse:
    """POST: restore a deleted record (a statement with the citations chosen)."""
    if request.method != "POST":
        return HttpResponse("Restore with a POST request.", status=405)
    if not model_admin.has_add_permission(request):
        raise PermissionDenied
    model = model_admin.model
    noun = model._meta.verbose_name
    try:
        if model is Statement:
            restored = restore_statement(
                statement_id=object_id,
                user=request.user,
                citation_ids=_chosen_citations(request),
            )
        else:
            restored = restore_record(model=model, record_id=object_id)
    except PermissionDenied as error:
        model_admin.message_user(request, str(error), level=messages.ERROR)
        return deleted_view(model_admin, request, status=403)
    except (ValidationError, IntegrityError) as error:
        reasons = (
            " ".join(error.messages) if isinstance(error, ValidationError) else error
        )
        model_admin.message_user(
            request,
            f"The {noun} {object_id} was not restored: {reasons}",
            level=messages.ERROR,
        )
        return deleted_view(model_admin, request, status=400)
    model_admin.log_addition(request, restored, f"Restored {noun} from its history.")
    model_admin.message_user(request, f"Restored the {noun} \u201c{restored}\u201d.")
    info = model._meta.app_label, model._meta.model_name
    return HttpResponseRedirect(
        reverse("admin:{}_{}_change".format(*info), args=[restored.pk])
    )


def _chosen_citations(request: HttpRequest) -> list[int]:
    chosen = request.POST.getlist("citation")
    if not all(pk.isascii() and pk.isdigit() for pk in chosen):
        raise ValidationError("citation must be the id of a deleted citation.")
    return [int(pk) for pk in chosen]


def deleted_urls(model_admin: admin.ModelAdmin) -> list[URLPattern]:
    """The "Deleted ..." page and its Restore action, under a model's admin."""
    wrap = model_admin.admin_site.admin_view
    info = model_admin.model._meta.app_label, model_admin.model._meta.model_name
    return [
        path(
            "deleted/",
            wrap(partial(deleted_view, model_admin)),
            name="{}_{}_deleted".format(*info),
        ),
        path(
            "deleted/<int:object_id>/restore/",
            wrap(partial(restore_view, model_admin)),
            name="{}_{}_restore".format(*info),
        ),
    ]
