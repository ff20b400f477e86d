"""Reading files to import and parsing their metadata: pure functions, no ORM.

A file is plain text (stored verbatim, metadata read from its header lines and
dateline), HTML (the article text extracted, metadata from its <meta> tags and the
same text rules) or JSON Lines (one document per line: `text` and metadata keys).
`claims.services.import_file` writes what these functions return.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime, time
from html.parser import HTMLParser
from pathlib import Path

JSON_LINES_SUFFIXES = frozenset({".jsonl", ".ndjson"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})

JSON_LINES_KEYS = frozenset(
    {
        "text",
        "title",
        "url",
        "published_on",
        "published_time",
        "publisher",
        "byline",
        "dateline",
        "language",
        "kind",
    }
)

TITLE_MAX_LENGTH = 200
"""A first line longer than this is a paragraph, not a title."""

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}

# " date 2021-02-04 (@ChaudhryMAli88)": the header some scrapers put first.
_DATE_HEADER = re.compile(
    r"\A\s*date (?P<date>\d{4}-\d{2}-\d{2})(?:[ \t]+\((?P<handle>@\w+)\))?"
)
# "Published 13.02.2019 00:21" on a line of its own.
_PUBLISHED_LINE = re.compile(
    r"^[ \t]*Published (?P<day>\d{1,2})\.(?P<month>\d{1,2})\.(?P<year>\d{4})"
    r"(?: (?P<hour>\d{1,2}):(?P<minute>\d{2}))?[ \t]*$",
    re.MULTILINE,
)
# "BEIJING (UrduPoint News / Sputnik - 04th February, 2021) ..." opening a paragraph.
_AGENCY_DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Z .'\-]*[A-Z]) \((?P<publisher>[^()/\n]+?)"
    r"(?: / (?P<wire>[^()\n]+?))? [-\u2013\u2014] (?P<day>\d{1,2})(?:st|nd|rd|th)? "
    r"(?P<month>[A-Za-z]+),? (?P<year>\d{4})\)",
    re.MULTILINE,
)
# "BEIJING - China called ...": a place in capitals and a dash opening a paragraph.
_PLACE_DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Z .'\-]*[A-Z]) [-\u2013\u2014] (?=\S)", re.MULTILINE
)
_BYLINE_LINE = re.compile(
    r"^[ \t]*By (?P<name>[A-Z][\w.'\-]*(?: [A-Z][\w.'\-]*){0,4})[ \t]*$", re.MULTILINE
)
_HEAD_LINES = 6
"""Header lines (title, date, byline) are looked for among the first few lines."""


class FileRejected(ValueError):
    """A file that cannot be imported; the message is the reason shown to editors."""


@dataclass(frozen=True, kw_only=True)
class ImportedDocument:
    """One document to import: its verbatim text and the metadata found for it."""

    name: str
    """Where it came from: a file name, or `file.jsonl:3` for a line."""
    text: str
    kind: str = "news_article"
    title: str = ""
    url: str = ""
    publisher: str = ""
    """The publisher as printed; matched to a known media actor on import."""
    wire: str = ""
    """A news agency the dateline credits as well (Sputnik)."""
    byline: str = ""
    dateline: str = ""
    published_on: date | None = None
    published_time: time | None = None
    language: str = "en"


@dataclass(frozen=True)
class RejectedDocument:
    """A part of a file that cannot be imported (a malformed JSON line)."""

    name: str
    reason: str


@dataclass
class ParsedFile:
    name: str
    documents: list[ImportedDocument] = field(default_factory=list)
    rejected: list[RejectedDocument] = field(default_factory=list)


# Files ------------------------------------------------------------------------------


def collect_files(paths: Iterable[str | Path]) -> list[Path]:
    """The files named, and every file in the folders named (recursively, sorted);
    hidden files are skipped. A path that does not exist is returned as it is, so
    reading it reports the problem."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.extend(
                sorted(
                    p
                    for p in path.rglob("*")
                    if p.is_file()
                    and not any(
                        part.startswith(".") for part in p.relative_to(path).parts
                    )
                )
            )
        else:
            found.append(path)
    return found


def read_file(path: Path, *, max_bytes: int) -> bytes:
    """The file's bytes; refused before reading when it is larger than allowed."""
    try:
        size = path.stat().st_size
    except OSError as error:
        raise FileRejected(f"cannot be read ({error.strerror or error})") from error
    if size > max_bytes:
        raise FileRejected(_too_large(size, max_bytes))
    try:
        return path.read_bytes()
    except OSError as error:
        raise FileRejected(f"cannot be read ({error.strerror or error})") from error


def decode_text(data: bytes, *, max_bytes: int, size: int | None = None) -> str:
    """UTF-8 text of a file, refusing what is too large, empty, binary or not UTF-8.

    `size`: the whole file's size, when only its first bytes were read.
    """
    size = max(size or 0, len(data))
    if size > max_bytes:
        raise FileRejected(_too_large(size, max_bytes))
    if b"\x00" in data:
        raise FileRejected("binary file (it contains NUL bytes), not text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise FileRejected(
            f"not UTF-8 (byte 0x{data[error.start]:02x} at offset {error.start} "
            f"cannot be decoded); save it as UTF-8 and import it again"
        ) from error
    # A byte-order mark is an encoding artefact, not part of the text.
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise FileRejected("empty file (no text)")
    return text


def _too_large(size: int, max_bytes: int) -> str:
    return f"too large ({size:,} bytes; the limit is {max_bytes:,} bytes)"


def file_format(name: str, text: str) -> str:
    """ "jsonl", "html" or "text", by the file's suffix, else by its first bytes."""
    suffix = Path(name).suffix.lower()
    if suffix in JSON_LINES_SUFFIXES:
        return "jsonl"
    if suffix in HTML_SUFFIXES:
        return "html"
    head = text.lstrip()[:15].lower()
    if head.startswith(("<!doctype html", "<html")):
        return "html"
    return "text"


def parse_file(
    name: str, data: bytes, *, max_bytes: int, size: int | None = None
) -> ParsedFile:
    """Every document in a file. Raises FileRejected for a file that is unusable as
    a whole; a malformed JSON line is listed in `rejected` and skipped."""
    text = decode_text(data, max_bytes=max_bytes, size=size)
    kind = file_format(name, text)
    if kind == "jsonl":
        parsed = parse_json_lines(name, text)
        if not parsed.documents and not parsed.rejected:
            raise FileRejected("empty file (no JSON lines)")
        return parsed
    if kind == "html":
        document = parse_html(name, text)
        if not document.text.strip():
            raise FileRejected("no article text found in the HTML")
        return ParsedFile(name, [document])
    return ParsedFile(name, [parse_plain_text(name, text)])


# Plain text -------------------------------------------------------------------------


def parse_plain_text(name: str, text: str) -> ImportedDocument:
    """The text verbatim, with the metadata its header lines and dateline give."""
    return ImportedDocument(name=name, text=text, **text_metadata(text))


def text_metadata(text: str) -> dict[str, object]:
    """Metadata printed in an article's text: date headers, datelines, title, byline.

    Only what is found is returned, so callers can fill gaps with it.
    """
    found: dict[str, object] = {}
    head = "\n".join(text.lstrip("\ufeff").splitlines()[:_HEAD_LINES])
    header = _DATE_HEADER.match(text)
    if header:
        found["published_on"] = _iso_date(header["date"])
        if header["handle"]:
            found["byline"] = header["handle"]
    published = _PUBLISHED_LINE.search(head)
    if published:
        found["published_on"] = _date_or_none(
            int(published["year"]), int(published["month"]), int(published["day"])
        )
        if published["hour"] is not None:
            found["published_time"] = _time_or_none(
                int(published["hour"]), int(published["minute"])
            )
    if "byline" not in found:
        byline = _BYLINE_LINE.search(head)
        if byline:
            found["byline"] = byline["name"]
    paragraphs_head = _first_paragraphs(text, 4)
    agency = _AGENCY_DATELINE.search(paragraphs_head)
    if agency:
        found["dateline"] = agency.group(0)
        found["publisher"] = agency["publisher"].strip()
        if agency["wire"]:
            found["wire"] = agency["wire"].strip()
        month = _MONTHS.get(agency["month"].lower())
        dated = month and _date_or_none(int(agency["year"]), month, int(agency["day"]))
        if dated and found.get("published_on") is None:
            found["published_on"] = dated
    else:
        place = _PLACE_DATELINE.search(paragraphs_head)
        if place:
            found["dateline"] = place["place"]
    title = _title(text)
    if title:
        found["title"] = title
    return {key: value for key, value in found.items() if value not in (None, "")}


def _first_paragraphs(text: str, count: int) -> str:
    paragraphs = [p for p in re.split(r"\n\s*\n", text) if p.strip()]
    return "\n\n".join(p.strip() for p in paragraphs[:count])


def _title(text: str) -> str:
    """The first line, when it reads as a headline rather than a header or a
    paragraph: short, no closing full stop, followed by more text."""
    lines = [line.strip() for line in text.lstrip("\ufeff").splitlines()]
    non_empty = [line for line in lines if line]
    if len(non_empty) < 2:
        return ""
    first = non_empty[0]
    if (
        len(first) > TITLE_MAX_LENGTH
        or first.endswith((".", ",", ";", ":"))
        or _DATE_HEADER.match(first)
        or _PUBLISHED_LINE.match(first)
        or _AGENCY_DATELINE.match(first)
        or _PLACE_DATELINE.match(first)
        or _BYLINE_LINE.match(first)
    ):
        return ""
    return first


def _iso_date(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _date_or_none(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _time_or_none(hour: int, minute: int) -> time | None:
    try:
        return time(hour, minute)
    except ValueError:
        return None


# HTML -------------------------------------------------------------------------------

_SKIPPED_TAGS = frozenset(
    {
        "script",
        "style",
        "noscript",
        "template",
        "nav",
        "header",
        "footer",
        "aside",
        "form",
        "button",
        "svg",
        "iframe",
        "select",
    }
)
_BLOCK_TAGS = frozenset(
    {
        "p",
        "div",
        "section",
        "article",
        "main",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "ul",
        "ol",
        "blockquote",
        "figure",
        "figcaption",
        "pre",
        "table",
        "tr",
        "br",
        "hr",
        "dl",
        "dt",
        "dd",
        "address",
        "time",
    }
)
_VOID_TAGS = frozenset(
    {"br", "hr", "img", "meta", "link", "input", "source", "wbr", "area", "base"}
)
_META_FIELDS = {
    "og:title": "title",
    "twitter:title": "title",
    "og:url": "url",
    "og:site_name": "publisher",
    "article:published_time": "published",
    "datepublished": "published",
    "date": "published",
    "pubdate": "published",
    "dc.date": "published",
    "author": "byline",
    "article:author": "byline",
    "byl": "byline",
}


class _ArticleExtractor(HTMLParser):
    """Collects the visible text of a page in blocks, once for the whole body and
    once for its <article> elements, and the page's <meta> metadata."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, str] = {}
        self.page_title = ""
        self.h1 = ""
        self.language = ""
        self.body_blocks: list[list[str]] = [[]]
        self.article_blocks: list[list[str]] = [[]]
        self._skip_depth = 0
        self._article_depth = 0
        self._in_title = False
        self._in_h1 = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name.lower(): value or "" for name, value in attrs}
        if tag == "html" and attributes.get("lang"):
            self.language = attributes["lang"]
        elif tag == "meta":
            key = (
                attributes.get("property")
                or attributes.get("name")
                or attributes.get("itemprop")
                or ""
            ).lower()
            if key in _META_FIELDS and attributes.get("content"):
                self.meta.setdefault(_META_FIELDS[key], attributes["content"].strip())
        elif tag == "link" and "canonical" in attributes.get("rel", "").split():
            self.meta.setdefault("canonical", attributes.get("href", ""))
        elif tag == "time" and attributes.get("datetime"):
            self.meta.setdefault("time", attributes["datetime"])
        if tag in _VOID_TAGS:
            if tag in ("br", "hr"):
                self._break()
            return
        if tag in _SKIPPED_TAGS:
            self._skip_depth += 1
        elif tag == "title":
            self._in_title = True
        elif tag == "h1":
            self._in_h1 = True
        if tag == "article":
            self._article_depth += 1
        if tag in _BLOCK_TAGS:
            self._break()

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED_TAGS and self._skip_depth:
            self._skip_depth -= 1
        elif tag == "title":
            self._in_title = False
        elif tag == "h1":
            self._in_h1 = False
        if tag in _BLOCK_TAGS:
            self._break()
        if tag == "article" and self._article_depth:
            self._article_depth -= 1

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.page_title += data
            return
        if self._skip_depth:
            return
        if self._in_h1:
            self.h1 += data
        self.body_blocks[-1].append(data)
        if self._article_depth:
            self.article_blocks[-1].append(data)

    def _break(self) -> None:
        for blocks in (self.body_blocks, self.article_blocks):
            if blocks[-1]:
                blocks.append([])

    def text(self) -> str:
        blocks = self.article_blocks if any(self.article_blocks[0]) else None
        chosen = blocks or self.body_blocks
        paragraphs = [" ".join("".join(block).split()) for block in chosen]
        return "\n\n".join(p for p in paragraphs if p)


def parse_html(name: str, html: str) -> ImportedDocument:
    """The article text of a page (its <article> if it has one, else its body without
    navigation, headers, footers and scripts), one paragraph per block, with the
    metadata of its <meta> tags, completed by the text rules."""
    extractor = _ArticleExtractor()
    extractor.feed(html)
    extractor.close()
    text = extractor.text()
    meta = extractor.meta
    values: dict[str, object] = {}
    title = meta.get("title") or " ".join(extractor.h1.split())
    title = title or " ".join(extractor.page_title.split())
    if title:
        values["title"] = title[:500]
    url = meta.get("canonical") or meta.get("url")
    if url and url.startswith(("http://", "https://")):
        values["url"] = url
    if meta.get("publisher"):
        values["publisher"] = meta["publisher"]
    if meta.get("byline"):
        values["byline"] = meta["byline"]
    published = meta.get("published") or meta.get("time")
    if published:
        published_on, published_time = parse_timestamp(published)
        values["published_on"] = published_on
        values["published_time"] = published_time
    if extractor.language:
        values["language"] = extractor.language
    document = ImportedDocument(name=name, text=text)
    document = replace(document, **_only_set(values))
    return _fill_from_text(document)


def parse_timestamp(value: str) -> tuple[date | None, time | None]:
    """An ISO 8601 date or date-time as printed (its time zone, if any, dropped)."""
    value = value.strip()
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return _iso_date(value[:10]), None
    if len(value) <= 10:
        return moment.date(), None
    return moment.date(), moment.time().replace(tzinfo=None, microsecond=0)


def _only_set(values: dict[str, object]) -> dict[str, object]:
    return {key: value for key, value in values.items() if value not in (None, "")}


def _fill_from_text(document: ImportedDocument) -> ImportedDocument:
    """Metadata found in the text fills what the markup or record left empty."""
    found = text_metadata(document.text)
    empty = {
        f.name: found[f.name]
        for f in fields(document)
        if f.name in found and getattr(document, f.name) in (None, "")
    }
    return replace(document, **empty)


# JSON Lines -------------------------------------------------------------------------


def parse_json_lines(name: str, text: str) -> ParsedFile:
    """One document per non-blank line; a malformed line is rejected with its reason."""
    parsed = ParsedFile(name)
    for number, line in _numbered_lines(text):
        where = f"{name}:{number}"
        try:
            parsed.documents.append(json_line_document(where, line))
        except FileRejected as error:
            parsed.rejected.append(RejectedDocument(where, str(error)))
    return parsed


def _numbered_lines(text: str) -> Iterator[tuple[int, str]]:
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            yield number, line


def json_line_document(name: str, line: str) -> ImportedDocument:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        raise FileRejected(
            f"not valid JSON ({error.msg} at column {error.colno})"
        ) from error
    except RecursionError as error:
        raise FileRejected("not valid JSON (nested too deeply)") from error
    if not isinstance(record, dict):
        raise FileRejected("not a JSON object")
    unknown = sorted(set(record) - JSON_LINES_KEYS)
    if unknown:
        raise FileRejected(
            f"unknown key(s) {', '.join(unknown)}; allowed: "
            f"{', '.join(sorted(JSON_LINES_KEYS))}"
        )
    wrong_type = sorted(
        key
        for key, value in record.items()
        if value is not None and not isinstance(value, str)
    )
    if wrong_type:
        raise FileRejected(f"{', '.join(wrong_type)} must be string(s)")
    # A JSON escape (\u0000) gets past the file's check for NUL bytes.
    with_nul = sorted(key for key, value in record.items() if value and "\x00" in value)
    if with_nul:
        raise FileRejected(f"{', '.join(with_nul)}: NUL characters are not text")
    text = record.get("text") or ""
    if not text.strip():
        raise FileRejected("no text (the `text` key is missing or empty)")
    values: dict[str, object] = {
        key: record[key].strip()
        for key in ("title", "url", "publisher", "byline", "dateline", "language")
        if record.get(key)
    }
    if record.get("kind"):
        values["kind"] = record["kind"].strip()
    if record.get("published_on"):
        published_on, published_time = parse_timestamp(record["published_on"])
        if published_on is None:
            raise FileRejected(
                f"published_on {record['published_on']!r} is not an ISO date "
                f"(YYYY-MM-DD)"
            )
        values["published_on"] = published_on
        if published_time is not None:
            values["published_time"] = published_time
    if record.get("published_time"):
        try:
            values["published_time"] = time.fromisoformat(record["published_time"])
        except ValueError as error:
            raise FileRejected(
                f"published_time {record['published_time']!r} is not HH:MM"
            ) from error
    document = ImportedDocument(name=name, text=text, **values)
    return _fill_from_text(document)
