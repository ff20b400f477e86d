"""FactDB's domain: who (Actor) took which position (Statement) on what (Claim,
Source), when, in answer to what, backed by exact quotes (Citation).

Speaker, principal, reporting outlet and document stay four separate things: a
statement's `actor` spoke, on behalf of `on_behalf_of`; a citation's source was
published by its `publisher`; a statement may target a `document`.
"""

from __future__ import annotations

import hashlib
from datetime import date

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length
from django.utils import timezone

from . import quotes
from .stances import Stance


def can_see_drafts(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Editors (who may change statements) see drafts; readers see published ones."""
    return user.is_authenticated and user.has_perm("claims.change_statement")


wikidata_id_validator = RegexValidator(
    r"^Q[1-9][0-9]*$", "A Wikidata id looks like Q148."
)
country_code_validator = RegexValidator(
    r"^[A-Z]{2}$", "Use the two-letter ISO 3166-1 code in capitals, e.g. CN."
)


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class Topic(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ActorQuerySet(models.QuerySet):
    def with_descendants(self, actor: Actor) -> ActorQuerySet:
        """The actor, its sub-bodies at any depth, and the people affiliated to them."""
        ids = {actor.pk}
        frontier = {actor.pk}
        while frontier:
            frontier = (
                set(
                    Actor.objects.filter(parent__in=frontier).values_list(
                        "pk", flat=True
                    )
                )
                - ids
            )
            ids |= frontier
        people = Affiliation.objects.filter(organisation__in=ids).values_list(
            "person", flat=True
        )
        return self.filter(Q(pk__in=ids) | Q(pk__in=people))

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


class Actor(TimeStampedModel):
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


class ActorAlias(models.Model):
    """Another name or spelling of an actor: "Beijing", "Uighurs", "OHCHR"."""

    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=200)

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


class AffiliationQuerySet(models.QuerySet):
    def current_on(self, day: date) -> AffiliationQuerySet:
        return self.filter(
            Q(start_date__isnull=True) | Q(start_date__lte=day),
            Q(end_date__isnull=True) | Q(end_date__gte=day),
        )


class Affiliation(models.Model):
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


class SourceKind(models.TextChoices):
    NEWS_ARTICLE = "news_article", "news article"
    REPORT = "report", "report"
    PRESS_BRIEFING = "press_briefing", "press briefing"
    PRESS_RELEASE = "press_release", "press release"
    SOCIAL_MEDIA_POST = "social_media_post", "social-media post"
    VIDEO = "video", "video"
    LETTER = "letter", "letter"
    OTHER = "other", "other"


class SourceQuerySet(models.QuerySet):
    def for_api(self) -> SourceQuerySet:
        return self.select_related("publisher", "author")

    def latest_versions(self) -> SourceQuerySet:
        """Sources no later version replaces."""
        return self.filter(later_versions__isnull=True)


class Source(TimeStampedModel):
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
        Citation.objects.bulk_update(citations, ["prefix", "suffix"])

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


class ClaimQuerySet(models.QuerySet):
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


class Claim(TimeStampedModel):
    """A contested proposition, stated neutrally in one sentence."""

    slug = models.SlugField(max_length=200, unique=True)
    text = models.CharField(
        max_length=500, help_text="The proposition, neutrally worded, in one sentence."
    )
    description = models.TextField(blank=True)
    topics = models.ManyToManyField(Topic, blank=True, related_name="claims")

    objects = ClaimQuerySet.as_manager()

    class Meta:
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.text


class StatementQuerySet(models.QuerySet):
    def published(self) -> StatementQuerySet:
        return self.filter(status=Statement.Status.PUBLISHED)

    def by_actor(self, actor: Actor, *, include_affiliates: bool = True):
        """Statements of an actor; with affiliates, also its sub-bodies and people."""
        if not include_affiliates:
            return self.filter(actor=actor)
        actors = Actor.objects.with_descendants(actor)
        return self.filter(Q(actor__in=actors) | Q(on_behalf_of__in=actors))

    def chronological(self) -> StatementQuerySet:
        return self.order_by(F("made_on").asc(nulls_last=True), "pk")

    def visible_to(self, user: AbstractBaseUser | AnonymousUser) -> StatementQuerySet:
        """Drafts are for editors; everyone else sees published statements only."""
        return self if can_see_drafts(user) else self.published()

    def for_api(self) -> StatementQuerySet:
        """Everything a statement's API representation reads, in three queries."""
        return self.select_related(
            "actor",
            "on_behalf_of",
            "claim",
            "document__publisher",
            "made_in__publisher",
        ).prefetch_related(
            models.Prefetch(
                "citations",
                queryset=Citation.objects.select_related("source__publisher"),
            )
        )


class DatePrecision(models.TextChoices):
    DAY = "day", "day"
    MONTH = "month", "month"
    YEAR = "year", "year"
    APPROXIMATE = "approximate", "approximate"
    ON_OR_BEFORE = "on_or_before", "on or before"


class StatementStatus(models.TextChoices):
    DRAFT = "draft", "draft"
    PUBLISHED = "published", "published"


class Statement(TimeStampedModel):
    """One act of one actor taking a position on a claim, a document or a statement.

    The findings of a report are statements of its author `made_in` the report, so a
    response can target a single finding.
    """

    DatePrecision = DatePrecision

    Status = StatementStatus

    Stance = Stance

    actor = models.ForeignKey(
        Actor,
        on_delete=models.PROTECT,
        related_name="statements",
        help_text="The speaker.",
    )
    on_behalf_of = models.ForeignKey(
        Actor,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="statements_on_behalf",
        help_text="The principal; left empty, it defaults to the organisation the "
        "speaker held a role at on that date.",
    )
    stance = models.CharField(max_length=30, choices=Stance.choices)
    claim = models.ForeignKey(
        Claim,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="statements",
    )
    document = models.ForeignKey(
        Source,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="statements_about",
        help_text="The document the statement is about (the UN assessment, when a "
        "government rejects it).",
    )
    made_in = models.ForeignKey(
        Source,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="statements_made",
        help_text="The document in which the statement was made: the assessment for "
        "its findings, a press release, a letter. Not the article reporting it.",
    )
    responds_to = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="responses",
    )
    made_on = models.DateField(
        help_text="When the statement was made, as precisely as the sources allow."
    )
    date_precision = models.CharField(
        max_length=20,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
        help_text="month/year: only that part of the date is known; on or before: "
        "the statement was made by that date (an ongoing position).",
    )
    context = models.CharField(
        max_length=300, blank=True, help_text="e.g. regular press briefing"
    )
    summary = models.CharField(
        max_length=300, help_text="An editor's one-line summary."
    )
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.DRAFT
    )

    objects = StatementQuerySet.as_manager()

    class Meta:
        ordering = ["made_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(stance__in=Stance.values), name="statement_stance_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=StatementStatus.values),
                name="statement_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(date_precision__in=DatePrecision.values),
                name="statement_date_precision_valid",
            ),
            models.CheckConstraint(
                condition=Q(claim__isnull=False)
                | Q(document__isnull=False)
                | Q(responds_to__isnull=False),
                name="statement_has_target",
                violation_error_message="A statement needs a target: a claim, a "
                "document, or the statement it responds to.",
            ),
            models.CheckConstraint(
                condition=~Q(responds_to=F("id")), name="statement_not_own_response"
            ),
        ]
        indexes = [
            # A claim's timeline; statements of an actor in date order.
            models.Index(fields=["claim", "made_on"], name="statement_claim_date_idx"),
            models.Index(fields=["actor", "made_on"], name="statement_actor_date_idx"),
            # Published-only lists filtered by stance.
            models.Index(
                fields=["status", "stance"], name="statement_status_stance_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.actor} {self.get_stance_display()}: {self.summary}"

    @property
    def target_label(self) -> str:
        return str(self.claim or self.document or self.responds_to or "")

    def clean(self) -> None:
        if self.responds_to_id and self.pk and self.responds_to_id == self.pk:
            raise ValidationError({"responds_to": "A statement cannot answer itself."})
        if self.on_behalf_of_id is None and self.actor_id and self.made_on:
            self.on_behalf_of = self.default_principal()

    def default_principal(self) -> Actor | None:
        """The organisation the speaker held a role at on the statement's date."""
        affiliation = (
            Affiliation.objects.filter(person_id=self.actor_id)
            .current_on(self.made_on)
            .select_related("organisation")
            .first()
        )
        return affiliation.organisation if affiliation else None


class CitationQuerySet(models.QuerySet):
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


class Citation(TimeStampedModel):
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
