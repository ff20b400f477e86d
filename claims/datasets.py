"""A synthetic dataset of any size, for benchmarks (`manage.py generate_dataset`).

Scale 1 is a newsroom's archive: 10,000 actors in hierarchies (states, their
governments, ministries and departments, missions, UN bodies, outlets, NGOs,
groups, people holding roles), 200,000 sources with their texts, 50,000 claims,
1,000,000 statements and 2,000,000 citations. Every citation quotes its source
exactly at its offsets, so the integrity triggers of claims.integrity accept it.

Sources are in date order (a source's id grows with its publication date) and
statement `i` was made about when source `i * sources / statements` was published
and cites sources of the following days, so citations are generated statement by
statement while only a window of source texts is held: each text is generated
again from its own seed instead of being kept. Everything comes from `seed`: the
same seed on the same starting database gives the same dataset.

Rows are bulk-written (claims.bulk_load) without `save()`, so generated records
have no history rows; their history starts with their first edit.
"""

from __future__ import annotations

import bisect
import datetime
import hashlib
import itertools
import random
import string
import time
from array import array
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.text import slugify

from claims import dataset_vocabulary as vocab
from claims.bulk_load import TableWriter, analyze, next_id, reset_sequences
from claims.models import (
    Actor,
    ActorAlias,
    Affiliation,
    Citation,
    Claim,
    Source,
    Statement,
    Topic,
)
from claims.quotes import context_around

BASE_SIZE = {
    "actors": 10_000,
    "topics": 100,
    "sources": 200_000,
    "claims": 50_000,
    "statements": 1_000_000,
    "citations": 2_000_000,
}
MINIMUM_SIZE = {
    "actors": 5,
    "topics": 2,
    "sources": 2,
    "claims": 1,
    "statements": 1,
    "citations": 1,
}
MAX_SCALE = 100
FIRST_DAY = datetime.date(2015, 1, 1)
DAYS = 3650
# Sources after a statement's date it may cite: a few days of news.
CITED_WINDOW = 20
# A fifth of the statements are on a few hot claims (the rest spread evenly), so
# some timelines are long, as real ones are.
HOT_CLAIM_SHARE = 0.2
HOT_CLAIMS = 500

# Share of each kind of actor; every kind in REQUIRED_KINDS gets at least one, and
# people take what is left.
ACTOR_SHARES = {
    "state": 0.02,
    "government_body": 0.20,
    "diplomatic_mission": 0.06,
    "un_body": 0.02,
    "intergovernmental_organisation": 0.01,
    "media_outlet": 0.10,
    "ngo": 0.06,
    "group": 0.03,
}
REQUIRED_KINDS = ("state", "government_body", "media_outlet", "person")
# Who speaks, by kind.
SPEAKER_SHARES = {
    "person": 50,
    "government_body": 20,
    "media_outlet": 8,
    "un_body": 6,
    "ngo": 6,
    "diplomatic_mission": 4,
    "state": 3,
    "group": 2,
    "intergovernmental_organisation": 1,
}
# Where people hold roles, by kind of organisation.
EMPLOYER_SHARES = {
    "government_body": 40,
    "diplomatic_mission": 15,
    "un_body": 12,
    "media_outlet": 15,
    "ngo": 10,
    "intergovernmental_organisation": 3,
    "group": 5,
}
SOURCE_KINDS = {
    "news_article": 70,
    "press_release": 10,
    "press_briefing": 7,
    "report": 5,
    "social_media_post": 5,
    "letter": 2,
    "video": 1,
}
PRECISIONS = {"day": 84, "month": 6, "year": 3, "approximate": 3, "on_or_before": 4}
# Sources a statement may have been made in (its own press release, report...).
OWN_DOCUMENT_KINDS = {"press_release", "report", "letter", "press_briefing"}


def _n(base: str, scale: float) -> int:
    return max(MINIMUM_SIZE[base], round(BASE_SIZE[base] * scale))


@dataclass(frozen=True)
class DatasetSize:
    actors: int
    topics: int
    sources: int
    claims: int
    statements: int
    citations: int

    @classmethod
    def for_scale(cls, scale: float) -> DatasetSize:
        if not 0 < scale <= MAX_SCALE:
            raise ValueError(f"The scale must be above 0 and at most {MAX_SCALE}.")
        statements = _n("statements", scale)
        return cls(
            actors=_n("actors", scale),
            topics=_n("topics", scale),
            sources=_n("sources", scale),
            claims=_n("claims", scale),
            statements=statements,
            # Every statement has at least one citation.
            citations=max(statements, _n("citations", scale)),
        )


@dataclass
class TableReport:
    table: str
    rows: int
    seconds: float


@dataclass
class GenerationReport:
    tables: list[TableReport] = field(default_factory=list)
    seconds: float = 0.0


# What a progress callback is told: the table, rows written so far, rows planned
# (None when not known in advance); it is called with done == total once, last.
TableProgress = Callable[[str, int, int | None], None]


def database_has_data() -> bool:
    """Whether any editorial record exists (the seeds count)."""
    return any(
        model.objects.exists()
        for model in (Actor, Topic, Source, Claim, Statement, Citation)
    )


def clear_database() -> None:
    """Delete every record of the claims app, history included (`--force`)."""
    app_models = list(
        apps.get_app_config("claims").get_models(include_auto_created=True)
    )
    tables = [connection.ops.quote_name(m._meta.db_table) for m in app_models]
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Checks of foreign keys still deferred in this transaction must run
            # first: TRUNCATE refuses a table with pending trigger events.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        else:
            # Foreign keys are checked at commit, when every table is empty.
            for table in tables:
                cursor.execute(f"DELETE FROM {table}")


def _cumulative(weights: dict[str, float], present: set[str]) -> tuple[list, list]:
    keys = [k for k in weights if k in present]
    return keys, list(itertools.accumulate(weights[k] for k in keys))


def _pick(rng: random.Random, keys: list, cumulative: list) -> Any:
    return keys[bisect.bisect(cumulative, rng.random() * cumulative[-1])]


def _skewed(rng: random.Random, items: Sequence) -> Any:
    """An item, the first ones far more often: a few actors speak most."""
    return items[int(len(items) * rng.random() ** 2)]


def _day(rng: random.Random, first_year: int, last_year: int) -> datetime.date:
    start = datetime.date(first_year, 1, 1)
    return start + datetime.timedelta(
        days=rng.randrange((datetime.date(last_year, 12, 31) - start).days)
    )


class _Template:
    """A vocabulary template with the placeholders it needs, parsed once."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.keys = [name for _, name, _, _ in string.Formatter().parse(text) if name]

    def fill(self, values: Callable[[str], str]) -> str:
        return self.text.format(**{key: values(key) for key in self.keys})


def _templates(texts: Sequence[str]) -> list[_Template]:
    return [_Template(text) for text in texts]


@dataclass(frozen=True)
class Passage:
    """A stretch of a source text a citation can quote."""

    start: int
    end: int
    direct: bool
    attribution: str


class DatasetGenerator:
    def __init__(
        self,
        size: DatasetSize,
        *,
        seed: int,
        on_progress: TableProgress | None = None,
        append: bool = False,
    ) -> None:
        self.size = size
        self.seed = seed
        self.rng = random.Random(seed)
        self.on_progress = on_progress
        self.append = append
        self.now = timezone.now()
        self.report = GenerationReport()
        self.places = self._places()
        self.reported = _templates(vocab.REPORTED_TEMPLATES)
        self.direct = _templates(vocab.DIRECT_TEMPLATES)
        self.whats = _templates(vocab.WHATS)
        self.quotes = _templates(vocab.QUOTES)
        self.headlines = _templates(vocab.HEADLINES)

    # The run ---------------------------------------------------------------------

    def run(self) -> GenerationReport:
        started = time.monotonic()
        self.ids = {
            model: next_id(model)
            for model in (
                Topic,
                Actor,
                ActorAlias,
                Affiliation,
                Source,
                Claim,
                Claim.topics.through,
                Statement,
                Citation,
            )
        }
        self._write("topics", Topic, self.size.topics, self._topics())
        self._write("actors", Actor, self.size.actors, self._actors())
        self._write("actor aliases", ActorAlias, None, self._aliases())
        self._write("affiliations", Affiliation, None, self._affiliations())
        self._write("sources", Source, self.size.sources, self._sources())
        self._write("claims", Claim, self.size.claims, self._claims())
        self._write("claim topics", Claim.topics.through, None, self._claim_topics())
        self._write("statements", Statement, self.size.statements, self._statements())
        self._write("citations", Citation, self.size.citations, self._citations())
        written = list(self.ids)
        reset_sequences(written)
        analyze(written)
        self.report.seconds = time.monotonic() - started
        return self.report

    def _write(
        self,
        label: str,
        model: type[models.Model],
        planned: int | None,
        rows: tuple[Sequence[str], Iterator[Sequence[Any]]],
    ) -> None:
        columns, generated = rows
        started = time.monotonic()
        progress = None
        if self.on_progress:
            report = self.on_progress

            def progress(done: int) -> None:
                report(label, done, planned)

            progress(0)
        count = TableWriter(model, columns).write(generated, progress)
        if self.on_progress:
            self.on_progress(label, count, count)
        self.report.tables.append(TableReport(label, count, time.monotonic() - started))

    def _id(self, model: type[models.Model], index: int) -> int:
        return self.ids[model] + index

    # Vocabulary ------------------------------------------------------------------

    def _places(self) -> list[str]:
        rng = self.rng
        places: set[str] = set()
        wanted = max(50, min(2000, self.size.actors // 10))
        while len(places) < wanted:
            stem = "".join(rng.choice(vocab.SYLLABLES) for _ in range(2))
            places.add((stem + rng.choice(vocab.PLACE_ENDINGS)).capitalize())
        return sorted(places)

    @staticmethod
    def _person_name(rng: random.Random) -> str:
        return f"{rng.choice(vocab.FIRST_NAMES)} {rng.choice(vocab.LAST_NAMES)}"

    def _filler(self, rng: random.Random) -> Callable[[str], str]:
        """The value of a template placeholder, drawn from `rng`."""

        def value(key: str) -> str:
            if key in ("speaker", "other"):
                return rng.choice(self.actor_names)
            if key == "place":
                return rng.choice(self.places)
            if key == "theme":
                return rng.choice(vocab.THEMES)
            if key == "verb":
                return rng.choice(vocab.REPORTING_VERBS)
            if key == "what":
                return rng.choice(self.whats).fill(value)
            if key == "quote":
                return rng.choice(self.quotes).fill(value)
            if key == "objects":
                return rng.choice(vocab.CLAIM_OBJECTS)
            if key == "predicate":
                return rng.choice(vocab.CLAIM_PREDICATES)
            if key == "subject":
                return rng.choice(vocab.CLAIM_SUBJECTS).lower()
            if key == "event":
                return rng.choice(vocab.EVENTS)
            if key == "weekday":
                return rng.choice(vocab.WEEKDAYS)
            if key == "month":
                return rng.choice(vocab.MONTHS)
            raise KeyError(key)

        return value

    # Tables ----------------------------------------------------------------------

    def _topics(self) -> tuple[Sequence[str], Iterator[Sequence[Any]]]:
        def rows() -> Iterator[Sequence[Any]]:
            themes = vocab.THEMES
            for index in range(self.size.topics):
                pk = self._id(Topic, index)
                theme = themes[index % len(themes)].capitalize()
                place = self.places[index // len(themes) % len(self.places)]
                name = f"{theme} in {place}"
                if self.append or index >= len(themes) * len(self.places):
                    name = f"{name} #{pk}"
                yield (pk, name, f"{slugify(name)}-{pk}", "")

        return ("id", "name", "slug", "description"), rows()

    def _actors(self) -> tuple[Sequence[str], Iterator[Sequence[Any]]]:
        """States first, then bodies whose parents are already written, then people."""
        rng, total = self.rng, self.size.actors
        counts = {
            kind: max(1 if kind in REQUIRED_KINDS else 0, round(share * total))
            for kind, share in ACTOR_SHARES.items()
        }
        while sum(counts.values()) > total - 1:  # leave room for one person at least
            largest = max(counts, key=lambda k: (counts[k] > 1, counts[k]))
            counts[largest] -= 1
        counts["person"] = total - sum(counts.values())
        self.kinds: list[str] = []
        self.actor_names: list[str] = []
        self.by_kind: dict[str, list[int]] = {kind: [] for kind in counts}
        # index of each state's government, each government's ministries.
        governments: list[int] = []
        ministries: list[int] = []
        state_of: dict[int, int] = {}
        un_root: list[int] = []
        codes = [a + b for a in string.ascii_uppercase for b in string.ascii_uppercase]
        rng.shuffle(codes)

        def place_of(index: int) -> str:
            return self.places[state_of.get(index, index) % len(self.places)]

        def rows() -> Iterator[Sequence[Any]]:
            index = 0
            for kind, count in counts.items():
                for number in range(count):
                    parent, country = None, ""
                    if kind == "state":
                        state_of[index] = number
                        name = rng.choice(vocab.STATE_FORMS).format(place_of(index))
                        country = codes[number % len(codes)]
                    elif kind == "government_body":
                        states = self.by_kind["state"]
                        if number < len(states):
                            parent = states[number]
                            name = f"Government of {place_of(parent)}"
                            governments.append(index)
                        elif number < len(states) + (count - len(states)) // 2:
                            parent = rng.choice(governments)
                            name = (
                                f"Ministry of {rng.choice(vocab.PORTFOLIOS)} of "
                                f"{place_of(parent)}"
                            )
                            ministries.append(index)
                        else:
                            parent = rng.choice(ministries or governments)
                            department = rng.choice(vocab.DEPARTMENTS)
                            name = f"{department}, {self.actor_names[parent]}"
                        state_of[index] = state_of[parent]
                    elif kind == "diplomatic_mission":
                        parent = rng.choice(ministries or governments)
                        state_of[index] = state_of[parent]
                        name = (
                            f"Embassy of {place_of(index)} in {rng.choice(self.places)}"
                            if rng.random() < 0.7
                            else f"Permanent Mission of {place_of(index)} to the "
                            "United Nations in Geneva"
                        )
                    elif kind == "un_body":
                        if not un_root:
                            un_root.append(index)
                            name = "United Nations"
                        else:
                            parent = un_root[0]
                            office = vocab.UN_OFFICES[number % len(vocab.UN_OFFICES)]
                            name = f"UN {office}"
                            if number >= len(vocab.UN_OFFICES):
                                name = f"{name}, {rng.choice(self.places)} office"
                    else:
                        forms = {
                            "intergovernmental_organisation": vocab.IGO_FORMS,
                            "media_outlet": vocab.OUTLET_FORMS,
                            "ngo": vocab.NGO_FORMS,
                            "group": vocab.GROUP_FORMS,
                        }.get(kind)
                        if forms:
                            name = rng.choice(forms).format(rng.choice(self.places))
                        else:
                            name = self._person_name(rng)
                    if kind in ("government_body", "diplomatic_mission", "state"):
                        country = codes[state_of[index] % len(codes)]
                    elif kind in ("media_outlet", "ngo", "person"):
                        country = rng.choice(codes[:200])
                    self.kinds.append(kind)
                    self.actor_names.append(name)
                    self.by_kind[kind].append(index)
                    pk = self._id(Actor, index)
                    yield (
                        pk,
                        self.now,
                        self.now,
                        name,
                        f"{slugify(name)[:180]}-{pk}",
                        kind,
                        country,
                        None if parent is None else self._id(Actor, parent),
                        "" if rng.random() < 0.7 else f"A synthetic {kind}.",
                        "",
                    )
                    index += 1

        columns = (
            "id",
            "created_at",
            "updated_at",
            "name",
            "slug",
            "kind",
            "country",
            "parent_id",
            "description",
            "wikidata_id",
        )
        return columns, rows()

    def _aliases(self) -> tuple[Sequence[str], Iterator[Sequence[Any]]]:
        def rows() -> Iterator[Sequence[Any]]:
            rng, number = self.rng, 0
            for index, name in enumerate(self.actor_names):
                person = self.kinds[index] == "person"
                if rng.random() >= (0.1 if person else 0.3):
                    continue
                if person:
                    alias = name.split()[-1]
                else:
                    alias = "".join(w[0] for w in name.split() if w[0].isupper())
                if alias and alias != name:
                    yield (self._id(ActorAlias, number), self._id(Actor, index), alias)
                    number += 1

        return ("id", "actor_id", "name"), rows()

    def _affiliations(self) -> tuple[Sequence[str], Iterator[Sequence[Any]]]:
        """Every person holds a current role (since before the first statement) and
        some an earlier one, so a person's principal on any date is their employer."""
        rng = self.rng
        present = {k for k, v in self.by_kind.items() if v}
        keys, cumulative = _cumulative(EMPLOYER_SHARES, present)
        self.employer: dict[int, int] = {}

        def rows() -> Iterator[Sequence[Any]]:
            number = 0
            for person in self.by_kind["person"]:
                roles = [(_day(rng, 2010, 2014), None)]
                if rng.random() < 0.2:
                    began = _day(rng, 2005, 2008)
                    roles.append((began, _day(rng, 2009, 2009)))
                for began, ended in roles:
                    kind = _pick(rng, keys, cumulative) if keys else "state"
                    organisation = _skewed(rng, self.by_kind[kind])
                    self.employer.setdefault(person, organisation)
                    yield (
                        self._id(Affiliation, number),
                        self._id(Actor, person),
                        self._id(Actor, organisation),
                        rng.choice(vocab.ROLES.get(kind, ["member"])),
                        began,
                        ended,
                    )
                    number += 1

        columns = (
            "id",
            "person_id",
            "organisation_id",
            "role",
            "start_date",
            "end_date",
        )
        return columns, rows()

    def published_on(self, index: int) -> datetime.date:
        """Source `index`'s date: sources are in date order."""
        return FIRST_DAY + datetime.timedelta(days=index * DAYS // self.size.sources)

    def source_text(self, index: int) -> tuple[str, list[Passage]]:
        """Source `index`'s text and its quotable passages, the same every time."""
        rng = random.Random(f"{self.seed}/source/{index}")
        value = self._filler(rng)
        pieces = [
            f"{rng.choice(self.places).upper()} ({self.source_publisher_name(index)})"
            " \u2014 "
        ]
        length = len(pieces[0])
        passages: list[Passage] = []
        sentences = rng.randint(6, 18)
        for number in range(sentences):
            direct = rng.random() < 0.3
            speaker = value("speaker")

            def filled(key: str, speaker: str = speaker) -> str:
                return speaker if key == "speaker" else value(key)

            template = rng.choice(self.direct if direct else self.reported)
            sentence = template.fill(filled)
            passages.append(Passage(length, length + len(sentence), direct, speaker))
            # A clause of a reported sentence can be quoted on its own.
            comma = sentence.find(", ")
            if not direct and comma > 20:
                passages.append(Passage(length, length + comma, False, speaker))
            separator = "\n\n" if number % 3 == 2 else " "
            pieces += [sentence, separator]
            length += len(sentence) + len(separator)
        return "".join(pieces[:-1]), passages

    def source_publisher_name(self, index: int) -> str:
        return self.actor_names[self.source_publishers[index]]

    def _sources(self) -> tuple[Sequence[str], Iterator[Sequence[Any]]]:
        rng, total = self.rng, self.size.sources
        present = {k for k in SOURCE_KINDS}
        keys, cumulative = _cumulative(SOURCE_KINDS, present)
        outlets = self.by_kind["media_outlet"]
        officials = (
            self.by_kind["government_body"]
            + self.by_kind["diplomatic_mission"]
            + self.by_kind["un_body"]
        ) or outlets
        authors = (self.by_kind["un_body"] + self.by_kind["ngo"]) or officials
        self.source_kinds: list[str] = []
        self.source_publishers = array("q")
        self.has_text = bytearray()
        self.reports: list[int] = []

        def rows() -> Iterator[Sequence[Any]]:
            for index in range(total):
                kind = _pick(rng, keys, cumulative)
                author = None
                if kind in ("news_article", "video", "social_media_post"):
                    publisher = _skewed(rng, outlets)
                elif kind == "report":
                    publisher = author = rng.choice(authors)
                else:
                    publisher = _skewed(rng, officials)
                self.source_kinds.append(kind)
                self.source_publishers.append(publisher)
                # Some reports are only referred to: their text is not held.
                textless = kind in ("report", "letter") and rng.random() < 0.1
                self.has_text.append(0 if textless else 1)
                if kind == "report":
                    self.reports.append(index)
                text = "" if textless else self.source_text(index)[0]
                value = self._filler(rng)
                title = (
                    ""
                    if rng.random() < 0.04
                    else rng.choice(self.headlines).fill(value)
                )
                day = self.published_on(index)
                pk = self._id(Source, index)
                slug = slugify(title)[:60] or "untitled"
                yield (
                    pk,
                    self.now,
                    self.now,
                    kind,
                    title,
                    self._id(Actor, publisher),
                    "" if rng.random() < 0.3 else f"By {self._person_name(rng)}",
                    None if author is None else self._id(Actor, author),
                    "",
                    day,
                    None,
                    f"https://news{publisher}.example/{day:%Y/%m}/{slug}-{pk}",
                    "",
                    day + datetime.timedelta(days=rng.randrange(1, 30)),
                    "en",
                    text,
                    hashlib.sha256(text.encode()).hexdigest() if text else "",
                    "",
                    None,
                )

        columns = (
            "id",
            "created_at",
            "updated_at",
            "kind",
            "title",
            "publisher_id",
            "byline",
            "author_id",
            "dateline",
            "published_on",
            "published_time",
            "url",
            "archive_url",
            "accessed_on",
            "language",
            "text",
            "text_sha256",
            "notes",
            "previous_version_id",
        )
        return columns, rows()

    def _claims(self) -> tuple[Sequence[str], Iterator[Sequence[Any]]]:
        rng = self.rng
        self.claim_texts: list[str] = []

        def rows() -> Iterator[Sequence[Any]]:
            for index in range(self.size.claims):
                subject = rng.choice(vocab.CLAIM_SUBJECTS)
                predicate = rng.choice(vocab.CLAIM_PREDICATES)
                objects = rng.choice(vocab.CLAIM_OBJECTS)
                place = rng.choice(self.places)
                year = rng.randrange(2012, 2025)
                text = f"{subject} {predicate} {objects} in {place} in {year}."
                self.claim_texts.append(text)
                pk = self._id(Claim, index)
                theme = rng.choice(vocab.THEMES)
                description = (
                    f"Raised in reports on {theme}; each side's statements follow."
                    if rng.random() < 0.5
                    else ""
                )
                slug = slugify(f"{subject} {predicate} {objects} {place} {year}")
                yield (pk, self.now, self.now, f"{slug}-{pk}", text, description)

        return ("id", "created_at", "updated_at", "slug", "text", "description"), rows()

    def _claim_topics(self) -> tuple[Sequence[str], Iterator[Sequence[Any]]]:
        through = Claim.topics.through

        def rows() -> Iterator[Sequence[Any]]:
            rng, number = self.rng, 0
            topics = self.size.topics
            for index in range(self.size.claims):
                for topic in rng.sample(range(topics), min(topics, rng.randint(1, 3))):
                    yield (
                        self._id(through, number),
                        self._id(Claim, index),
                        self._id(Topic, topic),
                    )
                    number += 1

        return ("id", "claim_id", "topic_id"), rows()

    def _next_with_text(self, index: int) -> int:
        """The first source at or after `index` with a text (else before it)."""
        total = self.size.sources
        for candidate in itertools.chain(range(index, total), range(index - 1, -1, -1)):
            if self.has_text[candidate]:
                return candidate
        raise ValueError("No generated source has a text.")

    def _window(self, statement: int) -> tuple[int, int]:
        """The sources statement `statement` may cite: those of the following days."""
        first = statement * self.size.sources // self.size.statements
        return first, min(self.size.sources, first + CITED_WINDOW)

    def _statements(self) -> tuple[Sequence[str], Iterator[Sequence[Any]]]:
        rng, size = self.rng, self.size
        present = {k for k, v in self.by_kind.items() if v}
        speaker_kinds, speaker_weights = _cumulative(SPEAKER_SHARES, present)
        stances = {
            kind: _cumulative(weights, set(weights))
            for kind, weights in vocab.STANCES_BY_KIND.items()
        }
        precisions, precision_weights = _cumulative(PRECISIONS, set(PRECISIONS))
        contexts = vocab.CONTEXTS
        hot = rng.sample(range(size.claims), min(size.claims, HOT_CLAIMS))
        # What the citations need of each statement: its first source and how many
        # citations it has (at least one; the rest spread at random, at most 5).
        self.primary = array("q", [0]) * size.statements
        self.citation_counts = bytearray(b"\x01" * size.statements)
        extra = size.citations - size.statements
        while extra:
            statement = rng.randrange(size.statements)
            if self.citation_counts[statement] < 5:
                self.citation_counts[statement] += 1
                extra -= 1
        recent: dict[int, list[int]] = {}  # claim: its latest statements

        def rows() -> Iterator[Sequence[Any]]:
            for index in range(size.statements):
                first, last = self._window(index)
                primary = self._next_with_text(rng.randrange(first, last))
                self.primary[index] = primary
                made_on = max(
                    FIRST_DAY,
                    self.published_on(first)
                    - datetime.timedelta(days=rng.randrange(3)),
                )
                kind = _pick(rng, speaker_kinds, speaker_weights)
                actor = _skewed(rng, self.by_kind[kind])
                stance = _pick(rng, *stances[kind])
                principal = None
                if kind == "person":
                    principal = self.employer.get(actor)
                roll = rng.random()
                claim = document = responds_to = made_in = None
                if roll < 0.10 and self.reports and self.reports[0] <= last:
                    at = bisect.bisect(self.reports, last)
                    document = rng.choice(self.reports[max(0, at - 50) : at])
                elif roll < 0.15 and index:
                    responds_to = rng.randrange(max(0, index - 5000), index)
                else:
                    if rng.random() < HOT_CLAIM_SHARE:
                        claim = rng.choice(hot)
                    else:
                        claim = rng.randrange(size.claims)
                    earlier = recent.setdefault(claim, [])
                    if earlier and rng.random() < 0.3:
                        responds_to = rng.choice(earlier)
                    earlier.append(index)
                    if len(earlier) > 8:
                        del earlier[0]
                if (
                    self.source_kinds[primary] in OWN_DOCUMENT_KINDS
                    and rng.random() < 0.5
                ):
                    made_in = primary
                precision = _pick(rng, precisions, precision_weights)
                if precision == "month":
                    made_on = made_on.replace(day=1)
                elif precision == "year":
                    made_on = made_on.replace(month=1, day=1)
                phrase = vocab.STANCE_PHRASES[stance]
                if claim is not None:
                    target = self.claim_texts[claim].rstrip(".")
                    target = target[0].lower() + target[1:]
                elif document is not None:
                    target = "the report's conclusions hold"
                else:
                    target = "the earlier statement is accurate"
                summary = f"{self.actor_names[actor]} {phrase} {target}"[:300]
                yield (
                    self._id(Statement, index),
                    self.now,
                    self.now,
                    self._id(Actor, actor),
                    None if principal is None else self._id(Actor, principal),
                    stance,
                    None if claim is None else self._id(Claim, claim),
                    None if document is None else self._id(Source, document),
                    None if made_in is None else self._id(Source, made_in),
                    None if responds_to is None else self._id(Statement, responds_to),
                    made_on,
                    precision,
                    rng.choice(contexts),
                    summary,
                    "draft" if rng.random() < 0.08 else "published",
                )

        columns = (
            "id",
            "created_at",
            "updated_at",
            "actor_id",
            "on_behalf_of_id",
            "stance",
            "claim_id",
            "document_id",
            "made_in_id",
            "responds_to_id",
            "made_on",
            "date_precision",
            "context",
            "summary",
            "status",
        )
        return columns, rows()

    def _citations(self) -> tuple[Sequence[str], Iterator[Sequence[Any]]]:
        rng = self.rng
        texts: dict[int, tuple[str, list[Passage]]] = {}

        def text_of(index: int) -> tuple[str, list[Passage]]:
            if index not in texts:
                texts[index] = self.source_text(index)
            return texts[index]

        def rows() -> Iterator[Sequence[Any]]:
            number = 0
            for statement in range(self.size.statements):
                first, last = self._window(statement)
                if len(texts) > 4 * CITED_WINDOW:
                    for old in [i for i in texts if i < first]:
                        del texts[old]
                cited: set[tuple[int, int, int]] = set()
                for nth in range(self.citation_counts[statement]):
                    # A passage this statement does not cite yet: its first
                    # source's, else one of the window's.
                    for attempt in range(50):
                        source = (
                            self.primary[statement]
                            if nth == 0 and attempt < 5
                            else self._next_with_text(rng.randrange(first, last))
                        )
                        text, passages = text_of(source)
                        passage = rng.choice(passages)
                        start, end = passage.start, passage.end
                        if rng.random() < 0.1:  # two sentences running on
                            later = [p for p in passages if p.start > end]
                            if later:
                                end = later[0].end
                        if (source, start, end) not in cited:
                            break
                    else:
                        raise RuntimeError(
                            f"No uncited passage left for statement {statement}."
                        )
                    cited.add((source, start, end))
                    prefix, suffix = context_around(text, start, end)
                    translated = rng.random() < 0.02
                    yield (
                        self._id(Citation, number),
                        self.now,
                        self.now,
                        self._id(Statement, statement),
                        self._id(Source, source),
                        text[start:end],
                        start,
                        end,
                        prefix,
                        suffix,
                        "direct" if passage.direct else "reported",
                        passage.attribution,
                        "(traduction) " + text[start:end][:80] if translated else "",
                        "FactDB synthetic translator" if translated else "",
                        "verified",
                        self.now,
                    )
                    number += 1

        columns = (
            "id",
            "created_at",
            "updated_at",
            "statement_id",
            "source_id",
            "quote",
            "start",
            "end",
            "prefix",
            "suffix",
            "quote_kind",
            "attribution",
            "translation",
            "translator",
            "verification",
            "verified_at",
        )
        return columns, rows()
