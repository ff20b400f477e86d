"""One mapping of domain errors to HTTP: every bad input is a 4xx naming the problem."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, RequestDataTooBig
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import ProtectedError
from rest_framework import status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from claims.models import StaleVersionError
from claims.search import SearchQueryError

from . import preconditions


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            detail = {
                (
                    api_settings.NON_FIELD_ERRORS_KEY
                    if field == NON_FIELD_ERRORS
                    else field
                ): messages
                for field, messages in exc.message_dict.items()
            }
        else:
            detail = {api_settings.NON_FIELD_ERRORS_KEY: exc.messages}
        exc = ValidationError(detail)
    elif isinstance(exc, DjangoPermissionDenied):
        # DRF maps it to 403 too, but drops the message naming the permission.
        exc = PermissionDenied(str(exc) or None)
    elif isinstance(exc, SearchQueryError):
        exc = ValidationError({"q": [str(exc)]})
    elif isinstance(exc, StaleVersionError):
        return preconditions.stale_response(exc)
    elif isinstance(exc, RequestDataTooBig):
        # Django's own answer would be an HTML page saying nothing.
        return Response(
            {
                "detail": "The request body is larger than the "
                f"{settings.DATA_UPLOAD_MAX_MEMORY_SIZE} bytes the server accepts."
            },
            status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        )
    elif isinstance(exc, ProtectedError):
        return Response(
            {"detail": "This record is referred to by others and cannot be deleted."},
            status=status.HTTP_409_CONFLICT,
        )
    return drf_exception_handler(exc, context)
