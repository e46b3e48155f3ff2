"""An article's text split into sentences, each with its exact offsets in the text.

Offsets are Python string indices (Unicode code points), as claims.anchors counts a claim's
quote_start and quote_end and as js/article_selection.js counts a selection: a sentence's
``text`` is always ``article_text[start:end]``.

The text is cut at line breaks first (a headline, a list item or a paragraph without a full
stop is not joined to the next one), then each line by pysbd, the rule-based segmenter of the
Golden Rules (abbreviations, initials, decimals and quotations are not sentence ends). pysbd's
own character spans are not used: they are found by searching each sentence's text, which lands
on the first of two equal sentences; here each sentence is looked for after the previous one.
"""

import re
from dataclasses import dataclass
from functools import lru_cache

import pysbd

LINE = re.compile(r"[^\n]+")


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str


@lru_cache(maxsize=1)
def _segmenter() -> pysbd.Segmenter:
    return pysbd.Segmenter(language="en", clean=False)


@lru_cache(maxsize=4096)
def _pieces(line: str) -> tuple[str, ...]:
    """pysbd's sentences of one line, kept per process: pysbd takes about 5 ms a sentence, and an
    article's page is opened again and again with most of its paragraphs unchanged."""
    return tuple(_segmenter().segment(line))


def split_sentences(text: str) -> list[Sentence]:
    """Every sentence of ``text`` in order, without the white space around it."""
    sentences = []
    for line in LINE.finditer(text):
        at = line.start()
        for piece in _pieces(line.group()):
            piece = piece.strip()
            if not piece:
                continue
            start = text.find(piece, at, line.end())
            if start == -1:  # pysbd changed the piece: keep the rest of the line as one
                start = at
                piece = text[at : line.end()].strip()
                start = text.find(piece, at, line.end()) if piece else -1
                if start == -1:
                    break
            sentences.append(Sentence(start, start + len(piece), piece))
            at = start + len(piece)
            if at >= line.end():
                break
    return sentences
