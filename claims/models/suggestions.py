"""Statement suggestions: what the suggester proposes from an imported source."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length

from claims import quotes
from claims.stances import Stance

from .actors import Actor
from .base import TimeStampedModel
from .citations import QuoteKind
from .claims import Claim
from .sources import Source
from .statements import Statement


class SuggestionStatus(models.TextChoices):
    PENDING = "pending", "pending"
    ACCEPTED = "accepted", "accepted"
    DISCARDED = "discarded", "discarded"


class StatementSuggestionQuerySet(models.QuerySet):
    def pending(self) -> StatementSuggestionQuerySet:
        return self.filter(status=SuggestionStatus.PENDING)

    def for_review(self) -> StatementSuggestionQuerySet:
        """Every relation a suggestion's row or representation prints."""
        return self.select_related(
            "source__publisher", "actor", "on_behalf_of", "claim", "statement"
        )


class StatementSuggestion(TimeStampedModel):
    """A candidate statement the suggester found in an imported source: a draft for
    an editor to accept (creating a draft Statement and its Citation), edit or
    discard. Nothing here is published."""

    Status = SuggestionStatus

    Stance = Stance

    QuoteKind = QuoteKind

    source = models.ForeignKey(
        Source, on_delete=models.CASCADE, related_name="suggestions"
    )
    attribution = models.CharField(
        max_length=300,
        help_text="How the source names the speaker here: \u201cthe ambassador\u201d, "
        "\u201che\u201d, \u201cChinese Foreign Ministry Spokesman Wang Wenbin\u201d.",
    )
    speaker = models.CharField(
        max_length=300,
        blank=True,
        help_text="The name the attribution refers to (a pronoun or title resolved "
        "to the named speaker it refers back to).",
    )
    cue = models.CharField(
        max_length=100,
        blank=True,
        help_text="The words that mark the attribution: \u201crejected\u201d, "
        "\u201csaid\u201d, \u201caccording to\u201d.",
    )
    actor = models.ForeignKey(
        Actor,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="suggestions",
        help_text="The known actor the speaker was matched to; empty when none "
        "matched (choose one before accepting).",
    )
    on_behalf_of = models.ForeignKey(
        Actor,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="suggestions_on_behalf",
    )
    stance = models.CharField(max_length=30, choices=Stance.choices)
    claim = models.ForeignKey(
        Claim,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="suggestions",
    )
    quote = models.TextField(help_text="The exact source passage.")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    quote_kind = models.CharField(
        max_length=10, choices=QuoteKind.choices, default=QuoteKind.REPORTED
    )
    confidence = models.FloatField(
        help_text="0 to 1: how sure the suggester is of the speaker and stance."
    )
    status = models.CharField(
        max_length=10,
        choices=SuggestionStatus.choices,
        default=SuggestionStatus.PENDING,
    )
    statement = models.ForeignKey(
        Statement,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="suggestions",
        help_text="The draft statement created when the suggestion was accepted.",
    )

    objects = StatementSuggestionQuerySet.as_manager()

    class Meta:
        ordering = ["source_id", "start", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=F("start")), name="suggestion_offsets_ordered"
            ),
            models.CheckConstraint(
                condition=Q(end=F("start") + Length("quote")),
                name="suggestion_offsets_match_quote_length",
            ),
            models.CheckConstraint(
                condition=Q(stance__in=Stance.values), name="suggestion_stance_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=SuggestionStatus.values),
                name="suggestion_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(quote_kind__in=QuoteKind.values),
                name="suggestion_quote_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(confidence__gte=0) & Q(confidence__lte=1),
                name="suggestion_confidence_0_to_1",
            ),
        ]
        indexes = [
            # A source's suggestions by status (review in the admin and the API).
            models.Index(fields=["source", "status"], name="suggestion_source_idx"),
        ]

    def __str__(self) -> str:
        who = self.actor.name if self.actor_id else self.speaker or self.attribution
        return f"{who} {self.get_stance_display()}: \u201c{self.quote[:60]}\u201d"

    def clean(self) -> None:
        if not self.source_id or not self.quote or self.start is None:
            return
        status = quotes.verify_quote(self.source.text, self.quote, self.start, self.end)
        if status != quotes.VERIFIED:
            raise ValidationError(
                {"quote": "The quote is not the source text at these offsets."}
            )
