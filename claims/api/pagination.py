"""Page-number pagination by default, cursor pagination on request (`?cursor=`)."""

from __future__ import annotations

from typing import Any

from rest_framework.exceptions import ValidationError
from rest_framework.pagination import CursorPagination, PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
# Past any real list, and small enough for every database's integers.
MAX_PAGE = 10**9


def _positive_int(request: Request, name: str, default: int, maximum: int) -> int:
    raw = request.query_params.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if not 1 <= value <= maximum:
        raise ValidationError(
            {name: [f"Must be a whole number from 1 to {maximum}; got {raw!r}."]}
        )
    return value


class _Cursor(CursorPagination):
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    page_size = DEFAULT_PAGE_SIZE

    def __init__(self, ordering: tuple[str, ...]):
        self.ordering = ordering

    def get_page_size(self, request: Request) -> int:
        return _positive_int(request, "page_size", DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)


class FactDBPagination(PageNumberPagination):
    """`{count, next, previous, results}` pages of up to 200 records (default 50).

    A request carrying `cursor` (even empty, to start) is paginated by an opaque
    cursor instead, `{next, previous, results}`: deep pages stay fast because the
    database seeks to the position instead of counting and skipping rows. Views
    opt in with `cursor_ordering`, a unique ordering for the cursor to follow.
    """

    page_size = DEFAULT_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    cursor: _Cursor | None = None

    def get_page_size(self, request: Request) -> int:
        return _positive_int(request, "page_size", DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)

    def paginate_queryset(self, queryset, request: Request, view=None) -> list[Any]:
        ordering = getattr(view, "cursor_ordering", None)
        if "cursor" in request.query_params:
            if ordering is None:
                raise ValidationError(
                    {"cursor": ["This list does not offer cursor pagination."]}
                )
            if request.query_params.get("ordering", "").startswith("-"):
                ordering = tuple(f"-{field}" for field in ordering)
            self.cursor = _Cursor(ordering)
            return self.cursor.paginate_queryset(queryset, request, view)
        _positive_int(request, self.page_query_param, 1, MAX_PAGE)
        return super().paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data: list[Any]) -> Response:
        if self.cursor is not None:
            return self.cursor.get_paginated_response(data)
        return super().get_paginated_response(data)

    def get_paginated_response_schema(self, schema: dict) -> dict:
        paginated = super().get_paginated_response_schema(schema)
        paginated["required"] = ["next", "previous", "results"]
        paginated["properties"]["count"]["description"] = (
            "Total number of records; absent when paginating by cursor."
        )
        return paginated

    def get_schema_operation_parameters(self, view) -> list[dict]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == "page_size":
                parameter["schema"] = {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": MAX_PAGE_SIZE,
                    "default": DEFAULT_PAGE_SIZE,
                }
            if parameter["name"] == "page":
                parameter["schema"] = {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": MAX_PAGE,
                }
        if getattr(view, "cursor_ordering", None):
            parameters.append(
                {
                    "name": "cursor",
                    "required": False,
                    "in": "query",
                    "description": "Paginate by cursor: pass it empty to start, then "
                    "follow `next`. Fast at any depth; no `count`.",
                    "schema": {"type": "string"},
                }
            )
        return parameters
