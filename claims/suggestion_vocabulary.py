"""The suggester's vocabulary: reporting verbs and their stances, titles, pronouns
and the patterns that find speakers in a sentence (see claims/suggestions.py)."""

from __future__ import annotations

import re

from .stances import Stance

NEUTRAL = ""
"""A cue whose stance comes from the words it introduces ("said")."""

CUE_STANCES: dict[str, str] = {
    **dict.fromkeys(
        [
            "said",
            "says",
            "say",
            "stated",
            "states",
            "stressed",
            "underlined",
            "added",
            "noted",
            "told",
            "maintains",
            "maintained",
            "asserted",
            "asserts",
            "remarked",
            "insisted",
            "emphasized",
            "emphasised",
            "argued",
            "claimed",
            "explained",
            "called",
            "labeled",
            "labelled",
            "emphasizing",
            "emphasising",
            "stating",
            "saying",
            "adding",
            "insisting",
            "claiming",
            "calling",
        ],
        NEUTRAL,
    ),
    **dict.fromkeys(
        [
            "rejected",
            "rejects",
            "reject",
            "dismissed",
            "dismisses",
            "panned",
            "slammed",
            "slams",
            "rebuffed",
        ],
        Stance.REJECTS,
    ),
    **dict.fromkeys(["denied", "denies", "deny"], Stance.DENIES),
    **dict.fromkeys(["accused", "accuses", "accuse"], Stance.ACCUSES),
    **dict.fromkeys(
        [
            "called for",
            "called on",
            "calls for",
            "calls on",
            "call on",
            "call for",
            "urged",
            "urges",
            "asked for",
            "pleaded for",
            "appealed for",
        ],
        Stance.CALLS_FOR,
    ),
    **dict.fromkeys(["demanded", "demands"], Stance.DEMANDS),
    **dict.fromkeys(
        ["recommended", "recommends", "to call", "pleaded"], Stance.CALLS_FOR
    ),
    **dict.fromkeys(["designated", "described"], NEUTRAL),
    **dict.fromkeys(["published a report", "released a report"], "report"),
    **dict.fromkeys(["welcomed", "welcomes"], Stance.WELCOMES),
    **dict.fromkeys(
        ["condemned", "condemns", "criticised", "criticized", "denounced"],
        Stance.CONDEMNS,
    ),
    **dict.fromkeys(["reported", "reports"], Stance.REPORTS),
    **dict.fromkeys(["concluded", "concludes", "found", "finds"], Stance.FINDS),
    **dict.fromkeys(["acknowledged", "acknowledges"], Stance.ACKNOWLEDGES),
    **dict.fromkeys(["pledged", "vowed", "promised"], Stance.PLEDGES),
    **dict.fromkeys(["disputed", "disputes"], Stance.DISPUTES),
    **dict.fromkeys(["expressed concern", "voiced concern"], Stance.EXPRESSES_CONCERN),
}
CUE_PATTERN = re.compile(
    r"\b(?P<cue>"
    + "|".join(
        re.escape(cue).replace(r"\ ", r"\s+")
        for cue in sorted(CUE_STANCES, key=len, reverse=True)
    )
    + r"|expressed\s+(?:its|his|her|their)\s+(?:disturbance|concern|alarm))\b"
)
PARTICIPLES = frozenset(
    {
        "emphasizing",
        "emphasising",
        "stating",
        "saying",
        "adding",
        "insisting",
        "claiming",
        "calling",
    }
)

# Words in what was said that decide a neutral cue's stance, strongest first.
CONTENT_STANCES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\bwelcom", re.I), Stance.WELCOMES),
    (re.compile(r"\breject", re.I), Stance.REJECTS),
    (
        re.compile(
            r"\b(?:there is no|deni(?:es|ed)|deny|not true|no so-called)\b", re.I
        ),
        Stance.DENIES,
    ),
    (re.compile(r"\bcondemn", re.I), Stance.CONDEMNS),
    (re.compile(r"\baccus", re.I), Stance.ACCUSES),
    (
        re.compile(
            r"\b(?:call(?:s|ed)? (?:on|for)|urge|should|important now than ever)\b",
            re.I,
        ),
        Stance.CALLS_FOR,
    ),
    (
        re.compile(
            r"\b(?:oppose[sd]?|farce|illegal|invalid|hodgepodge|false information|"
            r"lies|fabricated)\b",
            re.I,
        ),
        Stance.REJECTS,
    ),
    (re.compile(r"\b(?:distorted|exaggerated)\b", re.I), Stance.DISPUTES),
    (re.compile(r"\b(?:concern|disturb|alarm)", re.I), Stance.EXPRESSES_CONCERN),
    (re.compile(r"\b(?:will (?:continue|increase)|pledge)", re.I), Stance.PLEDGES),
]
REPORT = "report"
"""A cue whose stance depends on who publishes: an outlet reports, a body finds."""

PRONOUNS = {
    "he": "person",
    "she": "person",
    "him": "person",
    "her": "person",
    "it": "other",
    "its": "other",
    "they": "other",
}
# Title and head nouns that refer back to the last speaker named with them.
TITLE_NOUNS = (
    "ambassador",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "minister",
    "secretary",
    "president",
    "commissioner",
    "envoy",
    "official",
    "report",
    "assessment",
    "office",
    "ministry",
    "mission",
    "embassy",
    "committee",
    "government",
)
SAME_TITLE = {"spokesman": "spokesperson", "spokeswoman": "spokesperson"}
SUBJECT_TAIL = re.compile(
    r"(?:\s+(?:has|have|had|was|were|is|are|also|long|repeatedly|further|then|"
    r"later|earlier|firmly|naturally|recently|first|once|again|openly|publicly|"
    r"went\s+on|on\s+\w+day|this\s+week|on\s+the\s+other\s+hand|,))+$",
    re.I,
)
SUBJECT_PREPOSITION = re.compile(
    r"\s(?:in|on|at|during|amid|after)\s(?=(?:a|an|the|his|her|its|their)\s+[a-z]|"
    r"\d|[A-Z][a-z]+day\b|(?!(?:a|an|the|his|her|its|their)\s)[a-z])"
)
STATE_KIND = "state"
GOVERNMENT_KIND = "government_body"
PERSON_KIND = "person"
MAX_SUBJECT_WORDS = 12
# "BEIJING (UrduPoint News / Sputnik - 04th February, 2021) " or "BEIJING - ".
DATELINE = re.compile(
    r"^\s*[A-Z][A-Z .'\-]*[A-Z](?: \([^()\n]*\d{4}\)| [-\u2013\u2014]) (?=\S)"
)
ABBREVIATIONS = re.compile(r"\b(?:Mr|Ms|Mrs|Dr|St|Gen|Col|No|U\.S|U\.N|U\.K|Jr|Sr)\.$")
OPENING_QUOTES = '\u201c"'
CLOSING_QUOTES = '\u201d"'
TWEET = re.compile(
    r"^(?P<quote>.+?)(?:\s+(?:https?://|pic\.twitter\.com/)\S+)*\s+[\u2014\u2013-]+\s+"
    r"(?P<speaker>[^\u2014()]+?)\s+\((?P<handle>@\w+)\)\s+[A-Z][a-z]+ \d{1,2}, \d{4}$"
)
DIRECT_TAIL = re.compile(
    r"^[,\s]*(?:(?P<verb_first>said|added|says|stated|told)\s+(?P<speaker_after>.+?)|"
    r"(?P<speaker_before>.+?)\s+(?P<verb>said|added|says|stated|stressed|noted|"
    r"insisted|told\s+\w+))(?=\s+(?:at|in|during|on|to|before|after)\b|[,.;]|$)"
)
ACCORDING_TO = re.compile(
    r"\b[Aa]ccording to (?P<speaker>[^,.;]+?)(?:'s?\s+(?P<noun>\w+))?(?=[,.;]|$)"
)
PASSIVE = re.compile(
    r"\b(?:has|have|had|was|were|is|are)\s+been\s+(?P<cue>\w+)\s+by\s+"
    r"(?P<speaker>[A-Z][\w'\u2019-]*(?:\s+[A-Z][\w'\u2019-]*)*)"
)
STOPWORDS = frozenset(
    [
        "about",
        "above",
        "after",
        "again",
        "against",
        "also",
        "among",
        "been",
        "being",
        "between",
        "both",
        "could",
        "does",
        "doing",
        "down",
        "during",
        "each",
        "from",
        "further",
        "have",
        "having",
        "here",
        "into",
        "itself",
        "just",
        "more",
        "most",
        "must",
        "other",
        "over",
        "same",
        "should",
        "some",
        "such",
        "than",
        "that",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "under",
        "until",
        "very",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "whom",
        "with",
        "would",
        "your",
        "will",
        "said",
        "says",
        "that",
    ]
)


# Sentences --------------------------------------------------------------------------
