"""W3C Web Annotation (JSON-LD): each citation an annotation on its source, with a
TextQuoteSelector and a TextPositionSelector, so annotation tools (Hypothesis,
Recogito) can show the quote in place. The document is one AnnotationPage."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from .base import Exporter
from .rows import CitationRow

CONTEXT = "http://www.w3.org/ns/anno.jsonld"


class AnnotationsExporter(Exporter):
    name = "annotations"
    label = "W3C Web Annotations (JSON-LD)"
    media_type = f'application/ld+json; profile="{CONTEXT}"; charset=utf-8'
    extension = "jsonld"
    detailed = True

    def _uri(self, kind: str, pk: int) -> str:
        """The record's API address when the base URL is known, else a URN."""
        if self.base_url:
            return f"{self.base_url}/api/v1/{kind}s/{pk}/"
        return f"urn:factdb:{kind}:{pk}"

    def annotation(self, citation: CitationRow) -> dict[str, Any]:
        statement, source = citation.statement, citation.source
        described = (
            f"{statement.actor.name} {statement.get_stance_display()} "
            f"({statement.made_on.isoformat()}): {statement.summary}"
        )
        return {
            "id": self._uri("citation", citation.pk),
            "type": "Annotation",
            "motivation": "describing",
            "created": citation.created_at.isoformat(),
            "body": [
                {
                    "type": "TextualBody",
                    "purpose": "describing",
                    "value": described,
                    "format": "text/plain",
                    "language": "en",
                },
                {
                    "type": "SpecificResource",
                    "purpose": "linking",
                    "source": self._uri("statement", statement.pk),
                },
            ],
            "target": {
                "source": (
                    source.url or source.archive_url or self._uri("source", source.pk)
                ),
                "selector": [
                    {
                        "type": "TextQuoteSelector",
                        "exact": citation.quote,
                        "prefix": citation.prefix,
                        "suffix": citation.suffix,
                    },
                    {
                        "type": "TextPositionSelector",
                        "start": citation.start,
                        "end": citation.end,
                    },
                ],
            },
        }

    def chunks(self, citations: Iterable[CitationRow]) -> Iterator[str]:
        yield (
            f'{{\n  "@context": "{CONTEXT}",\n  "type": "AnnotationPage",\n  "items": ['
        )
        separator = "\n"
        for citation in citations:
            yield separator + json.dumps(self.annotation(citation), ensure_ascii=False)
            separator = ",\n"
        yield "\n  ]\n}\n"
