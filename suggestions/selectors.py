"""The sentences suggested for an article: every sentence of its text, ranked by how worth
checking it looks, less those a claim already covers and those a fact-checker dismissed."""

from dataclasses import dataclass

from .checkworthiness import Score, score
from .models import DismissedSuggestion, text_hash
from .sentences import Sentence, split_sentences


@dataclass(frozen=True)
class Suggestion:
    rank: int
    sentence: Sentence
    score: Score


def _covered(sentence: Sentence, spans: list[tuple[int, int]]) -> bool:
    return any(start < sentence.end and sentence.start < end for start, end in spans)


def suggestions_for(article, claims) -> list[Suggestion]:
    """Ranked, best first (equal scores in the text's order). ``claims`` are the article's claims
    as already loaded by the page (a claim whose passage overlaps a sentence covers it; a broken
    anchor covers nothing); dismissals cost one query."""
    spans = [(c.quote_start, c.quote_end) for c in claims if getattr(c, "anchor_intact", True)]
    dismissed = set(
        DismissedSuggestion.objects.filter(article=article).values_list("text_hash", flat=True)
    )
    open_sentences = [
        s
        for s in split_sentences(article.text)
        if not _covered(s, spans) and text_hash(s.text) not in dismissed
    ]
    scored = [(s, score(s.text)) for s in open_sentences]
    scored.sort(key=lambda pair: -pair[1].value)
    return [Suggestion(rank, s, sc) for rank, (s, sc) in enumerate(scored, start=1)]
