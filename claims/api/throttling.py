"""The API's rate limits: anonymous clients by address (`anon`), authenticated
ones by account (`user`). The counters live in the default cache, a database table
shared by every worker process."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from rest_framework import throttling
from rest_framework.request import Request


class UserRateThrottle(throttling.UserRateThrottle):
    """Authenticated requests only: DRF's own also counts anonymous ones by address,
    which the tighter `anon` rate already limits, at the price of a second cache
    read and write on every request."""

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        if not (request.user and request.user.is_authenticated):
            return None
        return super().get_cache_key(request, view)


def client_address(request: HttpRequest) -> str | None:
    """The client's address as the rate limits see it (REST_FRAMEWORK NUM_PROXIES):
    also what django-axes keys login lockouts on."""
    return throttling.BaseThrottle().get_ident(request)
