"""The claim form's preview of a passage in its article (before the claim is saved)."""

from .. import anchors
from ..models import Article, Claim


def passage_preview(
    article_id: int, quote: str, *, start: int | None = None, occurrence: int | None = None
) -> anchors.Preview:
    """Where ``quote`` would be anchored in the article's text, as the claim form would anchor
    it (claims.anchors.preview: the same tolerant matching). One query. Raises
    Article.DoesNotExist."""
    text = Article.objects.values_list("text", flat=True).get(pk=article_id)
    return anchors.preview(text, quote, start=start, occurrence=occurrence)


def article_claims_with_anchors(article_id: int):
    """An article's claims for its admin page (the marked text and the table of claims), each
    with its anchor checked by the database and its assignee: one query."""
    claims = Claim.objects.filter(article_id=article_id)
    return claims.with_anchor_status().select_related("assignee")
