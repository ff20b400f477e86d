"""Conditional requests: a record's ETag is its version, and a change must say
which version it is based on (If-Match), so that no client overwrites a change it
has not seen.

The If-Match check here answers the common case early; the guarantee is the
model's conditional UPDATE (claims.models.versioning), whose StaleVersionError the
exception handler also turns into a 412.
"""

from __future__ import annotations

import re
from typing import Any

from django.db import models
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.request import Request
from rest_framework.response import Response

from claims.models import StaleVersionError

_ENTITY_TAG = re.compile(r'^\s*(W/)?"([^"]*)"\s*$')


class PreconditionRequired(APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_code = "precondition_required"
    default_detail = (
        "Send If-Match with the ETag of the record as you last read it (GET it "
        'first: its ETag header, e.g. If-Match: "3"), so that a change made by '
        "someone else in between is not overwritten."
    )


def etag(instance: models.Model) -> str:
    """A strong ETag: the record's version, which every save raises by one."""
    return f'"{instance.version}"'


def with_etag(response: Response, instance: models.Model) -> Response:
    response["ETag"] = etag(instance)
    return response


def expected_version(request: Request, instance: models.Model) -> int:
    """The version named by If-Match: PreconditionRequired (428) without one,
    StaleVersionError (412) when it is not the record's current version."""
    header = request.headers.get("If-Match", "").strip()
    if not header:
        raise PreconditionRequired()
    versions = []
    for tag in header.split(","):
        match = _ENTITY_TAG.match(tag)
        if match is None or match.group(1) or not match.group(2).isdigit():
            raise PreconditionRequired(
                f"If-Match must be the strong ETag of the record, such as "
                f'"{instance.version}"; got {header!r}.'
            )
        versions.append(int(match.group(2)))
    if instance.version not in versions:
        raise StaleVersionError(
            type(instance), instance.pk, versions[0], instance.version
        )
    return instance.version


def stale_response(error: StaleVersionError) -> Response:
    """The 412 for a stale write, saying what changed since the client's version."""
    return Response(
        {
            "detail": str(error),
            "current_version": error.current,
            "changes": [
                {key: change[key] for key in ("field", "old", "new", "by", "at")}
                for change in error.changes
            ],
        },
        status=status.HTTP_412_PRECONDITION_FAILED,
    )


IF_MATCH = OpenApiParameter(
    "If-Match",
    # Strong ETags only: a weak one or * is refused with 428.
    {"type": "string", "pattern": r'^\s*"\d+"\s*(,\s*"\d+"\s*)*$', "example": '"3"'},
    location=OpenApiParameter.HEADER,
    required=True,
    description='The ETag of the record as last read, e.g. "3". Without it the '
    "request is refused with 428; when the record has changed since, with 412.",
)

PRECONDITION_RESPONSES: dict[int, Any] = {
    412: OpenApiResponse(
        description="The record changed since the version in If-Match; nothing "
        "was written. The body says what changed and the current version."
    ),
    428: OpenApiResponse(description="If-Match is missing; nothing was written."),
}
