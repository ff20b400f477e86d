"""Precision and recall of the statement suggester against the editors' statements."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from claims.evaluation import Score, evaluate
from claims.services import build_suggester


class Command(BaseCommand):
    help = (
        "Run the statement suggester on every source with a text that editors have "
        "cited (the seed articles, once loaded) and print its precision and recall "
        "per source and overall; see claims/evaluation.py for the matching rule."
    )

    def handle(self, *args, **options) -> None:
        evaluation = evaluate(suggester=build_suggester())
        if not evaluation.sources:
            raise CommandError(
                "No cited source with a text: load the seed fixtures first "
                "(loaddata actors sources claims statements)."
            )
        self.stdout.write(
            "source | suggestions | statements | precision exact/hierarchy | "
            "recall exact/hierarchy | stance agreement"
        )
        for score in [*evaluation.sources, evaluation.overall]:
            self.stdout.write(self._line(score))

    @staticmethod
    def _line(score: Score) -> str:
        return (
            f"{score.label[:60]} | {score.suggestions} | {score.statements} | "
            f"{score.exact_precision:.2f}/{score.hierarchy_precision:.2f} | "
            f"{score.exact_recall:.2f}/{score.hierarchy_recall:.2f} | "
            f"{score.stance_agreement:.2f}"
        )
