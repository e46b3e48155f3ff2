"""The article text with its claims marked: ``{% highlighted_article page %}`` and
``{% quote_in_context claim %}``.

Every segment of the text is escaped on its own; only the tags written here (``<p>``, ``<br>``,
``<mark>``, ``<span>``) are marked safe. Paragraphs (blank lines) are kept.

Overlapping passages: each claim gets one ``<mark>`` where its passage starts (focusable, with
its summary). A passage inside another is nested in it; where two passages cross, or a passage
runs over a paragraph break, the mark is closed and reopened as a continuation
(``claim--cont``), so the HTML stays well formed and no character is marked for the wrong
claim. The state's name is written at the end of each passage, never colour alone.
"""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

from claims.models import Claim, ConfirmationState
from claims.pages.objects import ArticlePage, ClaimEntry

register = template.Library()

PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")
CONTEXT_CHARS = 320


@dataclass(frozen=True)
class Highlight:
    key: int
    start: int
    end: int
    state: str
    label: str
    draft: bool = False
    summary: SafeString | None = None  # shown on hover and focus of the mark's first piece

    @property
    def summary_id(self) -> str:
        return f"summary-{self.key}"


def _text(segment: str) -> str:
    return str(conditional_escape(segment)).replace("\n", "<br>\n")


def _open(h: Highlight, first: bool) -> str:
    classes = f"claim claim--{h.state}" + (" claim--draft" if h.draft else "")
    if not first:
        return format_html('<mark class="{} claim--cont" data-claim="{}">', classes, h.key)
    if h.summary is None:
        return format_html('<mark class="{}" data-claim="{}">', classes, h.key)
    return format_html(
        '<mark class="{}" id="mark-{}" data-claim="{}" data-state="{}" tabindex="0" '
        'aria-describedby="{}">',
        classes,
        h.key,
        h.key,
        h.state,
        h.summary_id,
    )


def _close(h: Highlight, first: bool, at: int) -> str:
    label = ""
    if at >= h.end:  # the passage's last piece: name its state
        label = format_html('<span class="claim__label"> {}</span>', h.label)
    summary = h.summary if (first and h.summary is not None) else ""
    return f"{label}</mark>{summary}"


def paragraphs(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    """The paragraphs of ``text[lo:hi]`` as (start, end) offsets; blank lines separate them."""
    found, at = [], lo
    for match in PARAGRAPH_BREAK.finditer(text, lo, hi):
        if match.start() > at:
            found.append((at, match.start()))
        at = match.end()
    if at < hi:
        found.append((at, hi))
    return found


def render(
    text: str,
    highlights: Iterable[Highlight],
    *,
    lo: int = 0,
    hi: int | None = None,
    lead: str = "",
    tail: str = "",
) -> SafeString:
    """``text[lo:hi]`` as paragraphs with every highlight marked (see the module's docstring)."""
    hi = len(text) if hi is None else hi
    highlights = sorted(
        (h for h in highlights if h.start < h.end and h.end <= len(text)),
        key=lambda h: (h.start, -h.end, h.key),
    )
    started: set[int] = set()
    out: list[str] = []
    spans = paragraphs(text, lo, hi)
    for number, (p0, p1) in enumerate(spans):
        here = [h for h in highlights if h.start < p1 and h.end > p0]
        cuts = sorted({p0, p1} | {max(p0, h.start) for h in here} | {min(p1, h.end) for h in here})
        out.append("<p>")
        if number == 0 and lead:
            out.append(_text(lead))
        stack: list[tuple[Highlight, bool]] = []
        for a, b in pairwise(cuts):
            active = [h for h in here if h.start <= a and h.end >= b]
            keep = 0
            while (
                keep < len(stack) and keep < len(active) and stack[keep][0].key == active[keep].key
            ):
                keep += 1
            while len(stack) > keep:
                h, first = stack.pop()
                out.append(_close(h, first, a))
            for h in active[keep:]:
                first = h.key not in started
                started.add(h.key)
                out.append(_open(h, first))
                stack.append((h, first))
            out.append(_text(text[a:b]))
        while stack:
            h, first = stack.pop()
            out.append(_close(h, first, p1))
        if number == len(spans) - 1 and tail:
            out.append(_text(tail))
        out.append("</p>\n")
    return mark_safe("".join(out))  # noqa: S308 -- every text segment escaped above


def origins_phrase(supporting: int, contradicting: int) -> str:
    def n(count: int) -> str:
        return f"{count} independent origin{'s' if count != 1 else ''}"

    return f"{n(supporting)} for, {contradicting} against"


def review_note(claim: Claim) -> str:
    return "" if claim.is_published else claim.review_choice.label.lower()


def _summary(entry: ClaimEntry, *, desk: bool) -> SafeString:
    claim, assessment = entry.claim, entry.assessment
    note = review_note(claim) if desk else ""
    return format_html(
        '<span class="claim-summary" id="summary-{}" role="tooltip">'
        '<span class="claim-summary__head"><span class="state state--{}">{}</span>{}</span>'
        '<span class="claim-summary__line">{}</span>'
        '<span class="claim-summary__origins">{}</span></span>',
        claim.pk,
        claim.state,
        claim.state_choice.label,
        format_html(' <span class="review review--{}">{}</span>', claim.review_state, note)
        if note
        else "",
        entry.summary_line or "No rationale yet.",
        origins_phrase(assessment.supporting_count, assessment.contradicting_count),
    )


def _label(claim: Claim, *, desk: bool) -> str:
    note = review_note(claim) if desk else ""
    return f"{claim.state_choice.label} · {note}" if note else claim.state_choice.label


def article_highlights(entries: Sequence[ClaimEntry], *, desk: bool) -> list[Highlight]:
    """A highlight for every claim whose anchor is intact (a broken one is listed, never
    marked: its offsets no longer point at its passage)."""
    return [
        Highlight(
            key=e.claim.pk,
            start=e.claim.quote_start,
            end=e.claim.quote_end,
            state=e.claim.state,
            label=_label(e.claim, desk=desk),
            draft=desk and not e.claim.is_published,
            summary=_summary(e, desk=desk),
        )
        for e in entries
        if e.anchor_intact
    ]


@register.simple_tag
def highlighted_article(page: ArticlePage) -> SafeString:
    return render(page.article.text, article_highlights(page.entries, desk=page.desk))


def context_window(text: str, start: int, end: int, chars: int = CONTEXT_CHARS):
    """Bounds of the passage's context: its paragraph, cut at a word about ``chars`` away."""
    para_start = max((m.end() for m in PARAGRAPH_BREAK.finditer(text, 0, start)), default=0)
    following = PARAGRAPH_BREAK.search(text, end)
    para_end = following.start() if following else len(text)
    lo, hi = max(para_start, start - chars), min(para_end, end + chars)
    if lo > para_start:
        space = text.find(" ", lo, start)
        lo = space + 1 if space != -1 else lo
    if hi < para_end:
        space = text.rfind(" ", end, hi)
        hi = space if space != -1 else hi
    return lo, hi, lo > para_start, hi < para_end


@register.simple_tag
def quote_in_context(claim: Claim, *, desk: bool = False) -> SafeString:
    """The claim's passage marked in the paragraph around it (the claim's article loaded)."""
    text = claim.article.text
    lo, hi, cut_before, cut_after = context_window(text, claim.quote_start, claim.quote_end)
    mark = Highlight(
        key=claim.pk,
        start=claim.quote_start,
        end=claim.quote_end,
        state=claim.state,
        label=_label(claim, desk=desk),
        draft=desk and not claim.is_published,
    )
    return render(
        text,
        [mark],
        lo=lo,
        hi=hi,
        lead="… " if cut_before else "",
        tail=" …" if cut_after else "",
    )


@register.simple_tag
def state_legend() -> list[ConfirmationState]:
    return list(ConfirmationState)
