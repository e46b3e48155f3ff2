"""Which sentences of an article are worth checking: transparent features, each with the words
a fact-checker is shown ("a figure", "a comparison"), summed with fixed weights. No model and no
training: the weights were set by hand and measured (``manage.py evaluate_checkworthiness``,
README). A score orders the desk's queue; it never hides a sentence."""

import re
from dataclasses import dataclass

import pysbd

_NUMBER_WORDS = (
    r"hundred|thousand|million|billion|trillion|percent|per cent|half|twice|double|triple|"
    r"dozen|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|"
    r"fifty|sixty|seventy|eighty|ninety"
)
_MONTHS = r"January|February|March|April|May|June|July|August|September|October|November|December"

# (reason shown, weight, pattern)
FEATURES = [
    ("a figure", 2.0, re.compile(rf"\d|%|\$|£|€|\b(?:{_NUMBER_WORDS})\b", re.I)),
    (
        "a comparison",
        1.0,
        re.compile(
            r"\b(?:more|less|fewer|than|most|least|highest|lowest|largest|biggest|smallest|"
            r"increase[sd]?|decrease[sd]?|rose|risen|fell|fallen|doubled|tripled|cut|raised|"
            r"grew|grown|dropped|higher|lower|record|worst|best|only|first|ever)\b",
            re.I,
        ),
    ),
    (
        "a date",
        0.7,
        re.compile(rf"\b(?:1[89]\d\d|20\d\d|{_MONTHS}|last year|this year|since|ago|decade)\b"),
    ),
    (
        "attributed to a named person",
        0.8,
        re.compile(
            r"\b(?:said|says|told|according to|claimed|stated|announced|wrote|voted|"
            r"supported|opposed)\b",
            re.I,
        ),
    ),
    (
        "a policy or statistic",
        1.2,
        re.compile(
            r"\b(?:tax(?:es)?|jobs?|unemploy\w*|deficit|debt|budget|economy|wages?|income|"
            r"health ?care|insurance|medicare|social security|crime|murders?|immigra\w*|"
            r"deport\w*|border|troops|war|nuclear|iran|isis|terror\w*|oil|energy|trade|"
            r"companies|billionaires?|wall street|banks?|plan|law|bill|vot\w*|poll\w*|"
            r"spent|spend\w*|cost\w*|funding|paid|pay)\b",
            re.I,
        ),
    ),
]
# Sentences that state nothing to check: questions, greetings and opinions.
DISCOUNTS = [
    ("a question", -2.0, re.compile(r"\?\s*$")),
    (
        "an opinion or a courtesy",
        -1.5,
        re.compile(
            r"^(?:thank|thanks|good (?:evening|morning|night)|welcome|well|look|i think|i believe|"
            r"i feel|i hope|i want|let me|we need|we have to|we should|i will|i'm going to)\b",
            re.I,
        ),
    ),
]
SHORT = 6  # words: a sentence shorter than this rarely carries a checkable statement


@dataclass
class Sentence:
    start: int
    end: int
    text: str
    score: float
    reasons: list[str]


def score_sentence(text: str) -> tuple[float, list[str]]:
    """A sentence's check-worthiness and the reasons for it, in words."""
    score, reasons = 0.0, []
    for reason, weight, pattern in FEATURES + DISCOUNTS:
        if pattern.search(text):
            score += weight
            if weight > 0:
                reasons.append(reason)
    words = len(text.split())
    if words < SHORT:
        score -= 1.5
    else:
        score += min(words, 40) / 40  # a longer sentence says more that can be checked
    return round(score, 3), reasons


_segmenter = pysbd.Segmenter(language="en", clean=False, char_span=True)


def sentences(text: str) -> list[Sentence]:
    """The text's sentences with their exact offsets (``text[start:end]`` is the sentence) and
    their scores, in reading order."""
    found = []
    for span in _segmenter.segment(text):
        raw = span.sent
        stripped = raw.strip()
        if not stripped:
            continue
        start = span.start + (len(raw) - len(raw.lstrip()))
        end = start + len(stripped)
        if text[start:end] != stripped:  # pysbd's spans are meant to be exact: never trust blindly
            start = text.find(stripped, span.start)
            if start < 0:
                continue
            end = start + len(stripped)
        score, reasons = score_sentence(stripped)
        found.append(Sentence(start, end, stripped, score, reasons))
    return found
