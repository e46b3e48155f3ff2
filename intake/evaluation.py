"""How well the extractor finds an article's text: word-level precision, recall and F1 against
gold text, over a directory of saved pages.

Two layouts are read:

- this project's (``tests/intake/pages``): ``NAME.html`` beside ``NAME.txt``, its gold text;
- the ScrapingHub article-extraction benchmark's
  (https://github.com/scrapinghub/article-extraction-benchmark): ``html/ID.html.gz`` and
  ``ground-truth.json`` (``{ID: {"articleBody": ..., "url": ...}}``).

Each page is scored on its words (runs of letters and digits, as the benchmark tokenises):
true positives are the words the extraction and the gold text share, counted with repetition;
precision is their share of the extracted words, recall their share of the gold words. The
figures are the means over pages, and F1 is the harmonic mean of the two means, as the
benchmark reports them. ``shingle=4`` compares runs of four words instead, the benchmark's own
measure (its published F1 of 0.958 for trafilatura is on shingles).
"""

from __future__ import annotations

import gzip
import json
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .extraction import ExtractionError, extract_html

WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Page:
    name: str
    html: bytes
    gold: str
    url: str = ""


@dataclass(frozen=True)
class Score:
    name: str
    precision: float
    recall: float

    @property
    def f1(self) -> float:
        return harmonic(self.precision, self.recall)


def harmonic(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def units(text: str, shingle: int = 1) -> Counter:
    words = WORD.findall(text)
    if shingle == 1:
        return Counter(words)
    return Counter(tuple(words[i : i + shingle]) for i in range(max(1, len(words) - shingle + 1)))


def score(name: str, extracted: str, gold: str, *, shingle: int = 1) -> Score:
    got, wanted = units(extracted, shingle), units(gold, shingle)
    shared = sum((got & wanted).values())
    found, expected = sum(got.values()), sum(wanted.values())
    if not found and not expected:
        return Score(name, 1.0, 1.0)
    return Score(name, shared / found if found else 0.0, shared / expected if expected else 0.0)


def pages(directory: Path) -> Iterator[Page]:
    truth = directory / "ground-truth.json"
    if truth.exists():
        for key, item in sorted(json.loads(truth.read_text(encoding="utf-8")).items()):
            path = directory / "html" / f"{key}.html.gz"
            yield Page(
                key,
                gzip.decompress(path.read_bytes()),
                item.get("articleBody", ""),
                item.get("url", ""),
            )
        return
    for path in sorted(directory.glob("*.html")):
        gold = path.with_suffix(".txt")
        if gold.exists():
            yield Page(path.stem, path.read_bytes(), gold.read_text(encoding="utf-8"))


def evaluate(directory: Path, *, shingle: int = 1) -> list[Score]:
    scores = []
    for page in pages(directory):
        try:
            text = extract_html(page.html, url=page.url).text
        except ExtractionError:
            text = ""
        scores.append(score(page.name, text, page.gold, shingle=shingle))
    return scores


def mean(scores: list[Score]) -> Score:
    if not scores:
        return Score("mean", 0.0, 0.0)
    return Score(
        "mean",
        sum(s.precision for s in scores) / len(scores),
        sum(s.recall for s in scores) / len(scores),
    )
