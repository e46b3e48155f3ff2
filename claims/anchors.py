"""Finding a pasted quote in an article's text.

A claim is anchored to an exact passage: start and end offsets plus the text that stands there.
The fact-checker pastes the passage; this module finds where it stands. A passage that is not in
the text, or stands there more than once, is an error that says so, with the occurrences
numbered so that the fact-checker can choose one.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError

CONTEXT_CHARS = 40


@dataclass(frozen=True)
class Anchor:
    start: int
    end: int


def occurrences(text: str, quote: str) -> list[int]:
    """Every offset at which ``quote`` starts in ``text``, overlapping ones included."""
    found, at = [], text.find(quote)
    while at != -1:
        found.append(at)
        at = text.find(quote, at + 1)
    return found


def context_of(text: str, start: int, end: int) -> str:
    before = text[max(0, start - CONTEXT_CHARS) : start]
    after = text[end : end + CONTEXT_CHARS]
    lead = "…" if start > CONTEXT_CHARS else ""
    tail = "…" if end + CONTEXT_CHARS < len(text) else ""
    return " ".join(f"{lead}{before}[{text[start:end]}]{after}{tail}".split())


def locate(text: str, quote: str, *, occurrence: int | None = None) -> Anchor:
    """Find ``quote`` in ``text``; ``occurrence`` (1-based) picks one when it stands several times.

    Raises ValidationError with code ``quote_missing``, ``quote_ambiguous`` or
    ``occurrence_out_of_range``, each with a sentence a fact-checker can act on.
    """
    if not quote:
        raise ValidationError(
            "Paste the passage of the article that makes the claim.", code="quote_empty"
        )
    starts = occurrences(text, quote)
    if not starts:
        hint = ""
        if quote.strip() != quote:
            hint = " Check for spaces or line breaks copied at its ends."
        elif any(ch in quote for ch in "\"'") and any(ch in text for ch in "“”‘’"):
            hint = " The article uses curly quotation marks (“ ” ‘ ’): copy the passage from the text itself."
        raise ValidationError(
            "This passage does not stand in the article text. Copy it exactly as the text has it.%(hint)s",
            code="quote_missing",
            params={"hint": hint},
        )
    if occurrence is not None:
        if not 1 <= occurrence <= len(starts):
            raise ValidationError(
                "The passage stands %(count)d time(s) in the text; choose an occurrence from 1 to %(count)d.",
                code="occurrence_out_of_range",
                params={"count": len(starts)},
            )
        start = starts[occurrence - 1]
        return Anchor(start, start + len(quote))
    if len(starts) > 1:
        listing = "; ".join(
            f"{n}: {context_of(text, s, s + len(quote))}" for n, s in enumerate(starts, start=1)
        )
        raise ValidationError(
            "This passage stands %(count)d times in the article text. Choose which one under "
            "“Occurrence” (%(listing)s), or paste a longer passage.",
            code="quote_ambiguous",
            params={"count": len(starts), "listing": listing},
        )
    return Anchor(starts[0], starts[0] + len(quote))
