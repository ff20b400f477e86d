"""Sources: the documents, with their verbatim text, that citations quote."""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from claims.history import HistoryQuerySet

from .actors import Actor
from .base import TimeStampedModel
from .versioning import VersionedModel

if TYPE_CHECKING:
    from .citations import Citation


class SourceKind(models.TextChoices):
    NEWS_ARTICLE = "news_article", "news article"
    REPORT = "report", "report"
    PRESS_BRIEFING = "press_briefing", "press briefing"
    PRESS_RELEASE = "press_release", "press release"
    SOCIAL_MEDIA_POST = "social_media_post", "social-media post"
    VIDEO = "video", "video"
    LETTER = "letter", "letter"
    OTHER = "other", "other"


class SourceQuerySet(HistoryQuerySet):
    def for_api(self) -> SourceQuerySet:
        return self.select_related("publisher", "author")

    def latest_versions(self) -> SourceQuerySet:
        """Sources no later version replaces."""
        return self.filter(later_versions__isnull=True)


class Source(TimeStampedModel, VersionedModel):
    """A document: an article, a report, a briefing, a post.

    The verbatim text is optional (a report the corpus only refers to has none yet)
    and, once cited, can only change in ways that keep every citation true.
    """

    Kind = SourceKind

    kind = models.CharField(max_length=30, choices=Kind.choices)
    title = models.CharField(
        max_length=500,
        blank=True,
        help_text="As published; leave empty when the document has none.",
    )
    publisher = models.ForeignKey(
        Actor,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="published_sources",
        help_text="The outlet or body that published it; empty when unknown.",
    )
    byline = models.CharField(max_length=300, blank=True)
    author = models.ForeignKey(
        Actor,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="authored_sources",
        help_text="The actor who wrote it, when not the publisher's journalist "
        "(OHCHR for its assessment).",
    )
    dateline = models.CharField(
        max_length=300, blank=True, help_text="The dateline as printed."
    )
    published_on = models.DateField(null=True, blank=True)
    published_time = models.TimeField(
        null=True, blank=True, help_text="As printed; the time zone is not known."
    )
    url = models.URLField("URL", max_length=1000, blank=True)
    archive_url = models.URLField("archive URL", max_length=1000, blank=True)
    accessed_on = models.DateField(null=True, blank=True)
    language = models.CharField(max_length=35, default="en", help_text="BCP 47 tag.")
    text = models.TextField(blank=True, help_text="The verbatim text, if stored.")
    text_sha256 = models.CharField("SHA-256 of the text", max_length=64, editable=False)
    notes = models.TextField(blank=True, help_text="Editorial notes on the metadata.")
    previous_version = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="later_versions",
        help_text="The earlier text of the same document (same URL), kept unchanged "
        "with its citations when a changed text was imported.",
    )

    objects = SourceQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["-published_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=SourceKind.values), name="source_kind_valid"
            ),
        ]
        indexes = [
            # Source lists filtered by publisher and ordered by date.
            models.Index(
                fields=["publisher", "published_on"], name="source_publisher_date_idx"
            ),
            # Import: is this text already stored (same hash)?
            models.Index(fields=["text_sha256"], name="source_text_sha256_idx"),
            # Import: the versions of the document at a URL.
            models.Index(fields=["url"], name="source_url_idx"),
        ]

    def __str__(self) -> str:
        if self.title:
            return self.title
        described = ", ".join(
            part
            for part in [
                self.get_kind_display(),
                str(self.publisher) if self.publisher_id else "",
                self.published_on.isoformat() if self.published_on else "",
            ]
            if part
        )
        return f"Untitled ({described})"

    def save(self, *args, **kwargs) -> None:
        self.text_sha256 = self.hash_text(self.text)
        # Refused on every code path, not only in forms: a citation must stay true.
        # (The database triggers of claims.integrity refuse it even for raw SQL.)
        citations = self._citations_if_text_changed()
        broken = [c for c in citations if not c.holds_in(self.text)]
        if broken:
            raise ValidationError({"text": _broken_citations_message(broken)})
        super().save(*args, **kwargs)
        for citation in citations:
            citation.refresh_context(self.text)
        self.citations.model.objects.bulk_update(citations, ["prefix", "suffix"])

    @staticmethod
    def hash_text(text: str) -> str:
        return hashlib.sha256(text.encode("utf-8")).hexdigest() if text else ""

    def _citations_if_text_changed(self) -> list[Citation]:
        """This source's saved citations, if its text differs from the stored one."""
        if self.pk is None:
            return []
        stored_hash = (
            Source.objects.filter(pk=self.pk)
            .values_list("text_sha256", flat=True)
            .first()
        )
        if stored_hash in (None, self.hash_text(self.text)):
            return []
        return list(self.citations.all())

    def clean(self) -> None:
        broken = [
            c for c in self._citations_if_text_changed() if not c.holds_in(self.text)
        ]
        if broken:
            raise ValidationError({"text": _broken_citations_message(broken)})


def _broken_citations_message(broken: list[Citation]) -> str:
    listed = "; ".join(f"#{c.pk} \u201c{c.quote[:60]}\u201d" for c in broken[:5])
    return (
        f"This change would break {len(broken)} citation(s) of this source: {listed}. "
        "Cited passages must stay exactly where they are."
    )
