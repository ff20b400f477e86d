"""The public reading room: server-rendered, read-only pages for readers (GET and
HEAD only).

Published statements only, whoever is logged in: editors read drafts in the admin.
"""

from __future__ import annotations

import operator
from functools import cache, reduce
from urllib.parse import urlencode

from django import forms
from django.contrib.auth.models import AnonymousUser
from django.db.models import F, Prefetch, Q
from django.db.models.expressions import CombinedExpression
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe

from claims import search
from claims.caching import KeptTimeline, code_digest
from claims.exports import EXPORTERS, STYLES
from claims.exports.bibliography import format_reference
from claims.exports.bibtex import bibtex_entry
from claims.models import (
    Actor,
    Affiliation,
    Citation,
    Claim,
    Source,
    Statement,
)
from claims.stances import Stance

from .highlight import Passage, highlight
from .timeline import STANCE_COLOURS, describe_date, render_timeline

READER = AnonymousUser()
LATEST = 10
MOST_ACTIVE = 10
STYLE_LABELS = {"apa": "APA", "chicago-author-date": "Chicago author-date"}


class Links:
    """The public pages' addresses, each of the four patterns reversed once per
    page: a large claim's page links some 1,300 speakers, claims and sources, and
    each reverse() costs tens of microseconds (it asks for the active language
    and the script prefix every time). The keys, slugs and ids, need no quoting."""

    def __init__(self) -> None:
        self._around: dict[str, tuple[str, str]] = {}

    def __call__(self, name: str, key: str | int) -> str:
        if name not in self._around:
            head, _, tail = reverse(name, args=[0]).rpartition("/0/")
            self._around[name] = (f"{head}/", f"/{tail}")
        head, tail = self._around[name]
        return f"{head}{key}{tail}"


def statement_url(statement: Statement, link: Links | None = None) -> str:
    """A statement's permalink: its anchor on its claim's page, else on its
    speaker's page (needs `claim` and `actor` loaded)."""
    link = link or Links()
    if statement.claim_id:
        page = link("public:claim", statement.claim.slug)
    else:
        page = link("public:actor", statement.actor.slug)
    return f"{page}#statement-{statement.pk}"


def _listed(statements: list[Statement]) -> list[Statement]:
    """Give each statement what the statement template shows: its date as precisely
    as known, its links, and links to the statement it answers and to the answers
    listed."""
    link = Links()
    on_page = {s.pk: s for s in statements}
    for statement in statements:
        statement.when = describe_date(statement)
        statement.actor_url = link("public:actor", statement.actor.slug)
        if statement.on_behalf_of_id:
            statement.on_behalf_of_url = link(
                "public:actor", statement.on_behalf_of.slug
            )
        if statement.claim_id:
            statement.claim_url = link("public:claim", statement.claim.slug)
        for name in ("document", "made_in"):
            key = getattr(statement, f"{name}_id")
            setattr(statement, f"{name}_url", key and link("public:source", key))
        for citation in statement.citations.all():
            citation.source_url = link("public:source", citation.source_id)
        answered = statement.responds_to
        statement.answers = None
        # A published answer to a draft must not reveal that the draft exists.
        if answered is not None and answered.status == Statement.Status.PUBLISHED:
            href = (
                f"#statement-{answered.pk}"
                if answered.pk in on_page
                else statement_url(answered, link)
            )
            statement.answers = (answered, href)
        statement.answered_by = []
    for statement in statements:
        if statement.responds_to_id in on_page:
            on_page[statement.responds_to_id].answered_by.append(statement)
    return statements


def _published_statements():
    """Published statements with everything the statement template shows."""
    return (
        Statement.objects.published()
        .for_api()
        .select_related("responds_to__actor", "responds_to__claim")
    )


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    latest = list(
        Statement.objects.published()
        .select_related("actor", "on_behalf_of", "claim")
        .order_by("-made_on", "-pk")[:LATEST]
    )
    link = Links()
    for statement in latest:
        statement.when = describe_date(statement)
        statement.url = statement_url(statement, link)
    active = list(
        Claim.objects.with_stance_counts(READER)
        .annotate(total=_total_statements())
        .filter(total__gt=0)
        .order_by("-total", "slug")[:MOST_ACTIVE]
    )
    for claim in active:
        claim.stances = [
            (label, getattr(claim, f"stance_{value}"))
            for value, label in Stance.choices
            if getattr(claim, f"stance_{value}")
        ]
    return render(
        request, "public/home.html", {"latest": latest, "active_claims": active}
    )


def _total_statements() -> CombinedExpression:
    """The sum of with_stance_counts()'s per-stance counts."""
    return reduce(operator.add, (F(f"stance_{value}") for value in Stance.values))


@require_safe
def claim_detail(request: HttpRequest, slug: str) -> HttpResponse:
    claim = get_object_or_404(Claim.objects.for_api(), slug=slug)
    # As the API's timeline: the statements on the claim and the direct answers to
    # them, oldest first.
    ids = Statement.objects.timeline_ids(claim)
    kept = KeptTimeline.of(request, "page", claim, ids, _page_digest())
    if kept and (response := kept.response(request)):
        return response
    statements = _listed(
        list(_published_statements().filter(pk__in=ids).chronological())
    )
    stances = sorted({s.stance for s in statements}, key=Stance.values.index)
    response = render(
        request,
        "public/claim.html",
        {
            "claim": claim,
            "statements": statements,
            "timeline": mark_safe(  # render_timeline escapes every value
                render_timeline(statements, title=f"Timeline: {claim.text}")
            ),
            "legend": [(Stance(s).label, STANCE_COLOURS[s]) for s in stances],
            "exports": _export_links(claim),
        },
    )
    return kept.keep(response) if kept else response


@cache
def _page_digest() -> str:
    """What else a page is made of: the public pages' code and templates, the
    stance vocabulary and the stylesheet's address (hashed in production)."""
    return code_digest(
        ["public/*.py", "jinja2/public/*.html", "stances.py"],
        static("public/factdb.css"),
    )


def _export_links(claim: Claim) -> list[tuple[str, str]]:
    export = reverse("citation-export")
    links = []
    for name, exporter in EXPORTERS.items():
        styles = STYLES if exporter.styled else [None]
        for style in styles:
            params = {"format": name, "claim": claim.slug}
            label = exporter.label
            if style:
                params["style"] = style
                label = f"{label} ({STYLE_LABELS.get(style, style)})"
            links.append((label, f"{export}?{urlencode(params)}"))
    dossier = reverse("claim-dossier", args=[claim.slug])
    links += [
        ("Dossier, HTML (timeline and bibliography)", f"{dossier}?format=html"),
        ("Dossier, Markdown", f"{dossier}?format=markdown"),
    ]
    return links


@require_safe
def actor_detail(request: HttpRequest, slug: str) -> HttpResponse:
    actor = get_object_or_404(
        Actor.objects.for_api().prefetch_related(
            Prefetch("members", queryset=Affiliation.objects.select_related("person")),
            Prefetch(
                "affiliations",
                queryset=Affiliation.objects.select_related("organisation"),
            ),
        ),
        slug=slug,
    )
    statements = _listed(
        list(
            _published_statements()
            .filter(Q(actor=actor) | Q(on_behalf_of=actor))
            .chronological()
        )
    )
    # Grouped by claim, in the order of each claim's first statement; statements on
    # a document or another statement only, last.
    groups: dict[int | None, list[Statement]] = {}
    for statement in statements:
        groups.setdefault(statement.claim_id, []).append(statement)
    if None in groups:
        groups[None] = groups.pop(None)
    return render(
        request,
        "public/actor.html",
        {
            "actor": actor,
            "statement_count": len(statements),
            "groups": [(group[0].claim, group) for group in groups.values()],
        },
    )


@require_safe
def source_detail(request: HttpRequest, pk: int) -> HttpResponse:
    source = get_object_or_404(
        Source.objects.for_api().select_related("previous_version"), pk=pk
    )
    citations = list(
        Citation.objects.visible_to(READER)
        .filter(source=source)
        .select_related("statement__actor", "statement__claim")
        .order_by("start", "pk")
    )
    link = Links()
    passages = [
        Passage(
            citation_id=c.pk,
            start=c.start,
            end=c.end,
            label=f"{c.statement.actor.name} {c.statement.get_stance_display()}, "
            f"{describe_date(c.statement)}",
            href=statement_url(c.statement, link),
            statement_id=c.statement_id,
        )
        for c in citations
    ]
    about = list(
        Statement.objects.published()
        .filter(Q(document=source) | Q(made_in=source))
        .select_related("actor", "claim")
        .chronological()
    )
    for statement in about:
        statement.when = describe_date(statement)
        statement.url = statement_url(statement, link)
    return render(
        request,
        "public/source.html",
        {
            "source": source,
            "text": highlight(source.text, passages),
            "passages": list(zip(passages, citations, strict=True)),
            "about": [s for s in about if s.document_id == source.pk],
            "made_in": [s for s in about if s.made_in_id == source.pk],
            "later_versions": list(source.later_versions.all()),
            "cite": [
                ("APA", format_reference(source, style="apa", output="html")),
                (
                    "Chicago",
                    format_reference(
                        source, style="chicago-author-date", output="html"
                    ),
                ),
            ],
            "bibtex": bibtex_entry(source, []),
        },
    )


class SearchForm(forms.Form):
    q = forms.CharField(label="Search for", required=False)
    stance = forms.ChoiceField(
        label="Stance", choices=[("", "any stance"), *Stance.choices], required=False
    )
    actor = forms.ModelChoiceField(
        label="Actor (with its bodies and people)",
        queryset=Actor.objects.only("slug", "name"),
        to_field_name="slug",
        empty_label="any actor",
        required=False,
    )
    date_from = forms.DateField(
        label="Said from",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = forms.DateField(
        label="Said until",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def statements(self):
        """Published statements narrowed by the filters."""
        data = self.cleaned_data
        statements = Statement.objects.published()
        if data["stance"]:
            statements = statements.filter(stance=data["stance"])
        if data["actor"]:
            statements = statements.by_actor(data["actor"])
        if data["date_from"]:
            statements = statements.filter(made_on__gte=data["date_from"])
        if data["date_to"]:
            statements = statements.filter(made_on__lte=data["date_to"])
        return statements

    @property
    def filtering(self) -> bool:
        return any(
            self.cleaned_data[f] for f in ("stance", "actor", "date_from", "date_to")
        )


@require_safe
def search_page(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET)
    context = {"form": form, "hits": None, "error": None}
    if not request.GET:
        return render(request, "public/search.html", context)
    if not form.is_valid():
        return render(request, "public/search.html", context, status=400)
    querysets = {"statement": form.statements()}
    if not form.filtering:
        # The filters are about statements: with one set, only statements are found.
        querysets |= {
            "claim": Claim.objects.all(),
            "source": Source.objects.all(),
            "actor": Actor.objects.all(),
        }
    try:
        hits = search.search_all(form.cleaned_data["q"], querysets=querysets)
    except search.SearchQueryError as error:
        context["error"] = str(error)
        return render(request, "public/search.html", context, status=400)
    context["hits"] = _linked(hits)
    return render(request, "public/search.html", context)


def _linked(hits: list[search.SearchHit]) -> list[dict]:
    """Each hit with its page's URL and, for a statement, who said what when."""
    ids = {kind: [h.id for h in hits if h.kind == kind] for kind in search.SEARCHABLE}
    claims = Claim.objects.only("slug").in_bulk(ids["claim"]) if ids["claim"] else {}
    actors = Actor.objects.only("slug").in_bulk(ids["actor"]) if ids["actor"] else {}
    statements = (
        Statement.objects.select_related("actor", "claim").in_bulk(ids["statement"])
        if ids["statement"]
        else {}
    )
    link = Links()
    linked = []
    for hit in hits:
        row = {"hit": hit, "snippet": mark_safe(hit.snippet), "statement": None}
        if hit.kind == "claim":
            row["url"] = link("public:claim", claims[hit.id].slug)
        elif hit.kind == "actor":
            row["url"] = link("public:actor", actors[hit.id].slug)
        elif hit.kind == "source":
            row["url"] = link("public:source", hit.id)
        else:
            statement = statements[hit.id]
            statement.when = describe_date(statement)
            row["url"] = statement_url(statement, link)
            row["statement"] = statement
        linked.append(row)
    return linked
