"""Small pieces of HTML the admin lists and pages share."""

from django.utils.html import format_html

from claims.models import Claim, ReviewState
from claims.templatetags.states import state_badge

__all__ = ["anchor_status", "review_badge", "shorten", "state_badge"]


def anchor_status(claim: Claim):
    if claim.anchor_is_intact:
        return format_html('<span class="anchor--intact">{}</span>', "✓ intact")
    return format_html(
        '<span class="anchor--broken" title="{}">{}</span>',
        "The article text no longer says the quoted passage at its offsets: re-paste the quote.",
        "⚠ broken",
    )


def review_badge(review_state: str):
    choice = ReviewState(review_state)
    return format_html('<span class="review review--{}">{}</span>', choice.value, choice.label)


def shorten(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else f"{text[: limit - 1]}…"
