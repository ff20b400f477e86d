"""Citations: exact quotes at known offsets in a source's text."""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length
from django.utils import timezone
from simple_history.models import HistoricalRecords

from claims import quotes
from claims.history import HistoryQuerySet

from .base import TimeStampedModel, can_see_drafts
from .sources import Source
from .statements import Statement, StatementStatus
from .versioning import VersionedModel


class CitationQuerySet(HistoryQuerySet):
    def visible_to(self, user: AbstractBaseUser | AnonymousUser) -> CitationQuerySet:
        """Citations of draft statements are for editors only."""
        if can_see_drafts(user):
            return self
        return self.filter(statement__status=StatementStatus.PUBLISHED)

    def for_api(self) -> CitationQuerySet:
        return self.select_related("source__publisher", "statement__actor")


class QuoteKind(models.TextChoices):
    DIRECT = "direct", "the actor's own words"
    REPORTED = "reported", "the source's report of them"


class Verification(models.TextChoices):
    VERIFIED = quotes.VERIFIED, "verified"
    AMBIGUOUS = quotes.AMBIGUOUS, "ambiguous"
    DRIFTED = quotes.DRIFTED, "drifted"
    ORPHANED = quotes.ORPHANED, "orphaned"


class Citation(TimeStampedModel, VersionedModel):
    """An exact quote at known offsets in a source's text that backs a statement.

    Modelled on the W3C Web Annotation TextQuoteSelector (quote, prefix, suffix) and
    TextPositionSelector (start, end). The quote is always the exact source
    substring: `clean()` locates what an editor pasted and stores what the source says.
    """

    QuoteKind = QuoteKind

    Verification = Verification

    statement = models.ForeignKey(
        Statement, on_delete=models.CASCADE, related_name="citations"
    )
    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, related_name="citations"
    )
    quote = models.TextField(
        help_text="Paste the passage; it is located in the source ignoring quote "
        "marks, dashes and whitespace, and stored exactly as the source has it."
    )
    start = models.PositiveIntegerField(
        help_text="Offset of the first character in the source text."
    )
    end = models.PositiveIntegerField(help_text="Offset just after the last character.")
    prefix = models.CharField(max_length=quotes.CONTEXT_WIDTH, blank=True)
    suffix = models.CharField(max_length=quotes.CONTEXT_WIDTH, blank=True)
    quote_kind = models.CharField(
        max_length=10, choices=QuoteKind.choices, default=QuoteKind.REPORTED
    )
    attribution = models.CharField(
        max_length=300,
        blank=True,
        help_text="How the source names the speaker: "
        "\u201cChinese Foreign Ministry Spokesman Wang Wenbin\u201d.",
    )
    translation = models.TextField(blank=True)
    translator = models.CharField(max_length=200, blank=True)
    verification = models.CharField(
        max_length=10, choices=Verification.choices, default=Verification.VERIFIED
    )
    verified_at = models.DateTimeField(null=True, blank=True)

    objects = CitationQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["source_id", "start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=F("start")), name="citation_offsets_ordered"
            ),
            models.CheckConstraint(
                condition=Q(end=F("start") + Length("quote")),
                name="citation_offsets_match_quote_length",
            ),
            models.CheckConstraint(
                condition=Q(verification__in=Verification.values),
                name="citation_verification_valid",
            ),
            models.CheckConstraint(
                condition=Q(quote_kind__in=QuoteKind.values),
                name="citation_quote_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(translation="") | ~Q(translator=""),
                name="citation_translation_has_translator",
            ),
            models.UniqueConstraint(
                fields=["statement", "source", "start", "end"],
                name="citation_unique_passage_per_statement",
            ),
        ]
        indexes = [
            # A source's cited passages in text order (highlighting, text-change guard).
            models.Index(fields=["source", "start"], name="citation_source_start_idx"),
        ]

    def __str__(self) -> str:
        return f"\u201c{self.quote[:80]}\u201d ({self.source})"

    def clean(self) -> None:
        """Locate the pasted quote in the source and store the exact passage."""
        if not self.source_id or not self.quote:
            return
        text = self.source.text
        if not text:
            raise ValidationError(
                {"source": "This source has no stored text to quote from yet."}
            )
        if self.holds_in(text):
            # Already the exact passage: keep it where it is, even if the text
            # around it changed since (an allowed edit elsewhere in the source).
            self.refresh_context(text)
        else:
            self._locate_in(text)
        self.verification = self.Verification.VERIFIED
        self.verified_at = timezone.now()

    def holds_in(self, text: str) -> bool:
        """Whether this citation's quote is exactly `text` between its offsets."""
        if self.start is None or self.end is None or not self.quote:
            return False
        return text[self.start : self.end] == self.quote

    def refresh_context(self, text: str) -> None:
        self.prefix, self.suffix = quotes.context_around(text, self.start, self.end)

    def _locate_in(self, text: str) -> None:
        try:
            match = quotes.locate_quote(
                text,
                self.quote,
                prefix=self.prefix,
                suffix=self.suffix,
                start=self.start,
            )
        except quotes.QuoteError as error:
            raise ValidationError({"quote": str(error)}) from error
        self.quote, self.start, self.end = match.quote, match.start, match.end
        self.prefix, self.suffix = match.prefix, match.suffix

    def check_against_source(self) -> str:
        """Re-verify against the current source text; the status, not yet saved."""
        return quotes.verify_quote(
            self.source.text,
            self.quote,
            self.start,
            self.end,
            prefix=self.prefix,
            suffix=self.suffix,
        )
