"""The plain backend: case-insensitive substring matching through the ORM.

For databases without full-text search (SQLite built without FTS5, other vendors), and
forced with FACTDB_SEARCH_BACKEND = "fallback". Same query language and same
matching rules (a record matches through its own fields or one related row), but:
words match as substrings ("camp" finds "campaign"), stemming is a crude suffix
strip ("denied" also finds "denial"), phrases must appear with single spaces,
case-folding beyond ASCII depends on the database, and rank counts the matching
(field, term) pairs weighted like the native backends' A/B/C. No index: it scans.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import reduce
from operator import and_, or_

from django.db.models import (
    Case,
    Exists,
    ExpressionWrapper,
    FloatField,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)

from claims.models import Actor, ActorAlias, Citation, Claim, Source, Statement

from .base import SearchBackend
from .query import START_MARK, STOP_MARK, ParsedQuery, Term

# Weights of a match in a title-like field (A), a body (B) and other text (C).
A, B, C = 1.0, 0.4, 0.2

SNIPPET_WORDS = 30

_SUFFIXES = (("ies", "i"), ("ied", "i"), ("ing", ""), ("ed", ""), ("es", ""))
_SUFFIXES += (("s", ""), ("y", "i"))
_MIN_STEM = 4

# The native backends' highlight markers never reach a snippet; nor do they here.
_NO_MARKERS = dict.fromkeys(map(ord, (START_MARK, STOP_MARK)))


@dataclass(frozen=True)
class Related:
    model: type[Model]
    fk: str
    field: str
    weight: float


@dataclass(frozen=True)
class Kind:
    model: type[Model]
    # Field: weight, in the order a snippet looks for a match.
    fields: dict[str, float]
    related: Related | None = None


KINDS = {
    "claim": Kind(Claim, {"text": A, "description": B, "slug": B}),
    "source": Kind(Source, {"title": A, "text": B}),
    "statement": Kind(
        Statement,
        {"summary": A, "context": C},
        Related(Citation, "statement", "quote", B),
    ),
    "actor": Kind(
        Actor, {"name": A, "description": C}, Related(ActorAlias, "actor", "name", A)
    ),
}


def variants(term: Term) -> list[str]:
    """The substrings that stand for `term`: the word and, for a single word, its
    crude stem ("denied": "denied", "deni", "deny")."""
    if term.phrase or len(term.words) != 1:
        stripped = re.sub(r"^[\W_]+|[\W_]+$", "", term.text)
        return [" ".join(stripped.split())]
    word = term.words[0]
    found = [word]
    for suffix, replacement in _SUFFIXES:
        stem = word[: -len(suffix)] + replacement
        if word.endswith(suffix) and len(stem) >= _MIN_STEM:
            found.append(stem)
            if stem.endswith("i"):
                found.append(stem[:-1] + "y")
            break
    return found


def _term_q(term: Term, fields: Sequence[str]) -> Q:
    return reduce(
        or_,
        (Q(**{f"{field}__icontains": v}) for field in fields for v in variants(term)),
    )


def _document_q(query: ParsedQuery, fields: Sequence[str]) -> Q:
    """A record's fields, taken together as one document, match the query."""
    matches = reduce(
        and_,
        (reduce(or_, (_term_q(t, fields) for t in group)) for group in query.groups),
    )
    for term in query.excluded:
        matches &= ~_term_q(term, fields)
    return matches


def _related_matches(
    spec: Kind, query: ParsedQuery, *, containing: Term | None = None
) -> Exists:
    """One of the record's related rows matches (and contains `containing`)."""
    related = spec.related
    rows = related.model.objects.filter(
        _document_q(query, [related.field]), **{related.fk: OuterRef("pk")}
    )
    if containing is not None:
        rows = rows.filter(_term_q(containing, [related.field]))
    return Exists(rows)


class FallbackBackend(SearchBackend):
    name = "fallback"

    def search(
        self,
        queryset: QuerySet,
        kind: str,
        query: ParsedQuery,
        *,
        candidates: int | None = None,
    ) -> QuerySet:
        spec = KINDS[kind]
        matches = _document_q(query, list(spec.fields))
        if spec.related:
            matches |= _related_matches(spec, query)
        if candidates is not None:
            newest = spec.model._default_manager.filter(matches).order_by("-pk")
            matches = Q(pk__in=newest.values("pk")[:candidates])
        terms = query.positive_terms
        scores = [
            Case(When(_term_q(term, [field]), then=Value(weight)), default=Value(0.0))
            for field, weight in spec.fields.items()
            for term in terms
        ]
        if spec.related:
            scores += [
                Case(
                    When(
                        _related_matches(spec, query, containing=term),
                        then=Value(spec.related.weight),
                    ),
                    default=Value(0.0),
                )
                for term in terms
            ]
        rank = reduce(lambda total, score: total + score, scores)
        return queryset.filter(matches).annotate(
            search_rank=ExpressionWrapper(rank, output_field=FloatField())
        )

    def snippets(
        self, kind: str, ids: Sequence[int], query: ParsedQuery, *, using: str
    ) -> dict[int, str]:
        spec = KINDS[kind]
        if not ids:
            return {}
        documents: dict[int, list[str]] = {}
        rows = spec.model._default_manager.using(using).filter(pk__in=ids)
        for row in rows.filter(_document_q(query, list(spec.fields))).values(
            "pk", *spec.fields
        ):
            documents[row["pk"]] = [row[field] for field in spec.fields]
        if spec.related:
            related = spec.related
            matching = related.model._default_manager.using(using).filter(
                _document_q(query, [related.field]),
                **{f"{related.fk}__in": ids},
            )
            for pk, text in matching.order_by("pk").values_list(
                f"{related.fk}_id", related.field
            ):
                documents.setdefault(pk, []).append(text)
        pattern = highlight_pattern(query)
        snippets = {}
        for pk, texts in documents.items():
            snippet = next(
                (cut_snippet(text, pattern) for text in texts if pattern.search(text)),
                None,
            )
            if snippet is not None:
                snippets[pk] = snippet
        return snippets


def highlight_pattern(query: ParsedQuery) -> re.Pattern:
    """Whole words containing a matched substring, or a phrase."""
    alternatives = []
    for term in query.positive_terms:
        for variant in variants(term):
            words = [re.escape(word) for word in variant.split()]
            alternatives.append(r"\w*" + r"\s+".join(words) + r"\w*")
    return re.compile("|".join(alternatives), re.IGNORECASE)


def cut_snippet(text: str, pattern: re.Pattern) -> str:
    """About SNIPPET_WORDS words around the first match, escaped, matches marked."""
    text = text.translate(_NO_MARKERS)
    first = pattern.search(text)
    words = list(re.finditer(r"\S+", text))
    index = next(i for i, word in enumerate(words) if word.end() > first.start())
    start_word = max(0, index - SNIPPET_WORDS // 3)
    end_word = min(len(words), start_word + SNIPPET_WORDS)
    start, end = words[start_word].start(), words[end_word - 1].end()
    window = text[start:end]
    parts = ["… " if start_word else ""]
    position = 0
    for match in pattern.finditer(window):
        parts.append(html.escape(window[position : match.start()]))
        parts.append(f"<mark>{html.escape(match.group())}</mark>")
        position = match.end()
    parts.append(html.escape(window[position:]))
    parts.append(" …" if end_word < len(words) else "")
    return "".join(parts)
