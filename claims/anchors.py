"""Finding a pasted quote in an article's text, and finding it again after the text changes.

A claim is anchored to an exact passage: start and end offsets plus the text that stands there,
and a little of the text before and after it (the W3C Web Annotation TextQuoteSelector's
``prefix`` and ``suffix``). The fact-checker pastes the passage; this module finds where it
stands. Typographic and straight quotation marks, the dashes and runs of white space count as
equal when matching (a passage pasted from an e-mail still matches), a passage matches whole
words only ("the ship" does not stand inside "the shipping"), and the offsets and quote stored
are those of the text as it stands. A passage that is not in the text, or stands there
more than once, is an error that says so, with the occurrences numbered so that the
fact-checker can choose one.

When the article's text changes, :func:`reanchor` decides for each claim: the quote still
stands at its offsets (it stays), or it stands once with its context somewhere else (it moves,
and the move is recorded), or it is broken (it keeps its offsets and the closest passage is
offered to the fact-checker). Nothing moves silently.
"""

import difflib
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError

CONTEXT_CHARS = 40
# Characters of context kept on each side of a quote (TextQuoteSelector prefix and suffix).
SELECTOR_CONTEXT = 32

_EQUIVALENT = str.maketrans(
    {
        **dict.fromkeys("“”„‟«»″〝〞＂", '"'),
        **dict.fromkeys("‘’‚‛‹›′＇`", "'"),
        **dict.fromkeys("‐‑‒–—―−﹘﹣－", "-"),
    }
)
_SPACE = re.compile(r"\s+")


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


def _folded(text: str) -> tuple[str, list[int]]:
    """``text`` with equivalent marks made one and white-space runs made one space, and for each
    character of the result the offset in ``text`` where it came from (plus one past the end)."""
    out, where, at = [], [], 0
    translated = text.translate(_EQUIVALENT)
    for match in _SPACE.finditer(translated):
        for i in range(at, match.start()):
            out.append(translated[i])
            where.append(i)
        out.append(" ")
        where.append(match.start())
        at = match.end()
    for i in range(at, len(translated)):
        out.append(translated[i])
        where.append(i)
    where.append(len(text))
    return "".join(out), where


def _is_word_character(character: str) -> bool:
    return character.isalnum() or character == "_"


def in_whole_words(text: str, start: int, end: int) -> bool:
    """The span neither begins nor ends inside a word of ``text`` ("the ship" in "the shipping"
    ends inside one)."""
    begins_inside = (
        start > 0 and _is_word_character(text[start - 1]) and _is_word_character(text[start])
    )
    ends_inside = (
        end < len(text) and _is_word_character(text[end - 1]) and _is_word_character(text[end])
    )
    return not (begins_inside or ends_inside)


def loose_occurrences(text: str, quote: str, *, whole_words: bool = True) -> list[Anchor]:
    """Where ``quote`` stands in ``text`` with marks, dashes and white space counted as equal:
    the spans of ``text`` as it stands; with ``whole_words``, only where it stands as whole
    words."""

    def kept(spans: list[Anchor]) -> list[Anchor]:
        if not whole_words:
            return spans
        return [a for a in spans if in_whole_words(text, a.start, a.end)]

    exact = kept([Anchor(s, s + len(quote)) for s in occurrences(text, quote)])
    if exact:
        return exact
    needle = _SPACE.sub(" ", quote.translate(_EQUIVALENT)).strip()
    if not needle:
        return []
    folded, where = _folded(text)
    found = []
    for at in occurrences(folded, needle):
        end_index = at + len(needle)
        # The end is just after the last matched character as the text has it.
        found.append(Anchor(where[at], where[end_index - 1] + 1))
    return kept(list(dict.fromkeys(found)))


def context_of(text: str, start: int, end: int) -> str:
    before = text[max(0, start - CONTEXT_CHARS) : start]
    after = text[end : end + CONTEXT_CHARS]
    lead = "…" if start > CONTEXT_CHARS else ""
    tail = "…" if end + CONTEXT_CHARS < len(text) else ""
    return " ".join(f"{lead}{before}[{text[start:end]}]{after}{tail}".split())


def selector_context(text: str, start: int, end: int) -> tuple[str, str]:
    """The TextQuoteSelector prefix and suffix of the span: up to 32 characters each side."""
    return text[max(0, start - SELECTOR_CONTEXT) : start], text[end : end + SELECTOR_CONTEXT]


def locate(text: str, quote: str, *, occurrence: int | None = None) -> Anchor:
    """Find ``quote`` in ``text``; ``occurrence`` (1-based) picks one when it stands several times.

    Quotation marks, dashes and runs of white space match their equivalents; the anchor returned
    is the span of the text as it stands (``text[a.start:a.end]`` is what to store).

    Raises ValidationError with code ``quote_missing``, ``quote_ambiguous`` or
    ``occurrence_out_of_range``, each with a sentence a fact-checker can act on.
    """
    if not quote or not quote.strip():
        raise ValidationError(
            "Paste the passage of the article that makes the claim.", code="quote_empty"
        )
    found = loose_occurrences(text, quote)
    if not found:
        inside = loose_occurrences(text, quote, whole_words=False)
        if inside:
            raise ValidationError(
                "This passage stands in the article text only inside longer words (%(context)s): "
                "paste whole words as the text has them.",
                code="quote_inside_words",
                params={"context": context_of(text, inside[0].start, inside[0].end)},
            )
        raise ValidationError(
            "This passage does not stand in the article text. Copy it exactly as the text has it.",
            code="quote_missing",
        )
    if occurrence is not None:
        if not 1 <= occurrence <= len(found):
            count = len(found)
            raise ValidationError(
                "The passage stands %(count)d %(times)s in the text; choose an occurrence from 1 to %(count)d.",
                code="occurrence_out_of_range",
                params={"count": count, "times": "time" if count == 1 else "times"},
            )
        return found[occurrence - 1]
    if len(found) > 1:
        listing = "; ".join(
            f"{n}: {context_of(text, a.start, a.end)}" for n, a in enumerate(found, start=1)
        )
        raise ValidationError(
            "This passage stands %(count)d times in the article text. Choose which one under "
            "“Occurrence” (%(listing)s), or paste a longer passage.",
            code="quote_ambiguous",
            params={"count": len(found), "listing": listing},
        )
    return found[0]


@dataclass(frozen=True)
class Reanchoring:
    """What became of one claim's anchor in a changed text."""

    outcome: str  # "stays", "moved" or "broken"
    start: int
    end: int


def reanchor(text: str, quote: str, start: int, end: int, prefix: str, suffix: str) -> Reanchoring:
    """Find a claim's quote in a changed ``text``.

    It stays when the text still says the quote at its offsets. Otherwise, among the places the
    quote stands word for word, the one whose prefix and suffix match best wins if it is the only
    one with that score and at least one side of its context is unchanged; the claim moves there.
    Otherwise the anchor is broken: the claim keeps its offsets.
    """
    if text[start:end] == quote:
        return Reanchoring("stays", start, end)
    half = SELECTOR_CONTEXT // 2
    scored = []
    for at in occurrences(text, quote):
        before, after = selector_context(text, at, at + len(quote))
        # Each side scores 2 when its context is unchanged, 1 when only its nearer half is (an
        # edit a few words away), 0 otherwise.
        score = (2 if before.endswith(prefix) else int(before.endswith(prefix[-half:]))) + (
            2 if after.startswith(suffix) else int(after.startswith(suffix[:half]))
        )
        scored.append((score, at))
    if scored:
        best = max(score for score, _ in scored)
        winners = [at for score, at in scored if score == best]
        if best > 0 and len(winners) == 1:
            return Reanchoring("moved", winners[0], winners[0] + len(quote))
    return Reanchoring("broken", start, end)


def closest_passage(text: str, quote: str) -> Anchor | None:
    """The passage of ``text`` most like ``quote``, for a broken anchor: the
    fact-checker is offered it, never given it silently. None when nothing is alike."""
    if not text or not quote:
        return None
    width = len(quote)
    starts = [0] + [m.end() for m in re.finditer(r"\s+", text)]
    best, best_score = None, 0.0
    for s in starts:
        window = text[s : s + width]
        matcher = difflib.SequenceMatcher(None, quote, window, autojunk=False)
        if matcher.real_quick_ratio() <= best_score or matcher.quick_ratio() <= best_score:
            continue
        score = matcher.ratio()
        if score > best_score:
            best, best_score = s, score
    if best is None or best_score < 0.5:
        return None
    # Widen to whole words at the end.
    end = best + width
    while end < len(text) and text[end].isalnum() and text[end - 1].isalnum():
        end += 1
    stripped_end = len(text[best:end].rstrip()) + best
    return Anchor(best, stripped_end)


# -- the claim form's preview: where a passage stands, before the claim is saved ---------------

PREVIEW_CHARS = 200


@dataclass(frozen=True)
class Preview:
    """Where a passage would be anchored, for the claim form to show before saving.

    ``found``: the passage stands there (``before``, ``passage``, ``after`` are the text around
    it, cut at word boundaries). Otherwise ``message`` says, in a sentence, why not (missing,
    empty, ambiguous); ``occurrences`` holds each place an ambiguous passage stands, in context.
    """

    found: bool
    message: str
    start: int | None = None
    end: int | None = None
    before: str = ""
    passage: str = ""
    after: str = ""
    occurrences: tuple[str, ...] = ()


def surroundings(text: str, start: int, end: int, chars: int = PREVIEW_CHARS) -> tuple[str, str]:
    """Up to ``chars`` characters of ``text`` before and after the span, cut at a word boundary
    (never mid-word), with an ellipsis where the text goes on."""
    before = text[max(0, start - chars) : start]
    if start > chars and " " in before:
        before = "…" + before.split(" ", 1)[1]
    after = text[end : end + chars]
    if end + chars < len(text) and " " in after:
        after = after.rsplit(" ", 1)[0] + "…"
    return before, after


def preview(
    text: str, quote: str, *, start: int | None = None, occurrence: int | None = None
) -> Preview:
    """Where ``quote`` would be anchored in ``text``, decided as the claim form decides it: at
    ``start`` when the passage stands exactly there (a selection in the article's text is its own
    occurrence), else by :func:`locate` (marks, dashes and spaces counted as equal; ``occurrence``
    picks one of several). Never raises: what is wrong is said in ``message``."""
    if quote and start is not None and start >= 0 and text[start : start + len(quote)] == quote:
        anchor = Anchor(start, start + len(quote))
    else:
        try:
            anchor = locate(text, quote, occurrence=occurrence)
        except ValidationError as error:
            places = ()
            if error.code == "quote_ambiguous":
                found = loose_occurrences(text, quote)
                message = (
                    f"This passage stands {len(found)} times in the article text. Paste a longer "
                    "passage, or choose which one under “Occurrence” (1 = the first)."
                )
                places = tuple(context_of(text, a.start, a.end) for a in found)
            else:
                message = " ".join(error.messages)
            return Preview(False, message, occurrences=places)
    before, after = surroundings(text, anchor.start, anchor.end)
    return Preview(
        True,
        f"Found at characters {anchor.start}–{anchor.end} of the article text.",
        anchor.start,
        anchor.end,
        before,
        text[anchor.start : anchor.end],
        after,
    )
