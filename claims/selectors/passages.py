"""The claim form's preview of a passage in its article (before the claim is saved)."""

from .. import anchors
from ..models import Article


def passage_preview(
    article_id: int, quote: str, *, start: int | None = None, occurrence: int | None = None
) -> anchors.Preview:
    """Where ``quote`` would be anchored in the article's text, as the claim form would anchor
    it (claims.anchors.preview: the same tolerant matching). One query. Raises
    Article.DoesNotExist."""
    text = Article.objects.values_list("text", flat=True).get(pk=article_id)
    return anchors.preview(text, quote, start=start, occurrence=occurrence)
