"""An article's text with its claims marked, and its table of claims: what the article's admin
page shows first, and what the claim panel (claims.admin.claim_panel) sends back after a save."""

from django.utils.html import conditional_escape, format_html, format_html_join

from claims import selectors

from .display import anchor_status, review_badge, shorten, state_badge


def marked_text(text: str, claims) -> str:
    """The article text with each intact claim's passage in a ``<mark>`` (a passage inside or
    across an earlier one is left to its own page). The marks add no characters, so the text
    content of the block is the article text: js/article_selection.js counts offsets on it."""
    spans = sorted(
        (c.quote_start, c.quote_end, c) for c in claims if getattr(c, "anchor_intact", True)
    )
    pieces, at = [], 0
    for start, end, claim in spans:
        if start < at:
            continue
        pieces.append(conditional_escape(text[at:start]))
        pieces.append(
            format_html(
                '<mark class="claim-mark claim--{}" title="Claim #{}: {}">{}</mark>',
                claim.state,
                claim.pk,
                shorten(claim.wording, 80),
                text[start:end],
            )
        )
        at = end
    pieces.append(conditional_escape(text[at:]))
    return format_html_join("", "{}", ((piece,) for piece in pieces))  # each escaped above


def claim_rows(article_id: int) -> list[dict]:
    """The rows of the article's table of claims (one query, the anchors checked in SQL)."""
    return [
        {
            "claim": c,
            "anchor": anchor_status(c),
            "state": state_badge(c.state),
            "review": review_badge(c.review_state),
        }
        for c in selectors.article_claims_with_anchors(article_id)
    ]
