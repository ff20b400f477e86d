"""Finding candidate statements in a source text: pure text logic, no ORM.

The suggester reads a text sentence by sentence and looks for attributed speech:
direct quotes with their speaker (`"...," Wang said`), reporting verbs
(`X rejected ...`, `X said ...`, `X has long accused ...`, `... has been denied by X`),
verbs sharing one subject (`X denies ... and maintains ...`, `..., emphasizing
that ...`), `according to X`, and embedded posts (`... — Name (@handle) date`). Each
speaker is matched to a known actor by name or alias (the head of the phrase wins:
"Chinese Foreign Ministry Spokesman Wang Wenbin" is Wang Wenbin); pronouns and
titles ("he", "the ambassador", "the report") refer back to the last speaker named
with that title or of that kind. A country named as speaker stands for its
government (the seed convention). The stance comes from the reporting verb, or from
the words quoted when the verb is neutral ("said"). `claims.services` turns the
results into StatementSuggestion rows, each quote verified with `claims.quotes`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from .stances import Stance
from .suggestion_vocabulary import (
    ABBREVIATIONS,
    ACCORDING_TO,
    CONTENT_STANCES,
    CUE_PATTERN,
    CUE_STANCES,
    DATELINE,
    DIRECT_TAIL,
    GOVERNMENT_KIND,
    MAX_SUBJECT_WORDS,
    NEUTRAL,
    OPENING_QUOTES,
    PARTICIPLES,
    PASSIVE,
    PERSON_KIND,
    PRONOUNS,
    REPORT,
    SAME_TITLE,
    STATE_KIND,
    STOPWORDS,
    SUBJECT_PREPOSITION,
    SUBJECT_TAIL,
    TITLE_NOUNS,
    TWEET,
)

# Known actors and claims, as plain data (built from the database by services). ----


@dataclass(frozen=True)
class KnownRole:
    role: str
    organisation_id: int
    start_date: date | None = None
    end_date: date | None = None

    def current_on(self, day: date | None) -> bool:
        if day is None:
            return True
        return (self.start_date is None or self.start_date <= day) and (
            self.end_date is None or self.end_date >= day
        )


@dataclass(frozen=True)
class KnownActor:
    id: int
    name: str
    kind: str
    parent_id: int | None = None
    aliases: tuple[str, ...] = ()
    roles: tuple[KnownRole, ...] = ()


@dataclass(frozen=True)
class KnownClaim:
    id: int
    text: str


@dataclass(frozen=True)
class Suggestion:
    attribution: str
    """How the text names the speaker here."""
    speaker: str
    """The name it resolves to (the antecedent of a pronoun or title)."""
    cue: str
    actor_id: int | None
    on_behalf_of_id: int | None
    stance: str
    claim_id: int | None
    start: int
    end: int
    quote: str
    quote_kind: str
    confidence: float


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str


def sentences(text: str) -> list[Sentence]:
    """The text's sentences with their offsets, without datelines; a quotation is
    never cut in two."""
    found: list[Sentence] = []
    for paragraph in re.finditer(r"[^\n]+", text):
        offset = paragraph.start()
        body = paragraph.group(0)
        dateline = DATELINE.match(body)
        begin = dateline.end() if dateline else 0
        inside_quote = False
        index = 0
        while index < len(body):
            char = body[index]
            closing = (char == '"' and inside_quote) or char == "\u201d"
            if char == '"':
                inside_quote = not inside_quote
            elif char == "\u201c":
                inside_quote = True
            elif char == "\u201d":
                inside_quote = False
            if (
                closing
                and body[index - 1 : index] in (".", "!", "?")
                and body[index + 1 : index + 2] == " "
                and body[index + 2 : index + 3].isupper()
            ):
                # A quoted sentence ends the sentence: `... "of guilt." China ...`
                _append_sentence(found, text, offset + begin, offset + index + 1)
                begin = index + 1
            elif char in ".!?" and not inside_quote:
                stop = index + 1
                while stop < len(body) and body[stop] in "\"'\u201d\u2019)":
                    stop += 1
                follows = body[stop : stop + 2]
                if (
                    (
                        stop == len(body)
                        or (follows[:1] == " " and follows[1:2].isupper())
                    )
                    or (follows[:1] == " " and follows[1:2] in OPENING_QUOTES)
                ) and not ABBREVIATIONS.search(body[begin : index + 1]):
                    _append_sentence(found, text, offset + begin, offset + stop)
                    begin = stop
                    index = stop
                    continue
            index += 1
        _append_sentence(found, text, offset + begin, offset + len(body))
    return found


def _append_sentence(found: list[Sentence], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        found.append(Sentence(start, end, text[start:end]))


# Actor matching ---------------------------------------------------------------------


class ActorMatcher:
    """Matches a speaker as written to a known actor by name, alias and title."""

    def __init__(self, actors: Iterable[KnownActor]) -> None:
        self.actors = {actor.id: actor for actor in actors}
        self._names: list[tuple[str, re.Pattern[str], int]] = []
        for actor in self.actors.values():
            for name in {actor.name, *actor.aliases}:
                self._names.append((name, _name_pattern(name), actor.id))
        # Longest first: "US Department of State" before "US".
        self._names.sort(key=lambda item: len(item[0]), reverse=True)
        governments: dict[int, list[int]] = {}
        for actor in self.actors.values():
            if actor.kind == GOVERNMENT_KIND and actor.parent_id is not None:
                governments.setdefault(actor.parent_id, []).append(actor.id)
        self._government_of = {
            state: ids[0] for state, ids in governments.items() if len(ids) == 1
        }

    def mentions(self, phrase: str) -> list[tuple[int, int, int]]:
        """(start, end, actor id) of every known name in the phrase, longest first
        where names overlap."""
        taken: list[tuple[int, int, int]] = []
        lowered = phrase.lower().replace("\u2019", "'")
        for name, pattern, actor_id in self._names:
            # A substring test first: most names are absent from most phrases.
            if name.lower() not in lowered:
                continue
            for match in pattern.finditer(phrase):
                if all(match.end() <= s or match.start() >= e for s, e, _ in taken):
                    taken.append((match.start(), match.end(), actor_id))
        return sorted(taken)

    def speaker(self, actor_id: int) -> int:
        """The actor a statement is attributed to: a state named as speaker stands
        for its government."""
        actor = self.actors[actor_id]
        if actor.kind == STATE_KIND:
            return self._government_of.get(actor_id, actor_id)
        return actor_id

    def principal(self, actor_id: int, day: date | None) -> int | None:
        for role in self.actors[actor_id].roles:
            if role.current_on(day):
                return role.organisation_id
        return None

    def person_called(self, word: str, among: list[int]) -> int | None:
        """The person a single name refers to ("Wang", "Dujarric"): the last one
        named so far with that family or given name, else the only known one."""

        def called(actor_id: int) -> bool:
            return word in self.actors[actor_id].name.split()

        for actor_id in reversed(among):
            if called(actor_id):
                return actor_id
        known = [
            actor.id
            for actor in self.actors.values()
            if actor.kind == PERSON_KIND and called(actor.id)
        ]
        return known[0] if len(known) == 1 else None

    def with_role(self, title: str, among: Iterable[int]) -> int | None:
        """The last of `among` (people named so far) holding a role with this title."""
        title = SAME_TITLE.get(title, title)
        for actor_id in reversed(list(among)):
            roles = self.actors[actor_id].roles
            if any(title in SAME_TITLE.get(r, r) for r in _role_words(roles)):
                return actor_id
        return None


def _role_words(roles: tuple[KnownRole, ...]) -> list[str]:
    return [word for role in roles for word in re.findall(r"\w+", role.role.lower())]


def _name_pattern(name: str) -> re.Pattern[str]:
    # Short all-capital aliases (US, UN, ST) only match as written; other names
    # in any case, at word boundaries.
    flags = 0 if len(name) <= 4 or name.isupper() else re.I
    escaped = re.escape(name).replace("'", "['\u2019]")
    return re.compile(rf"(?<![\w@]){escaped}(?![\w])", flags)


# The suggester ----------------------------------------------------------------------


@dataclass
class _Memory:
    """What pronouns and titles can refer back to."""

    people: list[int] = field(default_factory=list)
    last_speaker: int | None = None
    last_other: int | None = None
    by_title: dict[str, int] = field(default_factory=dict)
    names: dict[int, str] = field(default_factory=dict)

    def remember(self, actor_id: int, phrase: str, kind: str, name: str) -> None:
        self.last_speaker = actor_id
        self.names[actor_id] = name
        if kind == PERSON_KIND:
            if actor_id in self.people:
                self.people.remove(actor_id)
            self.people.append(actor_id)
        else:
            self.last_other = actor_id
        for title in _titles_in(phrase):
            self.by_title[title] = actor_id


def _titles_in(phrase: str) -> list[str]:
    words = re.findall(r"[a-z]+", phrase.lower())
    return [SAME_TITLE.get(w, w) for w in words if w in TITLE_NOUNS]


class Suggester:
    def __init__(
        self, actors: Iterable[KnownActor], claims: Iterable[KnownClaim] = ()
    ) -> None:
        self.matcher = ActorMatcher(actors)
        self.claims = [(claim.id, _content_words(claim.text)) for claim in claims]

    def suggest(
        self, text: str, *, published_on: date | None = None
    ) -> list[Suggestion]:
        """Candidate statements in `text`, in text order."""
        memory = _Memory()
        # People named anywhere before a sentence can be what a title refers to.
        found: list[Suggestion] = []
        for sentence in sentences(text):
            self._remember_reports(sentence.text, memory)
            found.extend(self._in_sentence(sentence, memory, published_on))
            for _s, _e, actor_id in self.matcher.mentions(sentence.text):
                actor = self.matcher.actors[actor_id]
                if actor.kind == PERSON_KIND and actor_id not in memory.people:
                    memory.people.insert(0, actor_id)
                    memory.names.setdefault(actor_id, actor.name)
        return found

    # One sentence ---------------------------------------------------------------

    def _remember_reports(self, text: str, memory: _Memory) -> None:
        """ "The OHCHR's report", "the @UNHumanRights recently released report": a
        later "the report" refers to that actor."""
        for _start, end, actor_id in self.matcher.mentions(text):
            if re.match(r"['\u2019]?s?\s+(?:\w+\s+){0,2}report\b", text[end:]):
                memory.by_title["report"] = self.matcher.speaker(actor_id)

    def _in_sentence(
        self, sentence: Sentence, memory: _Memory, day: date | None
    ) -> list[Suggestion]:
        if sentence.text[-1:] not in ".!?\"'\u201d\u2019)":
            # A headline or a line of page furniture (embedded posts end with
            # their date, and are read first).
            return self._post(sentence, memory, day)
        for finder in (self._post, self._direct_quote, self._reported):
            found = finder(sentence, memory, day)
            if found:
                return found
        return []

    def _post(self, sentence: Sentence, memory: _Memory, day: date | None):
        """An embedded social-media post: `text — Name (@handle) Month D, YYYY`."""
        match = TWEET.match(sentence.text)
        if not match:
            return []
        handle_or_name = match["handle"]
        who = self._resolve(handle_or_name, memory) or self._resolve(
            match["speaker"], memory
        )
        quote = match["quote"].strip()
        return [
            self._make(
                sentence,
                memory,
                day,
                attribution=f"{match['speaker']} ({handle_or_name})",
                who=who,
                cue="posted",
                stance=_content_stance(quote),
                start=sentence.start + match.start("quote"),
                end=sentence.start + match.start("quote") + len(quote),
                quote_kind="direct",
                confidence=0.8,
            )
        ]

    def _direct_quote(self, sentence: Sentence, memory: _Memory, day: date | None):
        """`"...," X said ...` or `"...," said X ...`; a quotation standing alone is
        the last speaker's, with less confidence."""
        text = sentence.text
        if not text or text[0] not in OPENING_QUOTES:
            return []
        close = _closing_quote(text)
        if close is None:
            return []
        inner_start, inner_end = 1, close
        while inner_end > inner_start and text[inner_end - 1] in ",.;: ":
            inner_end -= 1
        quote = text[inner_start:inner_end]
        if len(quote.split()) < 4:
            return []
        tail = DIRECT_TAIL.match(text[close + 1 :])
        if tail:
            phrase = tail["speaker_after"] or tail["speaker_before"]
            cue = tail["verb_first"] or tail["verb"]
            confidence = 0.85
        elif close + 1 >= len(text.rstrip(".")) and memory.last_speaker is not None:
            phrase, cue, confidence = "", "", 0.5
        else:
            return []
        who = self._resolve(phrase, memory) if phrase else memory.last_speaker
        return [
            self._make(
                sentence,
                memory,
                day,
                attribution=phrase or memory.names.get(memory.last_speaker, ""),
                who=who,
                cue=cue,
                stance=_content_stance(quote),
                start=sentence.start + inner_start,
                end=sentence.start + inner_end,
                quote_kind="direct",
                confidence=confidence,
            )
        ]

    def _reported(self, sentence: Sentence, memory: _Memory, day: date | None):
        text = sentence.text
        found: list[Suggestion] = []
        passive = PASSIVE.search(text)
        if passive and passive["cue"].lower() in CUE_STANCES:
            who = self._resolve(passive["speaker"], memory)
            if who is not None:
                stance = CUE_STANCES[passive["cue"].lower()] or _content_stance(text)
                return [
                    self._make(
                        sentence,
                        memory,
                        day,
                        attribution=passive["speaker"],
                        who=who,
                        cue=f"{passive['cue']} by",
                        stance=stance,
                        start=sentence.start,
                        end=sentence.end,
                        quote_kind="reported",
                        confidence=0.75,
                    )
                ]
        cues = list(CUE_PATTERN.finditer(text))
        subject: tuple[str, int | None] | None = None
        clauses: list[tuple[re.Match[str], int]] = []
        for cue in cues:
            if subject is None:
                if cue["cue"].lower() in PARTICIPLES:
                    continue
                phrase = _subject(text[: cue.start()])
                if phrase is None:
                    continue
                who = self._resolve(phrase, memory)
                if who is None and not _looks_like_a_name(phrase):
                    continue
                subject = (phrase, who)
                clauses.append((cue, text.rfind(phrase, 0, cue.start())))
            elif _coordinated(text[: cue.start()]) and not (
                cue["cue"].lower() in PARTICIPLES
                and _after_a_participial_phrase(text[: cue.start()])
            ):
                clauses.append((cue, cue.start()))
        if subject is None:
            according = ACCORDING_TO.search(text)
            if according:
                who = self._resolve(according["speaker"], memory)
                if who is not None:
                    noun = (according["noun"] or "").lower()
                    stance = (
                        Stance.ACCUSES
                        if noun.startswith("accusation")
                        else _content_stance(text)
                    )
                    return [
                        self._make(
                            sentence,
                            memory,
                            day,
                            attribution=according["speaker"],
                            who=who,
                            cue="according to",
                            stance=stance,
                            start=sentence.start,
                            end=sentence.end,
                            quote_kind="reported",
                            confidence=0.6,
                        )
                    ]
            return []
        phrase, who = subject
        for index, (cue, clause_start) in enumerate(clauses):
            clause_end = (
                _clause_end(text, clauses[index + 1][1])
                if index + 1 < len(clauses)
                else len(text)
            )
            if index == 0 and not text[cue.end() :].strip(" .;\"'\u201d"):
                # "Detainees were kept from ..., the report added.": what was
                # said comes before its speaker.
                clause_start, clause_end = 0, max(0, clause_start)
                while clause_end and text[clause_end - 1] in " ,":
                    clause_end -= 1
                if not clause_end:
                    continue
            clause = text[clause_start:clause_end]
            verb = " ".join(cue["cue"].lower().split())
            stance = CUE_STANCES.get(verb, Stance.EXPRESSES_CONCERN)
            if stance == NEUTRAL:
                stance = _content_stance(text[cue.end() : clause_end])
            elif stance == REPORT:
                kind = self.matcher.actors[who].kind if who is not None else ""
                stance = (
                    Stance.REPORTS if kind in ("media_outlet", "ngo") else Stance.FINDS
                )
            found.append(
                self._make(
                    sentence,
                    memory,
                    day,
                    attribution=phrase,
                    who=who,
                    cue=verb,
                    stance=stance,
                    start=sentence.start + clause_start,
                    end=sentence.start + clause_start + len(clause.rstrip(" ,;")),
                    quote_kind="reported",
                    confidence=0.8 if who is not None else 0.3,
                )
            )
        return found

    # Helpers --------------------------------------------------------------------

    def _resolve(self, phrase: str, memory: _Memory) -> int | None:
        """The actor a speaker phrase names or refers back to."""
        cleaned = phrase.strip(" ,\u2018\u2019'\"")
        lowered = cleaned.lower()
        if lowered in PRONOUNS:
            if PRONOUNS[lowered] == "person":
                return memory.people[-1] if memory.people else None
            return memory.last_other or memory.last_speaker
        if re.match(r"(?:its|their)\s+\w+$", lowered):
            # "Its report": the report of the last body that spoke.
            return memory.last_other or memory.last_speaker
        mentions = self.matcher.mentions(cleaned)
        if mentions:
            # The head of an English noun phrase comes last: titles precede names.
            end = max(e for _, e, _ in mentions)
            last = [m for m in mentions if m[1] == end]
            start, end, actor_id = min(last, key=lambda m: m[0])
            tail_titles = _titles_in(cleaned[end:])
            if not tail_titles:
                return self.matcher.speaker(actor_id)
            # "The 48-page UN report": the report, not the UN; refer back to it.
            return memory.by_title.get(tail_titles[-1]) or self.matcher.speaker(
                actor_id
            )
        titles = _titles_in(cleaned)
        if titles:
            title = titles[-1]
            if title in memory.by_title:
                return memory.by_title[title]
            return self.matcher.with_role(title, memory.people)
        surname = re.fullmatch(
            r"(?:(?:Mr|Ms|Mrs|Dr)\.?\s+)?([A-Z][\w'\u2019-]+)", cleaned
        )
        if surname:
            return self.matcher.person_called(surname[1], memory.people)
        return None

    def _make(
        self,
        sentence: Sentence,
        memory: _Memory,
        day: date | None,
        *,
        attribution: str,
        who: int | None,
        cue: str,
        stance: str,
        start: int,
        end: int,
        quote_kind: str,
        confidence: float,
    ) -> Suggestion:
        offset = start - sentence.start
        quote = sentence.text[offset : offset + end - start]
        speaker = ""
        principal = None
        if who is not None:
            actor = self.matcher.actors[who]
            speaker = actor.name
            memory.remember(who, attribution, actor.kind, actor.name)
            principal = self.matcher.principal(who, day)
            if attribution.lower() in PRONOUNS or not self.matcher.mentions(
                attribution
            ):
                confidence -= 0.1
        else:
            confidence = min(confidence, 0.3)
        if stance == Stance.ASSERTS and cue in ("", "said"):
            confidence -= 0.05
        return Suggestion(
            attribution=attribution.strip()[:300],
            speaker=speaker,
            cue=cue,
            actor_id=who,
            on_behalf_of_id=principal,
            stance=stance,
            claim_id=self._claim_for(quote),
            start=start,
            end=end,
            quote=quote,
            quote_kind=quote_kind,
            confidence=round(max(0.05, min(confidence, 1.0)), 2),
        )

    def _claim_for(self, quote: str) -> int | None:
        """The claim whose proposition shares the most content words with the quote,
        if it shares enough of them."""
        words = _content_words(quote)
        best: tuple[float, int] | None = None
        for claim_id, claim_words in self.claims:
            shared = len(words & claim_words)
            if shared < 3 or not claim_words:
                continue
            score = shared / len(claim_words)
            if score >= 0.4 and (best is None or score > best[0]):
                best = (score, claim_id)
        return best[1] if best else None


def _closing_quote(text: str) -> int | None:
    opener = text[0]
    closer = "\u201d" if opener == "\u201c" else '"'
    position = text.find(closer, 1)
    return position if position > 0 else None


def _subject(before: str) -> str | None:
    """The subject phrase that ends just before a reporting verb, without the
    adverbials and auxiliaries around it; None when it does not read as one."""
    phrase = SUBJECT_TAIL.sub("", before.rstrip())
    phrase = phrase.rstrip(" ,")
    if not phrase:
        return None
    # "X, which has repeatedly denied": the subject is X.
    relative = re.search(r",\s+(?:which|who)\b[^,]*$", phrase)
    if relative and relative.end() == len(phrase):
        phrase = phrase[: relative.start()]
    if "," in phrase:
        segments = [segment.strip() for segment in phrase.split(",")]
        # "Western nations, organizations and media outlets": a list, one speaker.
        if re.match(r"(?:and|or)\b|[a-z]+ and ", segments[-1]) and (
            len(phrase.split()) <= MAX_SUBJECT_WORDS
        ):
            segments = [phrase]
        # "The UN report, released on Wednesday, concluded": skip the apposition.
        while len(segments) > 1 and _is_apposition(segments[-1]):
            segments.pop()
        phrase = segments[-1]
    phrase = SUBJECT_PREPOSITION.split(phrase, maxsplit=1)[0]
    phrase = re.sub(r"^(?:and|but|while|as|so|then)\s+", "", phrase.strip(), flags=re.I)
    phrase = phrase.strip(" ,\u2018\u2019'\"")
    if not phrase or len(phrase.split()) > MAX_SUBJECT_WORDS:
        return None
    if re.search(r"[\u201c\u201d\"]|\b(?:that|to)\s*$", phrase):
        return None
    return phrase


_DETERMINERS = frozenset(
    [
        "the",
        "a",
        "an",
        "its",
        "his",
        "her",
        "their",
        "our",
        "some",
        "other",
        "several",
        "many",
        "most",
        "these",
        "those",
        "this",
        "that",
    ]
)


def _is_apposition(segment: str) -> bool:
    first = segment.split()[0] if segment.split() else ""
    return (
        bool(first)
        and first[0].islower()
        and first not in _DETERMINERS
        and first not in PRONOUNS
    )


def _looks_like_a_name(phrase: str) -> bool:
    # One capitalised word may open any sentence ("Widespread reports"); a name
    # no known actor has needs two ("John Smith said").
    return any(word[:1].isupper() for word in phrase.split()[1:])


def _coordinated(before: str) -> bool:
    """Whether a later verb shares the subject: `X denies ... and maintains`."""
    return bool(
        re.search(
            r"(?:,?\s+and(?:\s+also)?|,\s*(?:before|after)?|\s(?:before|after))\s*$",
            before,
        )
    )


def _after_a_participial_phrase(before: str) -> bool:
    """`reports, initially circulated by the BBC, stating`: the participle belongs
    to the noun the phrase describes, not to the subject."""
    segments = before.rstrip(" ,").rsplit(",", 1)
    return len(segments) == 2 and bool(
        re.match(r"\s*(?:\w+ly\s+)?\w+ed\b", segments[1])
    )


def _clause_end(text: str, next_start: int) -> int:
    before = text[:next_start]
    match = re.search(r"(?:,?\s+and(?:\s+also)?|,\s*(?:before|after)?)\s*$", before)
    return match.start() if match else next_start


def _content_stance(said: str) -> str:
    for pattern, stance in CONTENT_STANCES:
        if pattern.search(said):
            return stance
    return Stance.ASSERTS


def _content_words(text: str) -> set[str]:
    return {
        _stem(word)
        for word in re.findall(r"[a-z]+", text.lower())
        if len(word) >= 4 and word not in STOPWORDS
    }


def _stem(word: str) -> str:
    for suffix in ("ations", "ation", "ings", "ing", "ies", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word
