"""The Content Security Policy for each part of the site (CONTENT_SECURITY_POLICY in
settings.py holds the strict one)."""

from __future__ import annotations

from csp.constants import SELF, UNSAFE_INLINE
from csp.middleware import CSPMiddleware, PolicyParts
from django.http import HttpRequest, HttpResponseBase

# The admin (with django-import-export's and django-simple-history's pages), DRF's
# browsable API and Swagger UI render other projects' templates, which set style
# attributes and <style> blocks: there, and only there, inline styles are allowed.
# The public pages, which show the stored source texts, get none; scripts are
# FactDB's own files everywhere.
INLINE_STYLE_PREFIXES = ("/admin/", "/api/")


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def get_policy_parts(
        self,
        request: HttpRequest,
        response: HttpResponseBase,
        report_only: bool = False,
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if parts.replace is None and request.path_info.startswith(
            INLINE_STYLE_PREFIXES
        ):
            parts.replace = {"style-src": [SELF, UNSAFE_INLINE]}
        return parts
