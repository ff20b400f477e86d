"""Topics and claims: the contested propositions statements take a stance on."""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.db.models import Q
from django.db.models.signals import pre_delete
from django.dispatch import receiver
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record

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


class TopicsWhenDeleted(models.Model):
    """The ids of a claim's topics on the history row of its deletion:
    django-simple-history does not record many-to-many fields, and a claim restored
    from that row gets its topics back (claims.services.restore_record)."""

    topic_ids = models.JSONField(default=list, blank=True)

    class Meta:
        abstract = True


class Claim(TimeStampedModel, VersionedModel):
    """A contested proposition, stated neutrally in one sentence."""

    slug = models.SlugField(max_length=200, unique=True)
    text = models.CharField(
        max_length=500, help_text="The proposition, neutrally worded, in one sentence."
    )
    description = models.TextField(blank=True)
    topics = models.ManyToManyField(Topic, blank=True, related_name="claims")

    objects = ClaimQuerySet.as_manager()

    history = HistoricalRecords(bases=[TopicsWhenDeleted])

    class Meta:
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.text


@receiver(pre_delete, sender=Claim, dispatch_uid="claims.remember_topics")
def _remember_topics(sender: type[Claim], instance: Claim, **kwargs) -> None:
    # Before Django deletes the rows linking the claim to its topics.
    instance._topic_ids_when_deleted = list(
        instance.topics.order_by("pk").values_list("pk", flat=True)
    )


@receiver(pre_create_historical_record, dispatch_uid="claims.record_topics")
def _record_topics_when_deleted(
    sender: type, instance: models.Model, history_instance: models.Model, **kwargs
) -> None:
    if isinstance(instance, Claim) and history_instance.history_type == "-":
        history_instance.topic_ids = getattr(instance, "_topic_ids_when_deleted", [])
