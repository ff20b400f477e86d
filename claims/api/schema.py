"""The OpenAPI schema says what the API really answers, since schemathesis
(tests/test_api_fuzzing.py) holds the API to it. drf-spectacular's AutoSchema,
plus what it cannot know: anonymous reads need no credentials, the error responses
every client must expect, an empty filter is no filter, a write refuses fields it
does not know, and a creation needs a body.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from rest_framework import permissions

from .serializers import RejectUnwritableFieldsMixin

# Permissions that let anonymous readers through on GET, HEAD and OPTIONS.
ANONYMOUS_READ_PERMISSIONS = (
    permissions.AllowAny,
    permissions.DjangoModelPermissionsOrAnonReadOnly,
    permissions.IsAuthenticatedOrReadOnly,
)

ERROR_SCHEMA = {
    "type": "object",
    "description": "What is wrong: `detail` for the request as a whole, or each "
    "parameter or field named with its messages.",
    "properties": {"detail": {"type": "string"}},
    "additionalProperties": True,
}

ERRORS = {
    "400": "Bad input: the body names each parameter or field and what is wrong. "
    "Nothing was written.",
    "401": "No valid credentials: an unknown token, or none where one is needed.",
    "403": "The credentials do not carry the permission this needs.",
    "404": "No such record visible to you, or a page past the last one.",
    "409": "The record is referred to by others and cannot be deleted.",
    "413": "The request body is larger than the server accepts.",
    "415": "The request body is not in a media type this operation reads.",
    "429": "Too many requests: wait for the number of seconds in Retry-After.",
}


class FactDBAutoSchema(AutoSchema):
    def reads_anonymously(self) -> bool:
        if self.method not in permissions.SAFE_METHODS:
            return False
        return all(
            isinstance(permission, ANONYMOUS_READ_PERMISSIONS)
            for permission in self.view.get_permissions()
        )

    def get_auth(self) -> list[dict[str, Any]]:
        auths = super().get_auth()
        if self.reads_anonymously() and {} not in auths:
            auths.append({})
        return auths

    def _get_filter_parameters(self) -> list[dict[str, Any]]:
        """A filter sent empty (`?country=`) is no filter, as django-filter reads it:
        every filter's schema allows the empty value besides its own."""
        parameters = super()._get_filter_parameters()
        for parameter in parameters:
            schema = parameter["schema"]
            if schema.get("type") == "array" or schema == {"type": "string"}:
                continue  # An empty list, or any string, is already allowed.
            parameter["schema"] = {
                "anyOf": [schema, {"type": "string", "maxLength": 0}]
            }
        return parameters

    def _map_basic_serializer(self, serializer: Any, direction: str) -> dict[str, Any]:
        schema = super()._map_basic_serializer(serializer, direction)
        if direction == "request" and isinstance(
            serializer, RejectUnwritableFieldsMixin
        ):
            schema["additionalProperties"] = False  # Any other field is a 400.
        return schema

    def _get_request_body(self, direction: str = "request") -> dict[str, Any] | None:
        body = super()._get_request_body(direction)
        if body is not None and self.method == "POST":
            body["required"] = True  # Every creation or import needs one.
        return body

    def error_codes(self) -> list[str]:
        codes = ["400", "401", "429"]
        if not self.reads_anonymously():
            codes.append("403")
        paginated = self._is_list_view() and self._get_paginator() is not None
        if "{" in self.path or paginated:
            codes.append("404")
        if self.method == "DELETE":
            codes.append("409")
        if self.method in ("POST", "PUT", "PATCH"):
            codes += ["413", "415"]
        return codes

    def _get_response_bodies(self, direction: str = "response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        component = ResolvedComponent(
            name="Error",
            type=ResolvedComponent.SCHEMA,
            object="Error",
            schema=ERROR_SCHEMA,
        )
        self.registry.register_on_missing(component)
        for code in self.error_codes():
            responses.setdefault(
                code,
                {
                    "description": ERRORS[code],
                    "content": {"application/json": {"schema": component.ref}},
                },
            )
        return dict(sorted(responses.items()))
