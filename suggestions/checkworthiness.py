"""How worth checking a sentence looks: a score made of features a fact-checker can read.

Each feature is a pattern with a weight and the words shown to the desk ("a figure", "a
comparison"). A sentence's score is the sum of the weights of the features it has; its reasons
are their words, strongest first. Nothing is trained: the weights were set by hand and tuned on
the CheckThat! 2020 Task 5 training debates (suggestions.evaluation, ``manage.py
evaluate_checkworthiness``), the figure of which the README reports.

The score orders the desk's queue; it never hides a sentence (every sentence of the text can be
selected and made a claim, whatever it scores).
"""

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Feature:
    words: str  # what the desk reads: "a figure"
    weight: float
    pattern: re.Pattern


def _words(*alternatives: str) -> str:
    return r"\b(?:" + "|".join(alternatives) + r")\b"


_MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December"
    "|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec"
)
_DAYS = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
_NUMBER_WORDS = (
    "hundreds?|thousands?|millions?|billions?|trillions?|dozens?|half|quarter|third"
    "|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty"
    "|fifty|sixty|seventy|eighty|ninety"
)

FEATURES = [
    Feature(
        "a figure",
        2.0,
        re.compile(
            r"(?<![\w.])\d[\d,.]*(?![\w])(?!\s*(?:a\.m|p\.m|o'clock))|" + _words(_NUMBER_WORDS),
            re.I,
        ),
    ),
    Feature(
        "a percentage",
        1.5,
        re.compile(r"\d\s*%|" + _words("percent", "per cent", "percentage"), re.I),
    ),
    Feature(
        "an amount of money",
        1.0,
        re.compile(r"[$£€]\s*\d|" + _words("dollars?", "pounds", "euros?", "taxpayers?"), re.I),
    ),
    Feature(
        "a date",
        0.5,
        re.compile(
            _words(
                _MONTHS,
                r"(?:19|20)\d\d",
                "last (?:year|month|week|decade)",
                r"(?:19|20)\d0s",
                "since",
                "years? ago",
                "yesterday",
                _DAYS,
            ),
        ),
    ),
    Feature(
        "a quantity change",
        1.5,
        re.compile(
            _words(
                r"(?:increas|decreas|doubl|tripl|reduc|declin|expand|shrunk|shrink|plummet|soar|surg)\w*",
                "r[io]se",
                "risen",
                "rising",
                "fell",
                "fallen",
                "falling",
                "grew",
                "grown",
                "growing",
                "dropped",
                "cut",
                "cuts",
                "raised?",
                "lowered",
                "lost",
                "gained?",
                "created",
                "added",
                "went (?:up|down)",
                "gone (?:up|down)",
            ),
            re.I,
        ),
    ),
    Feature(
        "a comparison",
        1.0,
        re.compile(
            _words(
                r"than",
                r"compared (?:with|to)",
                r"as (?:much|many|high|low|large) as",
                r"times (?:as|more)",
                "twice",
                "fewer",
                "higher",
                "lower",
                "bigger",
                "smaller",
            ),
            re.I,
        ),
    ),
    Feature(
        "a superlative",
        1.0,
        re.compile(
            _words(
                "most",
                "least",
                "best",
                "worst",
                "biggest",
                "largest",
                "highest",
                "lowest",
                "greatest",
                "smallest",
                "fastest",
                "slowest",
                "strongest",
                "weakest",
                "richest",
                "poorest",
                "oldest",
                "longest",
                "deadliest",
                "record",
                "ever",
                "first time",
                "never before",
                "the only",
                "number one",
            ),
            re.I,
        ),
    ),
    Feature(
        "attributed to a named person",
        1.0,
        re.compile(
            # "Anne Moray said", "Ms Moray told", "according to Gen. Milley"; not "The
            # council said" nor "said on Tuesday" (a day is not a person).
            r"\b(?!The\b)(?:[A-Z][a-z]+\.? )+(?:said|says|told|claimed|stated|wrote|announced)\b"
            r"|\b(?:said|says|told|according to|claimed)\b(?: the)?"
            r" (?!(?:" + _DAYS + "|" + _MONTHS + r")\b)[A-Z][a-z]+\b"
        ),
    ),
    Feature(
        "a record of what was done",
        1.0,
        re.compile(
            _words(
                "voted",
                "vote",
                "passed",
                "signed",
                "supported",
                "opposed",
                "bill",
                "law",
                "legislation",
                "budget",
                "deficit",
                "debt",
                "spending",
                "spent",
                "jobs",
                "unemployment",
                "tax",
                "taxes",
                "wages",
                "income",
                "economy",
                "deal",
                "plan",
            ),
            re.I,
        ),
    ),
    Feature(
        "about what happened (was, has been)",
        0.5,
        re.compile(
            _words("was", "were", "has been", "have been", "had been", "has had", "have had"), re.I
        ),
    ),
    Feature(
        "names a country or a public body",
        0.5,
        re.compile(
            _words(
                "America",
                "Americans?",
                "country",
                "nation",
                "world",
                "China",
                "Iran",
                "Russia",
                "Mexico",
                "ISIS",
                "Iraq",
                "Syria",
                "government",
                "Congress",
                "Senate",
                "military",
                "troops",
                "war",
                "police",
                "council",
                "ministry",
                "minister",
                "army",
                "health care",
                "Medicare",
                "Social Security",
                "Obamacare",
                "insurance",
            ),
        ),
    ),
    Feature(
        "a generalisation (every, all, never)",
        0.5,
        re.compile(_words("every", "all", "nobody", "no one", "none", "always", "never"), re.I),
    ),
    Feature(
        "a question",
        -2.0,
        re.compile(r"\?\s*$"),
    ),
    Feature(
        "an opinion or a promise",
        -1.0,
        re.compile(
            _words(
                "I think",
                "I believe",
                "I feel",
                "I hope",
                "I want",
                "I will",
                "I'll",
                "we will",
                "we'll",
                "we're going to",
                "I'm going to",
                "let me",
                "let's",
                "we need",
                "we have to",
                "we must",
                "should",
            ),
            re.I,
        ),
    ),
    Feature(
        "a greeting or thanks",
        -2.0,
        re.compile(
            _words("thank you", "thanks", "welcome", "good evening", "applause", "laughter"), re.I
        ),
    ),
]
SHORT_WORDS = 6
SHORT = Feature("too short to state a fact", -2.0, re.compile(""))
LONG_WORDS = 20
LONG = Feature("a long sentence", 0.5, re.compile(""))
WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Score:
    value: float
    features: tuple[Feature, ...]

    @property
    def reasons(self) -> list[str]:
        """The words of the features that raised the score, strongest first."""
        return [f.words for f in self.features if f.weight > 0]

    @property
    def against(self) -> list[str]:
        """The words of the features that lowered it."""
        return [f.words for f in self.features if f.weight < 0]


def score(sentence: str) -> Score:
    found = [f for f in FEATURES if f.pattern.search(sentence)]
    words = len(WORD.findall(sentence))
    if words < SHORT_WORDS:
        found.append(SHORT)
    elif words >= LONG_WORDS:
        found.append(LONG)
    found.sort(key=lambda f: -abs(f.weight))
    return Score(round(sum(f.weight for f in found), 2), tuple(found))
