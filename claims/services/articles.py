"""Articles: recording and changing them (re-anchoring their claims in the same transaction),
deleting one recorded by mistake, and publishing an article's own changes."""

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from common.writes import service

from .. import anchors, public
from ..models import AnchorEvent, AnchorOutcome, Article, ArticleVersion, Claim
from ..permissions import PUBLISH_PERMISSION
from ..public.freeze import outlet_fields
from .rows import require, save_claim_row


class BrokenAnchors(list):
    """The claims an article's change broke (a list, as before), with ``moved``: the claims that
    moved with their passage."""

    moved: list[Claim]

    def __init__(self, broken=(), moved=()):
        super().__init__(broken)
        self.moved = list(moved)


@service
@transaction.atomic
def save_article(*, article: Article, author: AbstractBaseUser) -> BrokenAnchors:
    """Record or change an article, re-anchor its claims in the same transaction, and return the
    claims whose anchors the change broke.

    For each claim (see ``anchors.reanchor``): the quote that still stands at its offsets stays;
    one that stands once, with its context, elsewhere moves there, recorded as an "anchor moved"
    event; otherwise the claim keeps its offsets and is reported (and listed) as broken, with an
    "anchor broken" event the first time. A move changes no word of the claim, so a published
    claim is not reopened for review (the public reads its frozen version). An article the public
    reads keeps its approved version (``live_version``) until an editor publishes the change.
    """
    adding = article.pk is None
    require(author, "claims.add_article" if adding else "claims.change_article", "edit articles")
    article.full_clean(exclude=["live_version"])
    old_text = None
    if not adding:
        old_text = (
            Article.objects.select_for_update(of=("self",))
            .values_list("text", flat=True)
            .get(pk=article.pk)
        )
    article._history_user = author
    article.save()
    if adding or old_text == article.text:
        return BrokenAnchors(
            Claim.objects.filter(article=article).with_anchor_status().filter(anchor_intact=False)
        )
    return _reanchor_claims(article, old_text, author)


def _reanchor_claims(article: Article, old_text: str, author) -> BrokenAnchors:
    text = article.text
    claims = list(
        Claim.objects.select_for_update(of=("self",)).filter(article=article).order_by("pk")
    )
    moves, broken = [], []
    for claim in claims:
        result = anchors.reanchor(
            text,
            claim.quote,
            claim.quote_start,
            claim.quote_end,
            claim.quote_prefix,
            claim.quote_suffix,
        )
        if result.outcome == "stays":
            prefix, suffix = anchors.selector_context(text, result.start, result.end)
            if (prefix, suffix) != (claim.quote_prefix, claim.quote_suffix):
                # The context is derived data (not part of the claim's history): kept current so
                # that the next edit finds the passage by the text around it now.
                Claim.objects.filter(pk=claim.pk).update(quote_prefix=prefix, quote_suffix=suffix)
        elif result.outcome == "moved":
            moves.append((claim, result))
        else:
            broken.append(claim)
            was_intact = old_text[claim.quote_start : claim.quote_end] == claim.quote
            if was_intact:
                AnchorEvent.objects.create(
                    claim=claim,
                    outcome=AnchorOutcome.BROKEN,
                    quote=claim.quote,
                    from_start=claim.quote_start,
                    from_end=claim.quote_end,
                    to_start=claim.quote_start,
                    to_end=claim.quote_end,
                    author=author,
                )
    # Claims moving forward are written furthest first, those moving back nearest first, so no
    # two claims stand on one span between two writes (the unique anchor is checked at each).
    forward = sorted(
        (m for m in moves if m[1].start >= m[0].quote_start), key=lambda m: -m[1].start
    )
    backward = sorted((m for m in moves if m[1].start < m[0].quote_start), key=lambda m: m[1].start)
    for claim, result in forward + backward:
        event = AnchorEvent(
            claim=claim,
            outcome=AnchorOutcome.MOVED,
            quote=claim.quote,
            from_start=claim.quote_start,
            from_end=claim.quote_end,
            to_start=result.start,
            to_end=result.end,
            author=author,
        )
        claim.quote_start, claim.quote_end = result.start, result.end
        claim.quote_prefix, claim.quote_suffix = anchors.selector_context(
            text, result.start, result.end
        )
        claim.article = article
        claim.version += 1
        claim._change_reason = "The article text changed: the passage moved with it."
        save_claim_row(claim, author, anchor_moved=True)
        event.save()
    return BrokenAnchors(broken, [claim for claim, _ in moves])


@service
@transaction.atomic
def delete_article(*, article: Article, author: AbstractBaseUser) -> None:
    """Delete an article recorded by mistake: only while it has no claims and nothing public."""
    require(author, "claims.delete_article", "delete articles")
    if article.live_version_id or Claim.objects.filter(article=article).exists():
        raise PermissionDenied("This article has claims or a public version: it is kept.")
    article._history_user = author
    article.delete()


def article_version_now(article: Article, author, *, approved_at=None) -> ArticleVersion:
    """The article's public version as it stands now: the live one when nothing public changed,
    else a new one (frozen now; dated ``approved_at`` when the review happened elsewhere, as a
    seed file's did)."""
    live = article.live_version
    if live is not None and not live.differs_from(article):
        return live
    version = ArticleVersion.objects.create(
        article=article,
        number=(live.number + 1) if live else 1,
        **{f: getattr(article, f) for f in ArticleVersion.PUBLIC_FIELDS},
        frozen_outlet=outlet_fields(article.outlet),
        approved_by=author,
        approved_at=approved_at or timezone.now(),
    )
    Article.objects.filter(pk=article.pk).update(live_version=version)
    article.live_version = version
    return version


@service
@transaction.atomic
def publish_article(*, article: Article, author: AbstractBaseUser) -> ArticleVersion:
    """An editor publishes an article's changed headline, byline or text, which the public reads
    beside its published claims. Approving a claim of the article publishes it too."""
    require(author, PUBLISH_PERMISSION, "publish articles (editors only)")
    article = (
        Article.objects.select_for_update(of=("self",))
        .select_related("live_version")
        .get(pk=article.pk)
    )
    if article.live_version_id is None:
        raise ValidationError(
            "Nothing of this article is public yet: it is published with its first approved claim."
        )
    if not article.live_version.differs_from(article):
        raise ValidationError("The public already reads this article as it stands.")
    version = article_version_now(article, author)
    public.refresh(articles=[article])  # its claims read in the new version
    return version
