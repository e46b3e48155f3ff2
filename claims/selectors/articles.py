"""What approving a claim would publish of its article besides the claim: the article's pending
changes (its working copy against the version the public reads)."""

import hashlib
from dataclasses import dataclass

from django.utils.safestring import SafeString

from ..models import Article, ArticleVersion
from ..worddiff import word_diff_html

ARTICLE_FIELD_LABELS = {
    "headline": "headline",
    "byline": "byline",
    "outlet_id": "outlet",
    "url": "web address",
    "published_on": "publication date",
    "text": "text",
    "slug": "address",
}
# Words of unchanged text kept on each side of a change in a long text.
TEXT_CONTEXT = 12


@dataclass(frozen=True)
class ArticleChange:
    name: str
    before: str
    after: str

    @property
    def label(self) -> str:
        return ARTICLE_FIELD_LABELS[self.name]

    @property
    def diff(self) -> SafeString:
        """The changed words marked, escaped; a long text keeps only the words near a change."""
        return word_diff_html(
            self.before, self.after, context=TEXT_CONTEXT if self.name == "text" else None
        )


def _shown(version_or_article, name: str) -> str:
    if name == "outlet_id" and isinstance(version_or_article, ArticleVersion):
        frozen = version_or_article.frozen_outlet  # the name the public reads
        if frozen:
            return frozen["name"]
    if name == "outlet_id":
        outlet = version_or_article.outlet
        return outlet.name if outlet else "none"
    value = getattr(version_or_article, name)
    return "" if value is None else str(value)


def pending_article_changes(article_id: int) -> list[ArticleChange]:
    """The public fields in which the article's working copy differs from the version the
    public reads (none when nothing of it is public yet: a first approval publishes it as it
    is, and the claim's page shows it). One query."""
    article = Article.objects.select_related("outlet", "live_version__outlet").get(pk=article_id)
    live: ArticleVersion | None = article.live_version
    if live is None:
        return []
    return article_changes(live, article)


def article_changes(live: ArticleVersion, article: Article) -> list[ArticleChange]:
    """The public fields in which the article's working copy differs from a version of it (its
    outlet as that version froze it: a renamed outlet is a change). No query when the outlets
    are selected."""
    return [
        ArticleChange(name, _shown(live, name), _shown(article, name))
        for name in live.differs_from(article)
    ]


def article_changes_token(changes: list[ArticleChange]) -> str:
    """What the editor confirmed, as a short fingerprint of the pending changes ("" for none):
    an approval that confirmed other changes than those now pending is refused."""
    if not changes:
        return ""
    digest = hashlib.sha256()
    for change in changes:
        digest.update(f"{change.name}\0{change.after}\0".encode())
    return digest.hexdigest()[:32]
