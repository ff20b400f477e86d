"""Full-text search over claims, statements, sources and actors: one interface, one
backend per database.

The entry point checks the connection's vendor once and hands over to a backend in
claims/search_backends/: PostgreSQL full-text search (generated tsvector columns with
GIN indexes), SQLite FTS5 (tables kept in sync by triggers), or a plain fallback
(substring matching) for anything else, or when the setting
FACTDB_SEARCH_BACKEND = "fallback" forces it. All speak the web-search syntax of
claims/search_backends/query.py.

Callers pass querysets already restricted to what the user may see (published
statements only for readers): search never widens them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connections
from django.db.models import Model, QuerySet

from claims.models import Actor, Claim, Source, Statement
from claims.search_backends import sqlite
from claims.search_backends.base import KINDS, SearchBackend
from claims.search_backends.fallback import FallbackBackend
from claims.search_backends.postgres import PostgresBackend
from claims.search_backends.query import (
    ParsedQuery,
    SearchQueryError,
    parse_query,
)
from claims.search_backends.sqlite import SQLiteBackend

__all__ = [
    "SEARCHABLE",
    "SearchHit",
    "SearchQueryError",
    "get_backend",
    "search_all",
    "search_queryset",
    "snippet_for",
    "snippets_for",
]

SEARCHABLE = KINDS  # ("claim", "statement", "source", "actor")

MODELS: dict[str, type[Model]] = {
    "claim": Claim,
    "statement": Statement,
    "source": Source,
    "actor": Actor,
}

# Ranking reads each match's text, and a common word matches tens of thousands of
# sources and quotes (seconds at a million statements): search_all() ranks the
# most recently added matches of each kind, this many, and keeps the best.
RANKED_CANDIDATES = 1000

BACKEND_SETTING = "FACTDB_SEARCH_BACKEND"
_BACKENDS: dict[str, SearchBackend] = {
    "postgresql": PostgresBackend(),
    "sqlite": SQLiteBackend(),
    "fallback": FallbackBackend(),
}


@dataclass(frozen=True)
class SearchHit:
    kind: str  # "claim" | "statement" | "source" | "actor"
    id: int
    title: str  # claim text / statement summary / source str() / actor name
    snippet: str  # HTML: escaped text, matched terms in <mark>…</mark>
    rank: float


def get_backend(using: str = "default") -> SearchBackend:
    """The backend for database `using`: its vendor's, unless the setting
    FACTDB_SEARCH_BACKEND is "fallback"."""
    forced = getattr(settings, BACKEND_SETTING, "auto")
    if forced not in ("auto", "fallback"):
        raise ImproperlyConfigured(
            f'{BACKEND_SETTING} must be "auto" or "fallback"; got {forced!r}.'
        )
    vendor = connections[using].vendor
    if forced == "fallback":
        return _BACKENDS["fallback"]
    if vendor == "postgresql":
        return _BACKENDS["postgresql"]
    if vendor == "sqlite" and sqlite.fts5_available():
        return _BACKENDS["sqlite"]
    return _BACKENDS["fallback"]


def search_queryset(queryset: QuerySet, query: str) -> QuerySet:
    """Restrict `queryset` (of Claim, Statement, Source or Actor) to records matching
    `query`, annotated with `search_rank` (higher is better) and ordered by it, then pk.

    Statements match on summary, context and their citations' quotes; sources on title
    and text; actors on name, description and aliases; claims on slug, text and
    description. Matching uses subqueries, never joins, so rows are not multiplied
    and the result composes with filter(), count(), slicing and prefetching.
    Raises SearchQueryError for a bad query.
    """
    kind = _kind_of(queryset.model)
    parsed = parse_query(query)
    backend = get_backend(queryset.db)
    return backend.search(queryset, kind, parsed).order_by("-search_rank", "pk")


def search_all(
    query: str, *, querysets: dict[str, QuerySet], limit: int = 50
) -> list[SearchHit]:
    """Search every kind in `querysets` (keys from SEARCHABLE, values the querysets the
    user may see), merge by rank (desc), return at most `limit` hits with snippets.

    Of each kind, the RANKED_CANDIDATES most recently added matches are ranked.
    Two queries per kind: the ranked matches, then the snippets of those kept.
    """
    parsed = parse_query(query)
    unknown = set(querysets) - set(SEARCHABLE)
    if unknown:
        raise ValueError(f"Unknown kinds {sorted(unknown)}; use {SEARCHABLE}.")
    if limit < 1:
        return []
    candidates: list[tuple[str, Model]] = []
    for kind, queryset in querysets.items():
        if queryset.model is not MODELS[kind]:
            raise ValueError(f"The {kind!r} queryset is of {queryset.model.__name__}.")
        found = get_backend(queryset.db).search(
            queryset, kind, parsed, candidates=RANKED_CANDIDATES
        )
        if kind == "source":
            found = found.select_related("publisher")  # str() of an untitled source
        # No kind can contribute more than `limit` hits to the merged list.
        found = found.order_by("-search_rank", "pk")[:limit]
        candidates += [(kind, obj) for obj in found]
    candidates.sort(key=lambda c: (-c[1].search_rank, SEARCHABLE.index(c[0]), c[1].pk))
    kept = candidates[:limit]
    snippets = {
        kind: _snippets(kind, [obj for k, obj in kept if k == kind], parsed)
        for kind in querysets
    }
    return [
        SearchHit(
            kind=kind,
            id=obj.pk,
            title=_title(kind, obj),
            snippet=snippets[kind].get(obj.pk, ""),
            rank=float(obj.search_rank),
        )
        for kind, obj in kept
    ]


def snippet_for(obj: Model, query: str) -> str:
    """The HTML snippet of `obj` for `query` (matches in <mark>); "" if it does not
    match. One query: for a page of results use snippets_for()."""
    return snippets_for([obj], query).get(obj.pk, "")


def snippets_for(objs: Iterable[Model], query: str) -> dict[int, str]:
    """{pk: HTML snippet} for those of `objs` (all of one model) matching `query`;
    one query per call."""
    objs = list(objs)
    if not objs:
        return {}
    parsed = parse_query(query)
    kind = _kind_of(type(objs[0]))
    return _snippets(kind, objs, parsed)


def _snippets(kind: str, objs: Sequence[Model], parsed: ParsedQuery) -> dict[int, str]:
    if not objs:
        return {}
    using = objs[0]._state.db or "default"
    backend = get_backend(using)
    return backend.snippets(kind, [obj.pk for obj in objs], parsed, using=using)


def _kind_of(model: type[Model]) -> str:
    concrete = model._meta.concrete_model
    for kind, searchable in MODELS.items():
        if concrete is searchable:
            return kind
    raise TypeError(
        f"Search covers claims, statements, sources and actors, not {model.__name__}."
    )


def _title(kind: str, obj: Model) -> str:
    if kind == "claim":
        return obj.text
    if kind == "statement":
        return obj.summary
    if kind == "actor":
        return obj.name
    return str(obj)
