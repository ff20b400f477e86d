"""Topics and claims: the contested propositions statements take a stance on."""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from claims.history import HistoryQuerySet
from claims.stances import Stance

from .base import TimeStampedModel, can_see_drafts
from .statements import StatementStatus
from .versioning import VersionedModel


class Topic(VersionedModel):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True)

    # Bulk updates record their history too (claims.history).
    objects = HistoryQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ClaimQuerySet(HistoryQuerySet):
    def with_stance_counts(
        self, user: AbstractBaseUser | AnonymousUser
    ) -> ClaimQuerySet:
        """Annotate `stance_<value>` counts of the statements `user` may see."""
        visible = (
            Q()
            if can_see_drafts(user)
            else Q(statements__status=StatementStatus.PUBLISHED)
        )
        return self.annotate(
            **{
                f"stance_{stance}": models.Count(
                    "statements", filter=visible & Q(statements__stance=stance)
                )
                for stance in Stance.values
            }
        )

    def for_api(self) -> ClaimQuerySet:
        return self.prefetch_related("topics")


class Claim(TimeStampedModel, VersionedModel):
    """A contested proposition, stated neutrally in one sentence."""

    slug = models.SlugField(max_length=200, unique=True)
    text = models.CharField(
        max_length=500, help_text="The proposition, neutrally worded, in one sentence."
    )
    description = models.TextField(blank=True)
    topics = models.ManyToManyField(Topic, blank=True, related_name="claims")

    objects = ClaimQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.text
