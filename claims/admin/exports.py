"""The admin's "Export citations…" action: an intermediate page choosing the format
and style, then the download, through the same exporters as the API."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import admin
from django.contrib.admin import helpers
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone

from claims import exports
from claims.models import Statement, can_see_drafts


class ExportCitationsForm(forms.Form):
    format = forms.ChoiceField(
        choices=[(name, cls.label) for name, cls in exports.EXPORTERS.items()]
    )
    style = forms.ChoiceField(
        choices=[(name, name) for name in exports.STYLES],
        initial=exports.DEFAULT_STYLE,
        help_text="For the formatted bibliographies (text, HTML, Markdown).",
    )


def export_citations_action(
    statements_of: Callable[[QuerySet], QuerySet[Statement]],
) -> Callable:
    """An admin action exporting the citations of `statements_of(selected)`, drafts
    included only for users who may see them."""

    @admin.action(description="Export citations\u2026")
    def export_citations(
        modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet
    ) -> HttpResponse:
        form = ExportCitationsForm(request.POST if "export" in request.POST else None)
        if form.is_valid():
            exporter = exports.exporter(
                form.cleaned_data["format"], style=form.cleaned_data["style"]
            )
            statements = statements_of(queryset.order_by().values("pk")) & (
                Statement.objects.visible_to(request.user)
            )
            response = StreamingHttpResponse(
                exporter.stream(statements), content_type=exporter.media_type
            )
            filename = exporter.filename(timezone.localdate())
            response["Content-Disposition"] = f'attachment; filename="{filename}"'
            return response
        select_across = request.POST.get("select_across") == "1"
        context = {
            **modeladmin.admin_site.each_context(request),
            "title": "Export citations",
            "opts": modeladmin.model._meta,
            "form": form,
            "count": queryset.count(),
            # Select-across re-selects through the changelist's filters, not ids.
            "selected": () if select_across else queryset.values_list("pk", flat=True),
            "select_across": select_across,
            "can_see_drafts": can_see_drafts(request.user),
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/claims/export_citations.html", context)

    return export_citations


export_statement_citations = export_citations_action(
    lambda selected: Statement.objects.filter(pk__in=selected)
)
export_claim_citations = export_citations_action(
    lambda selected: Statement.objects.filter(claim__in=selected)
)
