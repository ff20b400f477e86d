"""Precision and recall of the statement suggester against the editors' statements.

The rule, per source with a text: the editors' statements are those with at least
one citation in that source. A suggestion matches a statement when its quote
overlaps one of that statement's citations in the source and its actor is
- the same actor ("exact"), or
- in the same hierarchy ("hierarchy"): one of the two is the other, a body above it
  (parent, at any depth), or an organisation the person holds a role at (or a body
  above that one); "UN" for OHCHR, the Foreign Ministry for its spokesman.
Precision: matched suggestions / suggestions. Recall: matched statements /
statements. One suggestion may match two statements made in the same sentence
(the BBC's report of rape and of torture), and a statement is found once however
many suggestions match it. Stance agreement is the share of exactly matched
statements whose matching suggestion proposes the editors' stance.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from .models import Actor, Affiliation, Citation, Source
from .suggestions import Suggester, Suggestion


@dataclass
class Score:
    label: str
    suggestions: int = 0
    statements: int = 0
    exact_suggestions: int = 0
    exact_statements: int = 0
    hierarchy_suggestions: int = 0
    hierarchy_statements: int = 0
    stance_agreements: int = 0

    def add(self, other: Score) -> None:
        for name in (
            "suggestions",
            "statements",
            "exact_suggestions",
            "exact_statements",
            "hierarchy_suggestions",
            "hierarchy_statements",
            "stance_agreements",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @staticmethod
    def ratio(part: int, whole: int) -> float:
        return part / whole if whole else 0.0

    @property
    def exact_precision(self) -> float:
        return self.ratio(self.exact_suggestions, self.suggestions)

    @property
    def exact_recall(self) -> float:
        return self.ratio(self.exact_statements, self.statements)

    @property
    def hierarchy_precision(self) -> float:
        return self.ratio(self.hierarchy_suggestions, self.suggestions)

    @property
    def hierarchy_recall(self) -> float:
        return self.ratio(self.hierarchy_statements, self.statements)

    @property
    def stance_agreement(self) -> float:
        return self.ratio(self.stance_agreements, self.exact_statements)


@dataclass
class Evaluation:
    sources: list[Score] = field(default_factory=list)

    @property
    def overall(self) -> Score:
        total = Score("overall")
        for score in self.sources:
            total.add(score)
        return total


def lineages() -> dict[int, set[int]]:
    """Each actor with the bodies above it and, for a person, the organisations it
    holds roles at and the bodies above those."""
    parents = dict(Actor.objects.values_list("pk", "parent"))
    roles: dict[int, set[int]] = defaultdict(set)
    for person, organisation in Affiliation.objects.values_list(
        "person", "organisation"
    ):
        roles[person].add(organisation)

    def above(actor_id: int) -> set[int]:
        found: set[int] = set()
        current = parents.get(actor_id)
        while current is not None and current not in found:
            found.add(current)
            current = parents.get(current)
        return found

    lines: dict[int, set[int]] = {}
    for actor_id in parents:
        line = {actor_id} | above(actor_id)
        for organisation in roles.get(actor_id, ()):
            line |= {organisation} | above(organisation)
        lines[actor_id] = line
    return lines


def evaluate(
    *, suggester: Suggester, sources: list[Source] | None = None
) -> Evaluation:
    """Score the suggester on each source with text that the editors cited."""
    if sources is None:
        cited = Citation.objects.values("source")
        sources = list(
            Source.objects.filter(pk__in=cited).exclude(text="").order_by("pk")
        )
    lines = lineages()
    evaluation = Evaluation()
    for source in sources:
        spans: dict[int, list[tuple[int, int]]] = defaultdict(list)
        actor_of: dict[int, tuple[int, str]] = {}
        for statement_id, actor_id, stance, start, end in Citation.objects.filter(
            source=source
        ).values_list(
            "statement", "statement__actor", "statement__stance", "start", "end"
        ):
            spans[statement_id].append((start, end))
            actor_of[statement_id] = (actor_id, stance)
        found = suggester.suggest(source.text, published_on=source.published_on)
        evaluation.sources.append(_score(str(source), found, spans, actor_of, lines))
    return evaluation


def _score(
    label: str,
    found: list[Suggestion],
    spans: dict[int, list[tuple[int, int]]],
    actor_of: dict[int, tuple[int, str]],
    lines: dict[int, set[int]],
) -> Score:
    score = Score(label, suggestions=len(found), statements=len(spans))
    exact_found: set[int] = set()
    hierarchy_found: set[int] = set()
    agreeing: set[int] = set()
    for suggestion in found:
        exact = hierarchy = False
        for statement_id, statement_spans in spans.items():
            if not any(
                suggestion.start < end and start < suggestion.end
                for start, end in statement_spans
            ):
                continue
            actor_id, stance = actor_of[statement_id]
            if suggestion.actor_id is None:
                continue
            if suggestion.actor_id == actor_id:
                exact = hierarchy = True
                exact_found.add(statement_id)
                hierarchy_found.add(statement_id)
                if suggestion.stance == stance:
                    agreeing.add(statement_id)
            elif suggestion.actor_id in lines.get(
                actor_id, ()
            ) or actor_id in lines.get(suggestion.actor_id, ()):
                hierarchy = True
                hierarchy_found.add(statement_id)
        score.exact_suggestions += exact
        score.hierarchy_suggestions += hierarchy
    score.exact_statements = len(exact_found)
    score.hierarchy_statements = len(hierarchy_found)
    score.stance_agreements = len(agreeing)
    return score
