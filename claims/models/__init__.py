"""FactDB's domain: who (Actor) took which position (Statement) on what (Claim,
Source), when, in answer to what, backed by exact quotes (Citation).

Speaker, principal, reporting outlet and document stay four separate things: a
statement's `actor` spoke, on behalf of `on_behalf_of`; a citation's source was
published by its `publisher`; a statement may target a `document`.
"""

from .actors import Actor, ActorAlias, ActorKind, ActorQuerySet, Affiliation
from .base import (
    TimeStampedModel,
    can_see_drafts,
    country_code_validator,
    wikidata_id_validator,
)
from .citations import Citation, CitationQuerySet, QuoteKind, Verification
from .claims import Claim, ClaimQuerySet, Topic
from .sources import Source, SourceKind, SourceQuerySet
from .statements import DatePrecision, Statement, StatementQuerySet, StatementStatus
from .suggestions import (
    StatementSuggestion,
    StatementSuggestionQuerySet,
    SuggestionStatus,
)
from .versioning import StaleVersionError, VersionedModel, changes_since

__all__ = [
    "Actor",
    "ActorAlias",
    "ActorKind",
    "ActorQuerySet",
    "Affiliation",
    "Citation",
    "CitationQuerySet",
    "Claim",
    "ClaimQuerySet",
    "DatePrecision",
    "QuoteKind",
    "Source",
    "SourceKind",
    "SourceQuerySet",
    "StaleVersionError",
    "Statement",
    "StatementQuerySet",
    "StatementStatus",
    "StatementSuggestion",
    "StatementSuggestionQuerySet",
    "SuggestionStatus",
    "TimeStampedModel",
    "Topic",
    "Verification",
    "VersionedModel",
    "can_see_drafts",
    "changes_since",
    "country_code_validator",
    "wikidata_id_validator",
]
