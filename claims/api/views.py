"""Thin viewsets: each gets its queryset from the model layer (`visible_to(user)`,
`for_api()`) and writes through claims.services, as the admin does."""

from __future__ import annotations

from functools import cache
from typing import Any

from django.conf import settings
from django.db.models import Count, Prefetch, QuerySet
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.utils import translate_validation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiRequest,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import MethodNotAllowed, NotFound, ValidationError
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.parsers import BaseParser, MultiPartParser
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from claims import exports, search, services
from claims.caching import KeptTimeline, code_digest
from claims.models import (
    Actor,
    Citation,
    Claim,
    Source,
    Statement,
    StatementSuggestion,
    Topic,
    can_see_drafts,
)
from claims.search_backends.query import MAX_QUERY_LENGTH

from . import filters, preconditions, serializers
from .permissions import CanImportSources, CanReviewSuggestions

PAGINATION_PARAMS = frozenset({"page", "page_size", "cursor"})
# What a SlugField holds: any other address is a 404 before the database is asked
# (PostgreSQL cannot even compare a text with a NUL in it).
SLUG = "[-a-zA-Z0-9_]+"


class JSONLinesParser(BaseParser):
    """A JSON Lines body, passed on as bytes: the importer reports each bad line."""

    media_type = "application/x-ndjson"

    def parse(self, stream: Any, media_type: str | None = None, parser_context=None):
        # One byte past the import limit is enough to refuse the body as too large
        # (claims.services.import_file) without holding all of it.
        limit = settings.FACTDB_IMPORT_MAX_BYTES + 1
        return stream.read(limit) if stream is not None else b""


class StrictQueryParamsMixin:
    """Refuse unknown query parameters: a misspelt filter must not silently return
    everything."""

    def allowed_query_params(self) -> set[str]:
        allowed = {"format"}
        if self.action == "list":
            allowed |= PAGINATION_PARAMS
            filterset_class = getattr(self, "filterset_class", None)
            if filterset_class is not None:
                allowed |= set(filterset_class.base_filters)
        return allowed

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        if getattr(self, request.method.lower(), None) is None:
            # A method this address does not answer is a 405 for everyone, before
            # authentication and permissions: no credentials would make it work.
            raise MethodNotAllowed(request.method)
        super().initial(request, *args, **kwargs)
        allowed = self.allowed_query_params()
        unknown = sorted(set(request.query_params) - allowed)
        if unknown:
            listed = ", ".join(sorted(allowed))
            raise ValidationError(
                {
                    name: [f"Unknown parameter. Allowed here: {listed}."]
                    for name in unknown
                }
            )


def _write_schemas(
    noun: str,
    write: type,
    read: type,
    *,
    create_summary: str,
    create_description: str | None = None,
    destroy_summary: str | None = None,
) -> dict[str, Any]:
    """The schema of a ServiceWriteViewSet's writes: editors send `write`, everyone
    gets `read` back."""
    return {
        "create": extend_schema(
            summary=create_summary,
            description=create_description,
            request=write,
            responses={201: read},
        ),
        "update": extend_schema(
            summary=f"Replace a {noun} (editors)",
            parameters=[preconditions.IF_MATCH],
            request=write,
            responses={200: read, **preconditions.PRECONDITION_RESPONSES},
        ),
        "partial_update": extend_schema(
            summary=f"Change a {noun} (editors)",
            parameters=[preconditions.IF_MATCH],
            request=write,
            responses={200: read, **preconditions.PRECONDITION_RESPONSES},
        ),
        "destroy": extend_schema(
            summary=destroy_summary or f"Delete a {noun} (editors)",
            parameters=[preconditions.IF_MATCH],
            responses={204: None, **preconditions.PRECONDITION_RESPONSES},
        ),
    }


class ETagMixin:
    """A record's detail carries its version as a strong ETag."""

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        instance = self.get_object()
        response = Response(self.get_serializer(instance).data)
        return preconditions.with_etag(response, instance)


class ReadOnlyViewSet(ETagMixin, StrictQueryParamsMixin, viewsets.ReadOnlyModelViewSet):
    permission_classes = [permissions.DjangoModelPermissionsOrAnonReadOnly]


class ServiceWriteViewSet(ETagMixin, StrictQueryParamsMixin, viewsets.ModelViewSet):
    """Writes validate with `write_serializer_class` and save through a service (the
    same rules as the admin); responses show the saved record as readers see it.

    Changes and deletions are conditional: If-Match must carry the record's ETag
    (claims.api.preconditions), checked again by the conditional UPDATE or DELETE.
    """

    # Anyone reads; writing needs the model's add/change/delete permission.
    permission_classes = [permissions.DjangoModelPermissionsOrAnonReadOnly]
    read_serializer_class: type[serializers.serializers.ModelSerializer]
    write_serializer_class: type[serializers.serializers.ModelSerializer]

    def get_serializer_class(self) -> type:
        if self.action in ("create", "update", "partial_update"):
            return self.write_serializer_class
        return self.read_serializer_class

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        writer = self.get_serializer(data=request.data)
        writer.is_valid(raise_exception=True)
        saved = self.save_new(writer.validated_data)
        return preconditions.with_etag(
            Response(self._read(saved), status=status.HTTP_201_CREATED), saved
        )

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        instance = self.get_object()
        preconditions.expected_version(request, instance)
        writer = self.get_serializer(
            instance, data=request.data, partial=kwargs.get("partial", False)
        )
        writer.is_valid(raise_exception=True)
        saved = self.save_changes(instance, writer.validated_data)
        return preconditions.with_etag(Response(self._read(saved)), saved)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        instance = self.get_object()
        version = preconditions.expected_version(request, instance)
        services.delete_record(record=instance, version=version)
        return Response(status=status.HTTP_204_NO_CONTENT)

    def save_new(self, data: dict[str, Any]) -> Any:
        raise NotImplementedError

    def save_changes(self, instance: Any, data: dict[str, Any]) -> Any:
        raise NotImplementedError

    def _read(self, saved: Any) -> dict[str, Any]:
        fresh = self.get_queryset().get(pk=saved.pk)
        return self.read_serializer_class(
            fresh, context=self.get_serializer_context()
        ).data


@extend_schema_view(
    list=extend_schema(summary="Actors: governments, bodies, outlets, people, groups"),
    retrieve=extend_schema(summary="An actor with its parent, children and aliases"),
)
class ActorViewSet(ReadOnlyViewSet):
    serializer_class = serializers.ActorSerializer
    filterset_class = filters.ActorFilter
    lookup_field = "slug"
    lookup_value_regex = SLUG

    def get_queryset(self) -> QuerySet[Actor]:
        return Actor.objects.for_api().order_by("name", "pk")


@extend_schema_view(
    list=extend_schema(summary="Sources: articles, reports, briefings, posts"),
    retrieve=extend_schema(
        summary="A source with its text and the statements citing it"
    ),
)
class SourceViewSet(ReadOnlyViewSet):
    filterset_class = filters.SourceFilter

    def get_serializer_class(self) -> type[serializers.SourceSerializer]:
        if self.action == "retrieve":
            return serializers.SourceDetailSerializer
        return serializers.SourceSerializer

    def get_queryset(self) -> QuerySet[Source]:
        queryset = Source.objects.for_api().order_by("-published_on", "pk")
        if self.action == "retrieve":
            citing = (
                Citation.objects.visible_to(self.request.user)
                .select_related("statement__actor")
                .order_by("start", "pk")
            )
            queryset = queryset.prefetch_related(
                Prefetch("citations", queryset=citing, to_attr="visible_citations")
            )
        return queryset

    @extend_schema(
        summary="Import sources (editors): text, HTML or JSON Lines files",
        description="Upload one or more files as multipart form data (any field "
        "name; plain text, HTML or `.jsonl`), or send JSON Lines as the body "
        "(`Content-Type: application/x-ndjson`, one object per line with `text` and "
        "metadata keys). Each file is imported in its own transaction and its "
        "statements proposed as suggestions; the summary lists what was imported, "
        "duplicated, stored as a new version or refused, with the reason.",
        request={
            "multipart/form-data": OpenApiRequest(
                {
                    "type": "object",
                    "properties": {
                        "files": {
                            "type": "array",
                            "items": {"type": "string", "format": "binary"},
                            "minItems": 1,
                        }
                    },
                    "required": ["files"],
                },
                # Uploaded files, not form fields: each part has a filename.
                encoding={"files": {"contentType": "application/octet-stream"}},
            ),
            "application/x-ndjson": {"type": "string", "minLength": 1},
        },
        responses=serializers.ImportSummarySerializer,
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="import",
        url_name="import",
        permission_classes=[CanImportSources],
        parser_classes=[MultiPartParser, JSONLinesParser],
    )
    def import_sources(self, request: Request) -> Response:
        max_bytes = settings.FACTDB_IMPORT_MAX_BYTES
        if isinstance(request.data, bytes):
            # The parser read at most one byte past the limit; the size is the
            # body's own.
            size = int(request.META.get("CONTENT_LENGTH") or len(request.data))
            files = [("request body.jsonl", request.data, size)]
        else:
            # Read one byte past the limit: enough to refuse a file as too large
            # without holding all of it.
            files = [
                (upload.name, upload.read(max_bytes + 1), upload.size)
                for name in request.FILES
                for upload in request.FILES.getlist(name)
            ]
        if not files:
            raise ValidationError(
                {
                    "files": [
                        "Send one or more files as multipart form data, or JSON "
                        "Lines as the body (Content-Type: application/x-ndjson)."
                    ]
                }
            )
        summary = services.import_uploaded(files=files)
        return Response(
            serializers.ImportSummarySerializer(summary.as_dict()).data,
            status=status.HTTP_200_OK,
        )

    @extend_schema(
        summary="The statements proposed in a source (editors)",
        description="Drafts for editors to accept, edit or discard in the admin.",
        responses=serializers.StatementSuggestionListSerializer,
    )
    @action(
        detail=True,
        permission_classes=[CanReviewSuggestions],
        # All of a source's suggestions at once: no filters, no pages.
        filter_backends=[],
        pagination_class=None,
    )
    def suggestions(self, request: Request, pk: str) -> Response:
        source = self.get_object()
        rows = (
            StatementSuggestion.objects.filter(source=source)
            .for_review()
            .order_by("start", "pk")
        )
        data = serializers.StatementSuggestionSerializer(rows, many=True).data
        return Response({"count": len(data), "results": data})


@cache
def _api_digest() -> str:
    """What else the API's JSON is made of: its code and the stance vocabulary."""
    return code_digest(["api/*.py", "stances.py"])


@extend_schema_view(
    list=extend_schema(summary="Claims with their counts of statements by stance"),
    retrieve=extend_schema(summary="A claim with its counts of statements by stance"),
)
class ClaimViewSet(ReadOnlyViewSet):
    serializer_class = serializers.ClaimSerializer
    filterset_class = filters.ClaimFilter
    lookup_field = "slug"
    lookup_value_regex = SLUG

    def get_queryset(self) -> QuerySet[Claim]:
        return (
            Claim.objects.with_stance_counts(self.request.user)
            .for_api()
            .order_by("slug")
        )

    @extend_schema(
        summary="A claim's story in time order, with every quote",
        description="The statements on the claim and the direct answers to them, "
        "oldest first, each with its citations. Example: "
        "`/api/v1/claims/xinjiang-camps-sexual-violence/timeline/`. The JSON of a "
        "large claim's timeline has an ETag: send it back in If-None-Match and "
        "get 304 Not Modified while nothing it shows has changed.",
        responses={
            200: serializers.ClaimTimelineSerializer,
            304: OpenApiResponse(
                description="Nothing the timeline shows has changed since the "
                "ETag sent in If-None-Match."
            ),
        },
    )
    @action(detail=True)
    def timeline(self, request: Request, slug: str) -> Response | HttpResponse:
        claim = self.get_object()
        ids = Statement.objects.timeline_ids(claim)
        kept = self._kept_timeline(request, claim, ids)
        if kept and (response := kept.response(request._request)):
            return response
        statements = (
            Statement.objects.visible_to(request.user)
            .filter(pk__in=ids)
            .for_api()
            .chronological()
        )
        data = serializers.ClaimTimelineSerializer(
            {"claim": claim, "statements": statements},
            context=self.get_serializer_context(),
        ).data
        response = Response(data)
        if kept:
            response.add_post_render_callback(kept.keep)
        return response

    @staticmethod
    def _kept_timeline(
        request: Request, claim: Claim, ids: list[int]
    ) -> KeptTimeline | None:
        """The JSON of a large timeline is kept (claims.caching), one for readers
        and one for editors, who see drafts; the browsable API's page shows the
        user and a form token and is rendered every time."""
        if request.accepted_renderer.format != "json":
            return None
        readers = "editors" if can_see_drafts(request.user) else "readers"
        return KeptTimeline.of(request, f"api-{readers}", claim, ids, _api_digest())


@extend_schema_view(
    list=extend_schema(
        summary="Statements: who took which position, when, with their quotes",
        description="Examples: everything China denied or rejected, "
        "`?actor=china&stance=denies,rejects`; who answered the BBC's report, "
        "`?responds_to=1`; who answered the UN assessment, `?document=9`; "
        "what was said in February 2021, `?date_from=2021-02-01&date_to=2021-02-28`; "
        "a search, `?q=hodgepodge`. Deep pages: add `cursor=` and follow `next`.",
    ),
    retrieve=extend_schema(summary="A statement with its citations"),
    **_write_schemas(
        "statement",
        serializers.StatementWriteSerializer,
        serializers.StatementSerializer,
        create_summary="Create a statement (editors)",
        destroy_summary="Delete a statement nothing answers (editors)",
    ),
)
class StatementViewSet(ServiceWriteViewSet):
    filterset_class = filters.StatementFilter
    cursor_ordering = ("made_on", "id")
    read_serializer_class = serializers.StatementSerializer
    write_serializer_class = serializers.StatementWriteSerializer

    def get_queryset(self) -> QuerySet[Statement]:
        visible = Statement.objects.visible_to(self.request.user)
        if self.action == "thread":
            return visible  # the focus only locates the thread
        return visible.for_api().order_by("made_on", "pk")

    def save_new(self, data: dict[str, Any]) -> Statement:
        return services.save_statement(
            statement=Statement(**data), user=self.request.user
        )

    def save_changes(self, instance: Statement, data: dict[str, Any]) -> Statement:
        for name, value in data.items():
            setattr(instance, name, value)
        return services.save_statement(statement=instance, user=self.request.user)

    @extend_schema(
        summary="The whole response tree around a statement",
        description="From the statement the thread starts with (following "
        "`responds_to` up) down through every answer, each with its citations. "
        "Example: `/api/v1/statements/4/thread/` shows the BBC's report, the US "
        "State Department's concern, Wang Wenbin's rejection and the UN's call.",
        responses=serializers.ThreadSerializer,
    )
    @action(detail=True)
    def thread(self, request: Request, pk: str) -> Response:
        focus = self.get_object()
        visible = Statement.objects.visible_to(request.user)
        root_id, ids = visible.thread_ids(focus, request.user)
        statements = list(visible.for_api().filter(pk__in=ids).chronological())
        root = next(s for s in statements if s.pk == root_id)
        children: dict[int, list[Statement]] = {}
        for statement in statements:
            if statement is not root:
                children.setdefault(statement.responds_to_id, []).append(statement)
        data = serializers.ThreadSerializer(
            root, context={**self.get_serializer_context(), "children": children}
        ).data
        return Response(data)


@extend_schema_view(
    list=extend_schema(summary="Citations: exact quotes at offsets in their sources"),
    retrieve=extend_schema(summary="A citation"),
    **_write_schemas(
        "citation",
        serializers.CitationWriteSerializer,
        serializers.CitationSerializer,
        create_summary="Attach a quote to a statement (editors)",
        create_description="The quote is located in the source text ignoring quote "
        "marks, dashes and whitespace; the exact source passage and its offsets are "
        "stored. A quote that is not in the source, or is ambiguous, is a 400.",
    ),
)
class CitationViewSet(ServiceWriteViewSet):
    filterset_class = filters.CitationFilter
    cursor_ordering = ("id",)
    read_serializer_class = serializers.CitationSerializer
    write_serializer_class = serializers.CitationWriteSerializer

    def get_queryset(self) -> QuerySet[Citation]:
        return Citation.objects.visible_to(self.request.user).for_api().order_by("pk")

    def save_new(self, data: dict[str, Any]) -> Citation:
        return services.attach_citation(**data)

    def save_changes(self, instance: Citation, data: dict[str, Any]) -> Citation:
        return services.update_citation(citation=instance, **data)


@extend_schema_view(
    list=extend_schema(summary="Topics"), retrieve=extend_schema(summary="A topic")
)
class TopicViewSet(ReadOnlyViewSet):
    serializer_class = serializers.TopicSerializer
    lookup_field = "slug"
    lookup_value_regex = SLUG
    filterset_class = None

    def get_queryset(self) -> QuerySet[Topic]:
        return Topic.objects.annotate(claim_count=Count("claims")).order_by("name")


class NotFoundView(APIView):
    """Any other address under /api/v1/: a JSON 404 like every API error, rather
    than Django's HTML page (an id with a dot, a slug with a space)."""

    permission_classes = [permissions.AllowAny]
    schema = None

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        raise NotFound()


class SearchView(StrictQueryParamsMixin, APIView):
    """Full-text search across claims, statements, sources and actors."""

    permission_classes = [permissions.AllowAny]
    action = "search"
    kinds = search.SEARCHABLE

    @extend_schema(
        summary="Search everything, ranked, with highlighted snippets",
        description='Web-search syntax: words (all must match), "phrases", OR, '
        "-excluded. Of each kind, the 1,000 most recently added matches are "
        "ranked and the best returned. Example: `/api/v1/search/?q=hodgepodge`.",
        parameters=[
            OpenApiParameter(
                "q",
                {"type": "string", "minLength": 1, "maxLength": MAX_QUERY_LENGTH},
                required=True,
                description="The query.",
            ),
            OpenApiParameter(
                "kind",
                {
                    "type": "array",
                    "items": {"type": "string", "enum": list(search.SEARCHABLE)},
                    "minItems": 1,
                },
                style="form",
                explode=False,
                description="Only these kinds, comma-separated.",
            ),
            OpenApiParameter(
                "limit",
                {"type": "integer", "minimum": 1, "maximum": 200, "default": 50},
                description="At most this many hits.",
            ),
        ],
        responses=serializers.SearchResultsSerializer,
    )
    def get(self, request: Request) -> Response:
        if "\x00" in request.query_params.get("q", ""):
            # As every other text parameter: PostgreSQL cannot hold it.
            raise ValidationError({"q": ["Null characters are not allowed."]})
        kinds = self._kinds(request.query_params.get("kind"))
        limit = self._limit(request.query_params.get("limit"))
        user = request.user
        querysets = {
            "claim": Claim.objects.all(),
            "statement": Statement.objects.visible_to(user),
            "source": Source.objects.all(),
            "actor": Actor.objects.all(),
        }
        hits = search.search_all(
            request.query_params.get("q", ""),
            querysets={kind: querysets[kind] for kind in kinds},
            limit=limit,
        )
        results = serializers.SearchHitSerializer(hits, many=True).data
        return Response({"count": len(results), "results": results})

    def allowed_query_params(self) -> set[str]:
        return {"q", "kind", "limit", "format"}

    def _kinds(self, raw: str | None) -> list[str]:
        if raw is None:
            return list(self.kinds)
        kinds = [kind.strip() for kind in raw.split(",") if kind.strip()]
        wrong = [kind for kind in kinds if kind not in self.kinds]
        if wrong or not kinds:
            raise ValidationError(
                {"kind": [f"Choose from {', '.join(self.kinds)}; got {raw!r}."]}
            )
        return kinds

    @staticmethod
    def _limit(raw: str | None) -> int:
        if raw is None:
            return 50
        if not raw.isdigit() or not 1 <= int(raw) <= 200:
            raise ValidationError(
                {"limit": [f"Must be a whole number from 1 to 200; got {raw!r}."]}
            )
        return int(raw)


# Exports ---------------------------------------------------------------------------


class ExportContentNegotiation(BaseContentNegotiation):
    """On the export views `?format=` names the export format (bibtex, ris, ...),
    not one of DRF's renderers; the only rendered responses are JSON errors."""

    def select_parser(self, request: Request, parsers: list) -> Any:
        return parsers[0] if parsers else None

    def select_renderer(
        self, request: Request, renderers: list, format_suffix: str | None = None
    ) -> tuple[Any, str]:
        return renderers[0], renderers[0].media_type


def _download(chunks: Any, media_type: str, filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(chunks, content_type=media_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


_JSON_DOWNLOADS = {
    "application/vnd.citationstyles.csl+json": {
        "type": "array",
        "items": {"type": "object"},
    },
    "application/ld+json": {"type": "object"},
}


def _download_responses(formats: Any) -> dict[tuple[int, str], OpenApiResponse]:
    """A download in the media type of each format (parameters such as the charset
    left to the Content-Type header)."""
    responses = {}
    for media_type in sorted({export.media_type for export in formats}):
        media_type = media_type.split(";")[0]
        # JSON formats are checked as JSON: a CSL-JSON array, a JSON-LD document.
        schema = _JSON_DOWNLOADS.get(media_type, OpenApiTypes.BINARY)
        responses[(200, media_type)] = OpenApiResponse(schema)
    return responses


_STYLE_PARAMETER = OpenApiParameter(
    "style",
    str,
    enum=list(exports.STYLES),
    description=f"Citation style of formatted bibliographies (default "
    f"{exports.DEFAULT_STYLE}).",
)


class ExportView(StrictQueryParamsMixin, APIView):
    permission_classes = [permissions.AllowAny]
    renderer_classes = [JSONRenderer]
    content_negotiation_class = ExportContentNegotiation

    def query_choice(self, name: str, default: str = "") -> str:
        return self.request.query_params.get(name, default)


class CitationExportView(ExportView):
    """The citations backing any set of statements, as a file."""

    action = "export"
    # Read by the schema generator only: get() applies the filterset itself.
    filter_backends = [DjangoFilterBackend]
    filterset_class = filters.StatementFilter
    queryset = Statement.objects.none()

    def allowed_query_params(self) -> set[str]:
        return {"format", "style", *filters.StatementFilter.base_filters}

    @extend_schema(
        summary="Export citations: CSL-JSON, BibTeX, RIS, CSV, bibliographies, "
        "Web Annotations",
        description="The citations backing the statements that every statement "
        "filter selects (the same parameters as `/api/v1/statements/`), streamed as "
        "a download. Bibliographies list each source once with all its quotes. "
        "Example: `/api/v1/citations/export/?format=bibtex&claim=xinjiang-camps-"
        "sexual-violence`.",
        parameters=[
            OpenApiParameter(
                "format", str, required=True, enum=list(exports.EXPORTERS)
            ),
            _STYLE_PARAMETER,
        ],
        # The statements' filters, documented as on /api/v1/statements/.
        filters=True,
        responses=_download_responses(exports.EXPORTERS.values()),
    )
    def get(self, request: Request) -> StreamingHttpResponse:
        exporter = exports.exporter(
            self.query_choice("format"),
            style=self.query_choice("style", exports.DEFAULT_STYLE),
            base_url=request.build_absolute_uri("/"),
        )
        filterset = filters.StatementFilter(
            request.query_params,
            queryset=Statement.objects.visible_to(request.user),
            request=request,
        )
        if not filterset.is_valid():
            raise translate_validation(filterset.errors)
        return _download(
            exporter.stream(filterset.qs),
            exporter.media_type,
            exporter.filename(timezone.localdate()),
        )


class ClaimDossierView(ExportView):
    """A claim's timeline as a document with its bibliography."""

    action = "dossier"

    def allowed_query_params(self) -> set[str]:
        return {"format", "style"}

    @extend_schema(
        summary="A claim's dossier: its timeline with quotes and a bibliography",
        description="Markdown or HTML; every statement on the claim and every "
        "answer to one, oldest first, each quote with a numbered note into the "
        "bibliography. Example: `/api/v1/claims/xinjiang-camps-sexual-violence/"
        "dossier/?format=markdown`.",
        parameters=[
            OpenApiParameter("format", str, required=True, enum=list(exports.DOSSIERS)),
            _STYLE_PARAMETER,
        ],
        responses=_download_responses(exports.DOSSIERS.values()),
    )
    def get(self, request: Request, slug: str) -> StreamingHttpResponse:
        dossier = exports.dossier(
            self.query_choice("format"),
            style=self.query_choice("style", exports.DEFAULT_STYLE),
        )
        claim = get_object_or_404(Claim, slug=slug)
        return _download(
            dossier.stream(claim, Statement.objects.visible_to(request.user)),
            dossier.media_type,
            dossier.filename(claim, timezone.localdate()),
        )
