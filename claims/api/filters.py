"""The questions journalists ask, as django-filter FilterSets.

Every parameter is validated: an unknown stance, slug or id, a malformed or
impossible date or an unknown ordering is a 400 naming the parameter.
"""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db.models import Exists, OuterRef, QuerySet
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema_field

from claims import search
from claims.models import (
    Actor,
    ActorKind,
    Citation,
    Claim,
    Source,
    SourceKind,
    Statement,
    StatementStatus,
    Topic,
    Verification,
)
from claims.search_backends.query import MAX_QUERY_LENGTH
from claims.stances import Stance

ISO_DATE = ["%Y-%m-%d"]
country_code = RegexValidator(
    r"^[A-Za-z]{2}$", "Give a two-letter ISO 3166-1 country code, e.g. CN."
)


@extend_schema_field({"type": "string", "pattern": "^[A-Za-z]{2}$", "example": "CN"})
class CountryFilter(filters.CharFilter):
    """A two-letter ISO 3166-1 code, in any case."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("lookup_expr", "iexact")
        kwargs.setdefault("validators", [country_code])
        super().__init__(**kwargs)


def _unknown(kind: str, key: str = "slug") -> dict[str, str]:
    return {"invalid_choice": f"No {kind} has the {key} %(value)s."}


class ChoiceInFilter(filters.BaseInFilter, filters.ChoiceFilter):
    """A comma-separated list of allowed values: `stance=denies,rejects`."""


class SlugFilter(filters.ModelChoiceFilter):
    def __init__(self, model, kind: str, **kwargs) -> None:
        kwargs.setdefault("queryset", model.objects.all())
        kwargs.setdefault("to_field_name", "slug")
        kwargs.setdefault("error_messages", _unknown(kind))
        super().__init__(**kwargs)


class IdFilter(filters.ModelChoiceFilter):
    def __init__(self, model, kind: str, **kwargs) -> None:
        kwargs.setdefault("queryset", model.objects.all())
        kwargs.setdefault("error_messages", _unknown(kind, "id"))
        super().__init__(**kwargs)


class IsoDateFilter(filters.DateFilter):
    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("input_formats", ISO_DATE)
        kwargs.setdefault(
            "error_messages", {"invalid": "Give an ISO date, YYYY-MM-DD, that exists."}
        )
        super().__init__(**kwargs)


class StableOrderingFilter(filters.OrderingFilter):
    """Ordering with the id as tie-breaker, so pages never overlap or skip."""

    def filter(self, queryset: QuerySet, value: list[str] | None) -> QuerySet:
        queryset = super().filter(queryset, value)
        if value:
            ordering = [self.get_ordering_value(param) for param in value]
            tie_breaker = "-pk" if ordering[0].startswith("-") else "pk"
            queryset = queryset.order_by(*ordering, tie_breaker)
        return queryset


@extend_schema_field({"type": "string", "maxLength": MAX_QUERY_LENGTH})
class SearchQueryFilter(filters.CharFilter):
    """A query in the search language (claims.search)."""


class SearchFilterSet(filters.FilterSet):
    q = SearchQueryFilter(
        method="filter_q",
        label='Full-text search: words, "phrases", OR, -excluded; ranked.',
    )

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return search.search_queryset(queryset, value)


class StatementFilter(SearchFilterSet):
    actor = SlugFilter(
        Actor,
        "actor",
        method="filter_actor",
        label="Actor slug: its statements and those of its sub-bodies and of the "
        "people speaking for it.",
    )
    actor_exact = SlugFilter(
        Actor, "actor", field_name="actor", label="Actor slug: that actor alone."
    )
    actor_kind = filters.ChoiceFilter(
        field_name="actor__kind", choices=ActorKind.choices, label="Kind of speaker."
    )
    country = CountryFilter(
        field_name="actor__country", label="ISO country code of the speaker."
    )
    stance = ChoiceInFilter(
        field_name="stance",
        choices=Stance.choices,
        label="One stance or a comma-separated list.",
    )
    claim = SlugFilter(Claim, "claim", field_name="claim", label="Claim slug.")
    topic = SlugFilter(
        Topic, "topic", field_name="claim__topics", label="Topic slug of the claim."
    )
    document = IdFilter(
        Source,
        "source",
        field_name="document",
        label="Source id the statement is about.",
    )
    made_in = IdFilter(
        Source, "source", field_name="made_in", label="Source id it was made in."
    )
    responds_to = IdFilter(
        Statement,
        "statement",
        # A reader cannot learn that a draft exists by asking for its answers.
        queryset=lambda request: Statement.objects.visible_to(request.user),
        field_name="responds_to",
        label="Statement id: the statements answering it.",
    )
    source = IdFilter(
        Source, "source", method="filter_source", label="Source id cited."
    )
    publisher = SlugFilter(
        Actor,
        "actor",
        method="filter_publisher",
        label="Actor slug of the publisher of a cited source.",
    )
    date_from = IsoDateFilter(
        field_name="made_on", lookup_expr="gte", label="Made on or after (YYYY-MM-DD)."
    )
    date_to = IsoDateFilter(
        field_name="made_on", lookup_expr="lte", label="Made on or before (YYYY-MM-DD)."
    )
    published_from = IsoDateFilter(
        method="filter_published_from",
        label="A cited source was published on or after (YYYY-MM-DD).",
    )
    published_to = IsoDateFilter(
        method="filter_published_to",
        label="A cited source was published on or before (YYYY-MM-DD).",
    )
    status = filters.ChoiceFilter(
        choices=StatementStatus.choices, label="Drafts are visible to editors only."
    )
    quote_status = filters.ChoiceFilter(
        choices=Verification.choices,
        method="filter_quote_status",
        label="A citation has this verification status.",
    )
    ordering = StableOrderingFilter(
        fields=(("made_on", "date"), ("id", "id")),
        label="date, -date, id or -id.",
    )

    class Meta:
        model = Statement
        fields: list[str] = []

    def filter_actor(self, queryset: QuerySet, name: str, value: Actor) -> QuerySet:
        return queryset.by_actor(value, include_affiliates=True)

    @staticmethod
    def _citing(queryset: QuerySet, **lookups) -> QuerySet:
        return queryset.filter(
            Exists(Citation.objects.filter(statement=OuterRef("pk"), **lookups))
        )

    def filter_source(self, queryset: QuerySet, name: str, value: Source) -> QuerySet:
        return self._citing(queryset, source=value)

    def filter_publisher(self, queryset: QuerySet, name: str, value: Actor) -> QuerySet:
        return self._citing(queryset, source__publisher=value)

    def filter_published_from(self, queryset, name, value) -> QuerySet:
        return self._citing(queryset, source__published_on__gte=value)

    def filter_published_to(self, queryset, name, value) -> QuerySet:
        return self._citing(queryset, source__published_on__lte=value)

    def filter_quote_status(self, queryset, name, value) -> QuerySet:
        return self._citing(queryset, verification=value)


class CitationFilter(filters.FilterSet):
    statement = IdFilter(
        Statement,
        "statement",
        # A reader cannot learn that a draft exists by asking for its citations.
        queryset=lambda request: Statement.objects.visible_to(request.user),
        field_name="statement",
    )
    source = IdFilter(Source, "source", field_name="source")
    quote_status = filters.ChoiceFilter(
        field_name="verification", choices=Verification.choices
    )

    class Meta:
        model = Citation
        fields: list[str] = []


class SourceFilter(SearchFilterSet):
    kind = filters.ChoiceFilter(choices=SourceKind.choices)
    publisher = SlugFilter(Actor, "actor", field_name="publisher")
    published_from = IsoDateFilter(field_name="published_on", lookup_expr="gte")
    published_to = IsoDateFilter(field_name="published_on", lookup_expr="lte")

    class Meta:
        model = Source
        fields: list[str] = []


class ActorFilter(SearchFilterSet):
    kind = filters.ChoiceFilter(choices=ActorKind.choices)
    country = CountryFilter()
    parent = SlugFilter(Actor, "actor", field_name="parent")

    class Meta:
        model = Actor
        fields: list[str] = []


class ClaimFilter(SearchFilterSet):
    topic = SlugFilter(Topic, "topic", field_name="topics")

    class Meta:
        model = Claim
        fields: list[str] = []
