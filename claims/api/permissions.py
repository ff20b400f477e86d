"""Permissions of the API's editor-only actions."""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from claims.models import can_see_drafts


class DenyAll(BasePermission):
    """The API's default: a view that does not name its permissions serves nobody."""

    message = "This endpoint names no permission, so it is closed to everyone."

    def has_permission(self, request: Request, view: Any) -> bool:
        return False


class HasModelPermission(BasePermission):
    """The user holds `perm`: anonymous requests get a 401, other users a 403."""

    perm = ""

    def has_permission(self, request: Request, view: Any) -> bool:
        return bool(
            request.user
            and request.user.is_authenticated
            and request.user.has_perm(self.perm)
        )


class CanImportSources(HasModelPermission):
    message = "Importing sources is for editors (permission claims.add_source)."
    perm = "claims.add_source"


class CanReviewSuggestions(HasModelPermission):
    """Editors who may see drafts: an accepted suggestion names the draft statement
    it became, whose id a reader must not learn (claims.models.can_see_drafts)."""

    message = (
        "Statement suggestions are for editors: accepted ones name draft "
        "statements (permissions claims.view_statementsuggestion and "
        "claims.change_statement)."
    )
    perm = "claims.view_statementsuggestion"

    def has_permission(self, request: Request, view: Any) -> bool:
        return super().has_permission(request, view) and can_see_drafts(request.user)
