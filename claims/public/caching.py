"""The pages of large claims, kept rendered and answered conditionally.

A claim with hundreds of statements takes a few hundred milliseconds to render
(docs/benchmarks.md) and changes far less often than it is read. Its page is kept
in the cache under a fingerprint of every record it shows: the claim and its
topics; each statement on it and each answer to one; the statements they answer;
their speakers, principals and claims; each citation, its source and the documents
statements are about or made in, with their publishers. Any edit made through
FactDB raises the version of the record it changes (saves and bulk updates alike,
claims.models.versioning, claims.history), and a record added or removed changes
the ids, so any change to what the page shows gives a new fingerprint; the code
that renders the page is in the key too. The key is also the page's ETag: a
reader who has this version gets 304 Not Modified.

A small page renders in about the time a kept one is found, and is not kept.
An edit made outside FactDB (SQL that leaves versions alone) shows within
PAGE_SECONDS.
"""

from __future__ import annotations

import hashlib
import zlib
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.templatetags.static import static
from django.utils.cache import get_conditional_response

from claims.models import Citation, Claim, Source, Statement

# An hour, then re-rendered: a page no edit has replaced does not stay for ever.
PAGE_SECONDS = 3600

# Of each statement, its speaker and principal, and of the statement it answers
# with its speaker; the claims and documents are read after.
_STATEMENT_COLUMNS = (
    "pk",
    "version",
    "actor_id",
    "actor__version",
    "on_behalf_of_id",
    "on_behalf_of__version",
    "claim_id",
    "document_id",
    "made_in_id",
    "responds_to_id",
    "responds_to__version",
    "responds_to__actor_id",
    "responds_to__actor__version",
    "responds_to__claim_id",
)
# Of each citation, its source and the source's publisher.
_CITATION_COLUMNS = (
    "pk",
    "version",
    "source_id",
    "source__version",
    "source__publisher_id",
    "source__publisher__version",
)


def claim_page_fingerprint(claim: Claim, statement_ids: list[int]) -> str:
    """The ids and versions of every record the page of `claim` shows, hashed;
    `statement_ids` are its timeline's (Statement.objects.timeline_ids())."""
    statements = sorted(
        Statement.objects.filter(pk__in=statement_ids)
        .order_by()
        .values_list(*_STATEMENT_COLUMNS)
    )
    citations = sorted(
        Citation.objects.filter(statement_id__in=statement_ids)
        .order_by()
        .values_list(*_CITATION_COLUMNS)
    )

    def ids(*names: str) -> set[int]:
        columns = [_STATEMENT_COLUMNS.index(name) for name in names]
        return {row[i] for row in statements for i in columns} - {None}

    documents = sorted(
        Source.objects.filter(pk__in=ids("document_id", "made_in_id"))
        .order_by()
        .values_list("pk", "version", "publisher_id", "publisher__version")
    )
    claims = sorted(
        Claim.objects.filter(pk__in=ids("claim_id", "responds_to__claim_id"))
        .order_by()
        .values_list("pk", "version")
    )
    # Claim.objects.for_api() has them prefetched.
    topics = sorted((topic.pk, topic.version) for topic in claim.topics.all())
    shown = (claim.pk, claim.version, statements, citations, documents, claims, topics)
    return hashlib.blake2b(repr(shown).encode(), digest_size=16).hexdigest()


@cache
def rendering_digest() -> str:
    """What else a page is made of: the public pages' code and templates, the
    stance vocabulary and the stylesheet's address (hashed in production)."""
    app = Path(__file__).resolve().parent.parent
    files = [
        *sorted(app.glob("public/*.py")),
        *sorted(app.glob("jinja2/public/*.html")),
        app / "stances.py",
    ]
    digest = hashlib.blake2b(digest_size=8)
    for path in files:
        digest.update(path.read_bytes())
    digest.update(static("public/factdb.css").encode())
    return digest.hexdigest()


class CachedClaimPage:
    """The kept page of one claim as it is now, if the page is worth keeping."""

    def __init__(self, claim: Claim, statement_ids: list[int]) -> None:
        version = f"{claim_page_fingerprint(claim, statement_ids)}-{rendering_digest()}"
        self.etag = f'"{version}"'
        self.key = f"public-claim:{claim.pk}:{version}"

    @classmethod
    def of(
        cls, request: HttpRequest, claim: Claim, statement_ids: list[int]
    ) -> CachedClaimPage | None:
        """None for a small page, or a request with parameters (the search box
        shows `q`): those are rendered every time."""
        if request.GET or len(statement_ids) < settings.PUBLIC_PAGE_CACHE_STATEMENTS:
            return None
        return cls(claim, statement_ids)

    def response(self, request: HttpRequest) -> HttpResponse | None:
        """304 for a reader who has this version, else the kept page, else None."""
        not_modified = get_conditional_response(request, etag=self.etag)
        if not_modified is not None:
            return self._tagged(not_modified)
        kept = caches["default"].get(self.key)
        if kept is None:
            return None
        return self._tagged(HttpResponse(zlib.decompress(kept)))

    def keep(self, response: HttpResponse) -> HttpResponse:
        # Compressed (8 ms): the largest generated claim's 870 kB page is 150 kB,
        # written to the cache's table in 5 ms instead of 47, read in 3 instead of 15.
        kept = zlib.compress(response.content, 1)
        caches["default"].set(self.key, kept, PAGE_SECONDS)
        return self._tagged(response)

    def _tagged(self, response: HttpResponse) -> HttpResponse:
        response.headers["ETag"] = self.etag
        return response
