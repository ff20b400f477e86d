"""Thin serializers: field mapping only. Querysets come prefetched from the views
(`for_api()`), so no serializer runs a query of its own."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from claims.models import (
    Actor,
    Citation,
    Claim,
    Source,
    Statement,
    StatementStatus,
    StatementSuggestion,
    Topic,
    can_see_drafts,
)
from claims.stances import Stance

from .representation import PlannedRepresentation

# Sent by the browsable API's HTML forms along with the fields.
FORM_KEYS = frozenset({"csrfmiddlewaretoken"})


class RejectUnwritableFieldsMixin:
    """Refuse, with a 400 naming it, every field in a write that the client may not
    set: one the server sets (the id, timestamps, version, verification, offsets it
    computes) or one that does not exist. Ignoring it silently would let the client
    believe it was stored."""

    def to_internal_value(self, data: Any) -> Any:
        if hasattr(data, "keys"):
            writable = {
                name for name, field in self.fields.items() if not field.read_only
            }
            refused = sorted(set(data.keys()) - writable - FORM_KEYS)
            if refused:
                server_set = {
                    name
                    for field in self.Meta.model._meta.concrete_fields
                    for name in (field.name, field.attname)
                }
                listed = ", ".join(sorted(writable))
                raise serializers.ValidationError(
                    {
                        name: [
                            "Set by the server; it cannot be written."
                            if name in server_set
                            else f"Unknown field. Writable fields: {listed}."
                        ]
                        for name in refused
                    }
                )
        return super().to_internal_value(data)


class SlugReference(serializers.SlugRelatedField):
    """A record named by its slug. A NUL is refused as in any text field: looked
    up, PostgreSQL would fail ("Invalid value.") where SQLite finds nothing."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, str) and "\x00" in data:
            raise serializers.ValidationError("Null characters are not allowed.")
        return super().to_internal_value(data)


# References: the compact shape a record takes inside another one. ----------------


class ActorRefSerializer(PlannedRepresentation, serializers.ModelSerializer):
    class Meta:
        model = Actor
        fields = ("id", "slug", "name", "kind")


class ClaimRefSerializer(PlannedRepresentation, serializers.ModelSerializer):
    class Meta:
        model = Claim
        fields = ("id", "slug", "text")


class SourceRefSerializer(PlannedRepresentation, serializers.ModelSerializer):
    label = serializers.CharField(
        source="__str__", read_only=True, help_text="The title, or a description."
    )
    publisher = ActorRefSerializer(allow_null=True)

    class Meta:
        model = Source
        fields = ("id", "title", "label", "kind", "publisher", "published_on", "url")


class StatementRefSerializer(PlannedRepresentation, serializers.ModelSerializer):
    actor = ActorRefSerializer()

    class Meta:
        model = Statement
        fields = ("id", "actor", "stance", "made_on", "date_precision", "summary")


# Citations ---------------------------------------------------------------------


class CitationInStatementSerializer(PlannedRepresentation, serializers.ModelSerializer):
    source = SourceRefSerializer()

    class Meta:
        model = Citation
        fields = (
            "id",
            "quote",
            "start",
            "end",
            "prefix",
            "suffix",
            "quote_kind",
            "attribution",
            "translation",
            "translator",
            "verification",
            "verified_at",
            "source",
        )


class CitationSerializer(CitationInStatementSerializer):
    statement = StatementRefSerializer()

    class Meta(CitationInStatementSerializer.Meta):
        fields = (*CitationInStatementSerializer.Meta.fields, "statement")


class CitationWriteSerializer(RejectUnwritableFieldsMixin, serializers.ModelSerializer):
    """What an editor sends: the pasted quote and optional hints; the server locates
    the passage and computes the offsets and context."""

    quote = serializers.CharField(trim_whitespace=False, max_length=20_000)
    start = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=0,
        help_text="Only to choose between several occurrences of the quote.",
    )
    prefix = serializers.CharField(required=False, allow_blank=True, max_length=200)
    suffix = serializers.CharField(required=False, allow_blank=True, max_length=200)

    class Meta:
        model = Citation
        fields = (
            "statement",
            "source",
            "quote",
            "start",
            "prefix",
            "suffix",
            "quote_kind",
            "attribution",
            "translation",
            "translator",
        )


# Statements --------------------------------------------------------------------


@extend_schema_field(
    serializers.IntegerField(
        allow_null=True,
        help_text="The id of the statement this one answers; null when there is "
        "none, or when it is a draft the reader may not see.",
    )
)
class AnsweredStatementField(serializers.Field):
    """The id of the statement answered, unless it is a draft the request's user
    may not see: a published answer must not reveal that a draft exists. Reads
    `responds_to_status` (StatementQuerySet.for_api())."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.update(source="*", read_only=True)
        super().__init__(**kwargs)

    def to_representation(self, statement: Statement) -> int | None:
        answered = statement.responds_to_id
        if answered is None:
            return None
        if getattr(statement, "responds_to_status", None) == StatementStatus.PUBLISHED:
            return answered
        request = self.context.get("request")
        return answered if request and can_see_drafts(request.user) else None


class StatementSerializer(PlannedRepresentation, serializers.ModelSerializer):
    actor = ActorRefSerializer()
    on_behalf_of = ActorRefSerializer(allow_null=True)
    claim = ClaimRefSerializer(allow_null=True)
    document = SourceRefSerializer(allow_null=True)
    made_in = SourceRefSerializer(allow_null=True)
    responds_to = AnsweredStatementField()
    citations = CitationInStatementSerializer(many=True)

    class Meta:
        model = Statement
        fields = (
            "id",
            "actor",
            "on_behalf_of",
            "stance",
            "made_on",
            "date_precision",
            "claim",
            "document",
            "made_in",
            "responds_to",
            "context",
            "summary",
            "status",
            "citations",
            "created_at",
            "updated_at",
        )


class StatementWriteSerializer(
    RejectUnwritableFieldsMixin, serializers.ModelSerializer
):
    """What an editor sends: actors and claims by slug, documents and statements by
    id. Validation is the model's (`full_clean()` in the service), as in the admin."""

    actor = SlugReference(slug_field="slug", queryset=Actor.objects)
    on_behalf_of = SlugReference(
        slug_field="slug", queryset=Actor.objects, required=False, allow_null=True
    )
    claim = SlugReference(
        slug_field="slug", queryset=Claim.objects, required=False, allow_null=True
    )

    class Meta:
        model = Statement
        fields = (
            "actor",
            "on_behalf_of",
            "stance",
            "made_on",
            "date_precision",
            "claim",
            "document",
            "made_in",
            "responds_to",
            "context",
            "summary",
            "status",
        )
        # The model's own checks run in the service; DRF's copies of the database
        # constraints would answer first with less helpful messages.
        validators: list = []


class ThreadSerializer(StatementSerializer):
    responses = serializers.SerializerMethodField()

    class Meta(StatementSerializer.Meta):
        fields = (*StatementSerializer.Meta.fields, "responses")

    @extend_schema_field(serializers.ListField(child=serializers.DictField()))
    def get_responses(self, statement: Statement) -> list[dict[str, Any]]:
        children = self.context["children"].get(statement.pk, [])
        return ThreadSerializer(children, many=True, context=self.context).data


# Claims, actors, sources, topics -------------------------------------------------


class StanceCountsField(serializers.Field):
    """`{stance: count}` of the visible statements, from `stance_*` annotations."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.update(source="*", read_only=True)
        super().__init__(**kwargs)

    def to_representation(self, claim: Claim) -> dict[str, int]:
        return {stance: getattr(claim, f"stance_{stance}") for stance in Stance.values}


StanceCountsField = extend_schema_field(
    {
        "type": "object",
        "properties": {stance: {"type": "integer"} for stance in Stance.values},
        "description": "How many visible statements take each stance on the claim.",
    }
)(StanceCountsField)


class ClaimSerializer(serializers.ModelSerializer):
    topics = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    statement_counts = StanceCountsField()

    class Meta:
        model = Claim
        fields = (
            "id",
            "slug",
            "text",
            "description",
            "topics",
            "statement_counts",
            "created_at",
            "updated_at",
        )


class ClaimTimelineSerializer(serializers.Serializer):
    claim = ClaimSerializer()
    statements = StatementSerializer(many=True)


class ActorSerializer(serializers.ModelSerializer):
    parent = ActorRefSerializer(allow_null=True)
    children = ActorRefSerializer(many=True)
    aliases = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)

    class Meta:
        model = Actor
        fields = (
            "id",
            "slug",
            "name",
            "kind",
            "country",
            "parent",
            "children",
            "aliases",
            "description",
            "wikidata_id",
        )


@extend_schema_field(
    {
        "type": "string",
        "pattern": r"^\d{2}:\d{2}(:\d{2}(\.\d+)?)?$",
        "example": "00:21:00",
    }
)
class LocalTimeField(serializers.TimeField):
    """A time of day as printed, with no time zone (the `time` format of JSON
    Schema requires one)."""


class SourceSerializer(serializers.ModelSerializer):
    label = serializers.CharField(source="__str__", read_only=True)
    published_time = LocalTimeField(
        allow_null=True,
        read_only=True,
        help_text="As printed; the time zone is not known.",
    )
    publisher = ActorRefSerializer(allow_null=True)
    author = ActorRefSerializer(allow_null=True)

    class Meta:
        model = Source
        fields = (
            "id",
            "kind",
            "title",
            "label",
            "publisher",
            "author",
            "byline",
            "dateline",
            "published_on",
            "published_time",
            "url",
            "archive_url",
            "accessed_on",
            "language",
            "text_sha256",
            "notes",
        )


class CitationOfSourceSerializer(serializers.ModelSerializer):
    statement = StatementRefSerializer()

    class Meta:
        model = Citation
        fields = ("id", "quote", "start", "end", "quote_kind", "statement")


class SourceDetailSerializer(SourceSerializer):
    citations = CitationOfSourceSerializer(
        many=True, source="visible_citations", help_text="The statements citing it."
    )

    class Meta(SourceSerializer.Meta):
        fields = (*SourceSerializer.Meta.fields, "text", "citations")


class TopicSerializer(serializers.ModelSerializer):
    claim_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Topic
        fields = ("id", "slug", "name", "description", "claim_count")


class SearchHitSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["claim", "statement", "source", "actor"])
    id = serializers.IntegerField()
    title = serializers.CharField()
    snippet = serializers.CharField(help_text="HTML: matches wrapped in <mark>.")
    rank = serializers.FloatField()


class SearchResultsSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    results = SearchHitSerializer(many=True)


# Imports and statement suggestions ------------------------------------------------


class ImportResultSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="The file, or `file.jsonl:3` for a line.")
    outcome = serializers.ChoiceField(
        choices=["imported", "duplicate", "new_version", "failed"]
    )
    source = serializers.IntegerField(
        allow_null=True, help_text="The source stored, or the one it duplicates."
    )
    reason = serializers.CharField(help_text="Why it failed, or what it duplicates.")
    suggestions = serializers.IntegerField(help_text="Statements proposed in it.")


class ImportSummarySerializer(serializers.Serializer):
    imported = serializers.IntegerField()
    duplicates = serializers.IntegerField()
    new_versions = serializers.IntegerField()
    failed = serializers.IntegerField()
    suggestions = serializers.IntegerField()
    results = ImportResultSerializer(many=True)


class StatementSuggestionSerializer(serializers.ModelSerializer):
    actor = ActorRefSerializer(allow_null=True)
    on_behalf_of = ActorRefSerializer(allow_null=True)
    claim = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = StatementSuggestion
        fields = (
            "id",
            "attribution",
            "speaker",
            "cue",
            "actor",
            "on_behalf_of",
            "stance",
            "claim",
            "quote",
            "start",
            "end",
            "quote_kind",
            "confidence",
            "status",
            "statement",
        )


class StatementSuggestionListSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    results = StatementSuggestionSerializer(many=True)
