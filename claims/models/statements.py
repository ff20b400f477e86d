"""Statements: one actor taking a position, when, in answer to what."""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import connections, models
from django.db.models import F, OuterRef, Q
from simple_history.models import HistoricalRecords

from claims.history import HistoryQuerySet
from claims.stances import STANCE_LABELS, Stance

from .actors import Actor, Affiliation
from .base import TimeStampedModel, can_see_drafts
from .sources import Source
from .versioning import VersionedModel

# A chain of answers longer than this is a cycle: its walk up stops there.
MAX_THREAD_DEPTH = 1000


class StatementQuerySet(HistoryQuerySet):
    def published(self) -> StatementQuerySet:
        return self.filter(status=Statement.Status.PUBLISHED)

    def by_actor(self, actor: Actor, *, include_affiliates: bool = True):
        """Statements of an actor; with affiliates, also its sub-bodies and people."""
        if not include_affiliates:
            return self.filter(actor=actor)
        # Ids, not a subquery: PostgreSQL answers an OR of two id lists with two
        # index scans, and an OR of two subqueries by reading every statement.
        actors = Actor.objects.descendant_ids(actor)
        return self.filter(Q(actor__in=actors) | Q(on_behalf_of__in=actors))

    def in_timeline_of(self, claim: models.Model) -> StatementQuerySet:
        """The statements on `claim` and the direct answers to them.

        Their ids are read first, in one query (a UNION of two index lookups): with
        `Q(claim=claim) | Q(responds_to__claim=claim)`, or with the UNION as a
        subquery behind for_api()'s joins, PostgreSQL joins every statement first
        (3 to 14 s at a million statements, against 0.05 s).
        """
        return self.filter(pk__in=self.timeline_ids(claim))

    def timeline_ids(self, claim: models.Model) -> list[int]:
        """The ids of the statements on `claim` and of the direct answers to them,
        whatever their status."""
        on_claim = Statement.objects.filter(claim=claim).order_by().values("pk")
        answers = (
            Statement.objects.filter(responds_to__in=on_claim).order_by().values("pk")
        )
        return [row["pk"] for row in on_claim.union(answers)]

    def thread_ids(
        self, focus: Statement, user: AbstractBaseUser | AnonymousUser
    ) -> tuple[int, list[int]]:
        """The root of `focus`'s thread (following `responds_to` up) and the ids of
        every statement in it, root first then all answers below, in one query.

        For a user who may not see drafts the walk stops at drafts both ways: a
        draft's answers are hidden with it. UNION ends a cycle of answers.
        """
        drafts = can_see_drafts(user)
        table = connections[self.db].ops.quote_name(Statement._meta.db_table)
        visible = "(s.status = %s OR %s)"
        sql = f"""
            WITH RECURSIVE up(id, parent, depth) AS (
                SELECT id, responds_to_id, 0 FROM {table} WHERE id = %s
                UNION
                SELECT s.id, s.responds_to_id, up.depth + 1
                FROM {table} s JOIN up ON s.id = up.parent
                WHERE {visible} AND up.depth < %s
            ),
            root(id) AS (SELECT id FROM up ORDER BY depth DESC LIMIT 1),
            down(id) AS (
                SELECT id FROM root
                UNION
                SELECT s.id FROM {table} s JOIN down ON s.responds_to_id = down.id
                WHERE {visible}
            )
            SELECT (SELECT id FROM root), id FROM down
        """
        published = Statement.Status.PUBLISHED
        params = [focus.pk, published, drafts, MAX_THREAD_DEPTH, published, drafts]
        with connections[self.db].cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        return rows[0][0], [pk for _, pk in rows]

    def chronological(self) -> StatementQuerySet:
        return self.order_by(F("made_on").asc(nulls_last=True), "pk")

    def visible_to(self, user: AbstractBaseUser | AnonymousUser) -> StatementQuerySet:
        """Drafts are for editors; everyone else sees published statements only."""
        return self if can_see_drafts(user) else self.published()

    def for_api(self) -> StatementQuerySet:
        """Everything a statement's API representation reads, in three queries
        (five when statements of the page are about or made in a source);
        `responds_to_status` tells whether the statement answered may be shown."""
        from .citations import Citation  # citations.py imports this module

        # A source's text is as long as the article, and no representation of a
        # statement shows it.
        unread = ("text", "notes")
        sources = Source.objects.select_related("publisher").defer(*unread)

        return (
            # The sources are prefetched, not joined: with two more outer joins
            # each, PostgreSQL spends 9 ms planning a page that runs in 2 (a query
            # per kind of source, when any statement of the page has one).
            self.select_related("actor", "on_behalf_of", "claim")
            # A subquery, not a join: the join would stay in the page's count(*)
            # and keep PostgreSQL from counting on an index alone (0.9 s for 130,000
            # statements instead of 0.05 s).
            .annotate(
                responds_to_status=models.Subquery(
                    Statement.objects.filter(pk=OuterRef("responds_to"))
                    .order_by()
                    .values("status")
                )
            )
            .prefetch_related(
                models.Prefetch("document", queryset=sources),
                models.Prefetch("made_in", queryset=sources),
                models.Prefetch(
                    "citations",
                    queryset=Citation.objects.select_related("source__publisher").defer(
                        *(f"source__{field}" for field in unread)
                    ),
                ),
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


class Statement(TimeStampedModel, VersionedModel):
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
        "claims.Claim",
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

    history = HistoricalRecords()

    class Meta:
        ordering = ["made_on", "pk"]
        permissions = [("publish_statement", "Can publish statements")]
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
            # Every statement list is in date order: its date filters and cursor
            # pages read a range of this index instead of sorting the table.
            models.Index(fields=["made_on", "id"], name="statement_date_idx"),
            # Published-only lists filtered by stance and date, and their page
            # counts, on the index alone.
            models.Index(
                fields=["status", "stance", "made_on"],
                name="statement_status_stance_idx",
            ),
        ]

    def get_stance_display(self) -> str:
        """The stance's label, as Django's own method gives it: that one builds a
        dict of every choice on each call (1,300 calls on a large claim's page)."""
        return STANCE_LABELS.get(self.stance, self.stance)

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
