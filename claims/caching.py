"""Large claims' timelines kept rendered, and answered conditionally.

A claim with hundreds of statements takes longer to render (its public page, its
API timeline: docs/benchmarks.md) than to find again, and changes far less often
than it is read. Each rendering is kept in the cache under a fingerprint of every
record it shows: the claim and its topics; each statement on it and each answer to
one; the statements they answer; their speakers, principals and claims; each
citation with the time it was last verified, its source and the documents
statements are about or made in, with their publishers. Any edit made through
FactDB raises the version of the record it changes (saves and bulk updates alike,
claims.models.versioning, claims.history), and a record added or removed changes
the ids, so any change to what a timeline shows gives a new fingerprint; a digest
of the code that renders it is in the key too. The key is also the response's
ETag: a reader who has this version gets 304 Not Modified.

A small timeline renders in about the time a kept one is found, and is not kept.
A copy is 200 to 260 kB for a claim of 400 statements: each rendering of a claim
has one entry, which a new version replaces.
An edit made outside FactDB (SQL that leaves versions alone) shows within
KEPT_SECONDS.
"""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response

from claims.models import Citation, Claim, Source, Statement

# An hour, then rendered again: a rendering no edit has replaced does not stay for
# ever.
KEPT_SECONDS = 3600

APP_DIRECTORY = Path(__file__).resolve().parent

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
# Of each citation, its source and the source's publisher; `verified_at` changes
# without a new version when a check confirms the recorded status.
_CITATION_COLUMNS = (
    "pk",
    "version",
    "verified_at",
    "source_id",
    "source__version",
    "source__publisher_id",
    "source__publisher__version",
)


def timeline_fingerprint(claim: Claim, statement_ids: list[int]) -> str:
    """The ids and versions of every record the timeline of `claim` shows, hashed;
    `statement_ids` are its timeline's (Statement.objects.timeline_ids()).
    Four queries."""
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


def code_digest(patterns: Iterable[str], *extra: str) -> str:
    """A digest of the app's files matching `patterns` (relative to claims/) and of
    `extra` texts: what else a rendering is made of."""
    digest = hashlib.blake2b(digest_size=8)
    for pattern in patterns:
        for path in sorted(APP_DIRECTORY.glob(pattern)):
            digest.update(path.read_bytes())
    for text in extra:
        digest.update(text.encode())
    return digest.hexdigest()


class KeptTimeline:
    """One rendering of a claim's timeline as it is now (the public page, the API's
    JSON), if it is worth keeping."""

    def __init__(
        self, rendering: str, claim: Claim, statement_ids: list[int], digest: str
    ) -> None:
        # Each rendering its own ETag: a reader's must not validate an editor's.
        rendered_by = hashlib.blake2b(f"{rendering}:{digest}".encode(), digest_size=8)
        version = (
            f"{timeline_fingerprint(claim, statement_ids)}-{rendered_by.hexdigest()}"
        )
        self.version = version
        self.etag = f'"{version}"'
        # One entry per rendering of a claim, holding its version: a new version
        # replaces the copy it supersedes instead of leaving it in the table until
        # the table is culled.
        self.key = f"kept-timeline:{rendering}:{claim.pk}"

    @classmethod
    def of(
        cls,
        request: HttpRequest,
        rendering: str,
        claim: Claim,
        statement_ids: list[int],
        digest: str,
    ) -> KeptTimeline | None:
        """None for a small timeline, or a request with parameters (the public
        page's search box shows `q`; the API's `format`): those are rendered every
        time. `rendering` names what the response is and whom it is for."""
        if request.GET or len(statement_ids) < settings.TIMELINE_CACHE_STATEMENTS:
            return None
        return cls(rendering, claim, statement_ids, digest)

    def response(self, request: HttpRequest) -> HttpResponse | None:
        """304 for a reader who has this version, else the kept response, else
        None."""
        not_modified = get_conditional_response(request, etag=self.etag)
        if not_modified is not None:
            return self._tagged(not_modified)
        kept = caches["default"].get(self.key)
        if kept is None or kept[0] != self.version:
            return None
        _, content_type, content = kept
        return self._tagged(
            HttpResponse(zlib.decompress(content), content_type=content_type)
        )

    def keep(self, response: HttpResponse) -> HttpResponse:
        """Keep a rendered response (200 only) and tag it with its ETag."""
        if response.status_code == 200:
            # Compressed (8 ms): the largest generated claim's 870 kB page is 150
            # kB, written to the cache's table in 5 ms instead of 47, read in 3
            # instead of 15.
            content = zlib.compress(response.content, 1)
            kept = (self.version, response.headers["Content-Type"], content)
            caches["default"].set(self.key, kept, KEPT_SECONDS)
        return self._tagged(response)

    def _tagged(self, response: HttpResponse) -> HttpResponse:
        response.headers["ETag"] = self.etag
        return response
