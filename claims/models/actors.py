"""Actors (who speaks or is spoken of), their aliases and the roles people hold."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import connections, models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from claims.history import HistoryQuerySet

from .base import TimeStampedModel, country_code_validator, wikidata_id_validator
from .versioning import VersionedModel


class ActorQuerySet(HistoryQuerySet):
    def with_descendants(self, actor: Actor) -> ActorQuerySet:
        """The actor, its sub-bodies at any depth, and the people affiliated to them."""
        return self.filter(pk__in=self.descendant_ids(actor))

    def descendant_ids(self, actor: Actor) -> list[int]:
        """The ids of with_descendants(), in one query however deep the hierarchy."""
        quote = connections[self.db].ops.quote_name
        actors, roles = quote(Actor._meta.db_table), quote(Affiliation._meta.db_table)
        # UNION, not UNION ALL: an id found again is dropped, so a cycle ends the walk.
        sql = f"""
            WITH RECURSIVE tree(id) AS (
                SELECT id FROM {actors} WHERE id = %s
                UNION SELECT a.id FROM {actors} a JOIN tree ON a.parent_id = tree.id
            )
            SELECT id FROM tree UNION
            SELECT person_id FROM {roles} WHERE organisation_id IN (SELECT id FROM tree)
        """
        with connections[self.db].cursor() as cursor:
            cursor.execute(sql, [actor.pk])
            return [row[0] for row in cursor.fetchall()]

    def for_api(self) -> ActorQuerySet:
        return self.select_related("parent").prefetch_related("children", "aliases")

    def named(self, name: str) -> ActorQuerySet:
        """Actors whose name or one of whose aliases is `name` (any letter case)."""
        name = name.strip()
        aliased = ActorAlias.objects.filter(name__iexact=name).values("actor")
        return self.filter(Q(name__iexact=name) | Q(pk__in=aliased))

    def for_matching(self) -> ActorQuerySet:
        """Everything the suggester matches a speaker against: names, aliases,
        roles held and the parent of each actor, in three queries."""
        return self.select_related("parent").prefetch_related(
            "aliases",
            models.Prefetch(
                "affiliations",
                queryset=Affiliation.objects.select_related("organisation"),
            ),
        )


class ActorKind(models.TextChoices):
    STATE = "state", "state"
    GOVERNMENT_BODY = "government_body", "government body"
    DIPLOMATIC_MISSION = "diplomatic_mission", "diplomatic mission"
    UN_BODY = "un_body", "UN body"
    INTERGOVERNMENTAL_ORGANISATION = (
        "intergovernmental_organisation",
        "intergovernmental organisation",
    )
    MEDIA_OUTLET = "media_outlet", "media outlet"
    NGO = "ngo", "NGO"
    PERSON = "person", "person"
    GROUP = "group", "group"


class Actor(TimeStampedModel, VersionedModel):
    """A government, ministry, mission, UN body, outlet, NGO, person or group."""

    Kind = ActorKind

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.CharField(max_length=40, choices=Kind.choices)
    country = models.CharField(
        max_length=2,
        blank=True,
        validators=[country_code_validator],
        help_text="ISO 3166-1 alpha-2 code of the country the actor belongs to.",
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        help_text="The body this one is part of (the Foreign Ministry is part of "
        "the Government of China).",
    )
    description = models.TextField(blank=True)
    wikidata_id = models.CharField(
        "Wikidata id", max_length=20, blank=True, validators=[wikidata_id_validator]
    )

    objects = ActorQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ActorKind.values), name="actor_kind_valid"
            ),
            models.CheckConstraint(
                condition=~Q(parent=F("id")), name="actor_not_own_parent"
            ),
        ]
        indexes = [
            # Actor lists filtered by kind and country (admin filters, API ?kind=).
            models.Index(fields=["kind", "country"], name="actor_kind_country_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk == self.pk:
                raise ValidationError({"parent": "An actor cannot be part of itself."})
            ancestor = ancestor.parent


class ActorAlias(VersionedModel):
    """Another name or spelling of an actor: "Beijing", "Uighurs", "OHCHR"."""

    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=200)

    # Bulk updates record their history too (claims.history).
    objects = HistoryQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "actor aliases"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["actor", "name"], name="alias_unique_per_actor"
            )
        ]
        indexes = [
            # Matching a name in a text to an actor by alias (import, search).
            models.Index(fields=["name"], name="alias_name_idx"),
        ]

    def __str__(self) -> str:
        return self.name


class AffiliationQuerySet(HistoryQuerySet):
    def current_on(self, day: date) -> AffiliationQuerySet:
        return self.filter(
            Q(start_date__isnull=True) | Q(start_date__lte=day),
            Q(end_date__isnull=True) | Q(end_date__gte=day),
        )


class Affiliation(VersionedModel):
    """A person holds a role at an organisation over a period."""

    person = models.ForeignKey(
        Actor, on_delete=models.CASCADE, related_name="affiliations"
    )
    organisation = models.ForeignKey(
        Actor, on_delete=models.PROTECT, related_name="members"
    )
    role = models.CharField(max_length=200)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)

    objects = AffiliationQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["person__name", "start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="affiliation_period_ordered",
            ),
            models.CheckConstraint(
                condition=~Q(person=F("organisation")), name="affiliation_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person}, {self.role}, {self.organisation}"

    def clean(self) -> None:
        if self.person_id and self.person.kind != Actor.Kind.PERSON:
            raise ValidationError({"person": "Only a person holds a role."})
        if self.organisation_id and self.organisation.kind == Actor.Kind.PERSON:
            raise ValidationError(
                {"organisation": "A role is held at an organisation."}
            )
