"""Words the synthetic dataset (claims.datasets) is made of.

Every place, state and organisation is fictional: the generated claims and
statements must never read as facts about real countries or people. Names carry
accents, Cyrillic and Chinese characters and curly quotes, so that offsets are
counted in characters, not bytes, everywhere they are checked.
"""

SYLLABLES = [
    "al",
    "ar",
    "bel",
    "dor",
    "ka",
    "ves",
    "tri",
    "mon",
    "sal",
    "ren",
    "ostr",
    "qua",
    "lin",
    "zer",
    "tav",
    "mir",
    "ul",
    "gan",
    "pel",
    "cor",
    "nis",
    "dra",
    "fen",
    "hal",
    "jor",
    "kel",
    "lum",
    "nor",
    "pra",
    "rov",
    "sen",
    "tol",
    "var",
    "wen",
    "yar",
    "zol",
]
PLACE_ENDINGS = ["ia", "istan", "land", "ova", "ara", "enia", "ica", "or", "esh"]
STATE_FORMS = ["Republic of {}", "Kingdom of {}", "{}", "Federation of {}"]
PORTFOLIOS = [
    "Foreign Affairs",
    "Justice",
    "Interior",
    "Information",
    "Defence",
    "Education",
    "Labour",
    "Health",
    "Public Security",
    "Religious Affairs",
]
DEPARTMENTS = [
    "Press Office",
    "Department of Human Rights",
    "Bureau of Consular Affairs",
    "Office of the Spokesperson",
    "Legal Department",
    "Regional Affairs Office",
]
UN_OFFICES = [
    "Office of the High Commissioner for Human Rights",
    "Human Rights Council",
    "Secretariat",
    "Committee on the Elimination of Racial Discrimination",
    "Working Group on Arbitrary Detention",
    "Special Rapporteur on Freedom of Expression",
    "Refugee Agency",
    "Development Programme",
]
IGO_FORMS = [
    "{} Cooperation Organisation",
    "Council of {} States",
    "{} Economic Community",
]
OUTLET_FORMS = [
    "The {} Times",
    "{} Herald",
    "{} Daily Post",
    "{} News Agency",
    "The {} Observer",
    "{} Broadcasting Corporation",
]
NGO_FORMS = [
    "{} Rights Watch",
    "Friends of {}",
    "{} Centre for Press Freedom",
    "{} Legal Aid Foundation",
    "Observatory for {} Affairs",
]
GROUP_FORMS = [
    "{} diaspora activists",
    "{} students' union",
    "Families of detainees in {}",
    "{} opposition coalition",
]
FIRST_NAMES = [
    "Amina",
    "José",
    "Zoë",
    "Łukasz",
    "Wei",
    "Fatima",
    "Olumide",
    "Ingrid",
    "Rahul",
    "Sofía",
    "Dmitri",
    "Hana",
    "Mehmet",
    "Chloé",
    "Kwame",
    "Yuki",
    "Anders",
    "Leila",
    "Tomás",
    "Nguyen",
    "Maria",
    "Ahmed",
    "Ewa",
    "Kofi",
]
LAST_NAMES = [
    "Okafor",
    "Müller",
    "García",
    "Chen",
    "Ivanova",
    "Haddad",
    "Nakamura",
    "Kowalski",
    "Dubois",
    "Singh",
    "Petrov",
    "Andersen",
    "Yılmaz",
    "Mensah",
    "Novak",
    "Rossi",
    "O'Brien",
    "Tanaka",
    "Ferreira",
    "Al-Rashid",
    "Ван",
    "王文",
]
ROLES = {
    "government_body": ["spokesperson", "minister", "deputy minister", "director"],
    "diplomatic_mission": ["ambassador", "permanent representative", "counsellor"],
    "un_body": ["spokesperson", "high commissioner", "special rapporteur"],
    "intergovernmental_organisation": ["secretary-general", "envoy"],
    "media_outlet": ["correspondent", "editor", "reporter"],
    "ngo": ["researcher", "director", "advocacy officer"],
    "group": ["organiser", "spokesperson"],
}

THEMES = [
    "detention",
    "press freedom",
    "forced labour",
    "elections",
    "border security",
    "surveillance",
    "religious freedom",
    "minority languages",
    "refugees",
    "internet shutdowns",
    "land rights",
    "public health",
    "arms exports",
    "water sharing",
    "trade sanctions",
    "judicial independence",
    "protests",
    "disinformation",
    "climate migration",
    "prison conditions",
]
CLAIM_SUBJECTS = [
    "Security forces",
    "The authorities",
    "Provincial officials",
    "Border guards",
    "The ruling party",
    "Contractors",
    "Police units",
    "The state broadcaster",
    "Prison administrators",
    "Local militias",
]
CLAIM_PREDICATES = [
    "detained",
    "monitored",
    "expelled",
    "censored",
    "coerced",
    "relocated",
    "mistreated",
    "silenced",
    "surveilled",
    "compensated",
]
CLAIM_OBJECTS = [
    "journalists",
    "religious leaders",
    "students",
    "farm workers",
    "opposition candidates",
    "aid workers",
    "lawyers",
    "ethnic minority residents",
    "union members",
    "foreign researchers",
]

STANCE_PHRASES = {
    "asserts": "maintains that",
    "reports": "reports that",
    "finds": "concludes that",
    "denies": "denies that",
    "rejects": "rejects the allegation that",
    "disputes": "disputes the extent to which",
    "acknowledges": "acknowledges that",
    "welcomes": "welcomes the finding that",
    "condemns": "condemns the fact that",
    "calls_for": "calls for an inquiry into whether",
    "demands": "demands an explanation of why",
    "expresses_concern": "is concerned that",
    "accuses": "accuses the authorities of ensuring that",
    "pledges": "pledges to act on reports that",
}
# Stances each kind of actor takes, with weights.
STANCES_BY_KIND = {
    "state": {"denies": 4, "rejects": 4, "asserts": 3, "accuses": 2, "pledges": 1},
    "government_body": {
        "denies": 5,
        "rejects": 5,
        "asserts": 4,
        "disputes": 2,
        "accuses": 2,
        "acknowledges": 1,
        "demands": 1,
        "pledges": 1,
    },
    "diplomatic_mission": {"rejects": 3, "denies": 2, "asserts": 2, "condemns": 1},
    "un_body": {
        "finds": 4,
        "calls_for": 3,
        "expresses_concern": 3,
        "welcomes": 1,
        "acknowledges": 1,
    },
    "intergovernmental_organisation": {
        "expresses_concern": 2,
        "calls_for": 2,
        "welcomes": 2,
        "condemns": 1,
    },
    "media_outlet": {"reports": 8, "acknowledges": 1},
    "ngo": {"reports": 3, "finds": 2, "condemns": 3, "calls_for": 3, "accuses": 2},
    "group": {"accuses": 3, "condemns": 3, "demands": 3, "calls_for": 2},
    "person": {
        "asserts": 4,
        "denies": 3,
        "rejects": 3,
        "condemns": 2,
        "calls_for": 2,
        "expresses_concern": 2,
        "welcomes": 1,
        "accuses": 2,
        "disputes": 1,
        "pledges": 1,
    },
}
# The sentences of a source's text. {speaker} is an actor's name, {quote} words a
# speaker might say; each template says whether the passage is the speaker's own
# words (direct) or the source's report of them.
REPORTED_TEMPLATES = [
    "{speaker} {verb} {what} on {weekday}, according to officials in {place}.",
    "{speaker} has long {verb} {what}, a position repeated at {event}.",
    "In a statement, {speaker} {verb} {what} and said more details would follow.",
    "{speaker} {verb} {what} \u2014 a claim first raised by {other} in {month}.",
    "According to {other}, {speaker} {verb} {what} during {event}.",
]
DIRECT_TEMPLATES = [
    "\u201c{quote},\u201d {speaker} told reporters in {place}.",
    "\u201c{quote}\u201d, {speaker} said at {event}.",
    "{speaker} said: \u201c{quote}.\u201d",
]
REPORTING_VERBS = [
    "rejected",
    "denied",
    "welcomed",
    "condemned",
    "acknowledged",
    "disputed",
    "called for",
    "reported",
    "questioned",
    "described",
]
WHATS = [
    "the report on {theme} in {place}",
    "allegations of {theme} abuses",
    "claims that {objects} were {predicate} in {place}",
    "an independent investigation into {theme}",
    "the findings of the inquiry into {theme}",
    "calls for access to {place}",
    "the accusation that {subject} {predicate} {objects}",
]
QUOTES = [
    "These accusations are a hodgepodge of false information",
    "We will not accept interference in our internal affairs",
    "The evidence of {theme} in {place} is overwhelming",
    "Independent observers must be allowed into {place} without delay",
    "Nobody was {predicate} for what they believe",
    "We are deeply troubled by the reports of {theme}",
    "The so-called report is a farce orchestrated by {other}",
    "Our government has always protected {objects}",
    "Those responsible for {theme} must be held accountable",
]
EVENTS = [
    "a regular press briefing",
    "a session of the council",
    "a news conference",
    "a closed-door meeting",
    "an interview with state television",
    "the annual summit",
]
CONTEXTS = [
    "regular press briefing",
    "interview",
    "statement on its website",
    "press release",
    "speech to parliament",
    "social-media post",
    "",
    "",
]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
MONTHS = ["January", "March", "May", "July", "September", "November"]
HEADLINES = [
    "{speaker} rejects report on {theme}",
    "{place}: new allegations of {theme}",
    "UN body calls for access to {place}",
    "Outcry over {theme} grows",
    "{speaker} welcomes inquiry into {theme}",
    "What we know about {theme} in {place}",
]
