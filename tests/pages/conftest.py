"""Data for the page tests: articles with many claims, published or not, with evidence."""

import pytest

from claims.models import Article, Claim, ConfirmationState, ReviewState, Stance
from sources.models import SourceKind
from sources.services import add_provenance
from tests.factories import (
    ArticleFactory,
    ClaimFactory,
    EvidenceFactory,
    SourceFactory,
    desk_author,
    make_public,
    refresh_published,
)

SEED_SLUG = "washington-failed-to-brief-anti-isis-partners-iraq-exit-plan"


def sentence(k: int) -> str:
    return f"Sentence {k} says that figure {k * 7} is right."


def sentences(count: int) -> str:
    return " ".join(sentence(k) for k in range(count))


def publish(
    claim: Claim, state: ConfirmationState = ConfirmationState.CONFIRMED, *, refresh: bool = True
) -> Claim:
    """Straight to a published verdict, without the workflow (data for reading tests)."""
    return make_public(claim, state, refresh=refresh)


def add_claims(
    article: Article,
    count: int,
    *,
    published: bool = True,
    review_state: ReviewState = ReviewState.DRAFT,
    evidence: int = 2,
    start: int = 0,
) -> list[Claim]:
    """``count`` claims anchored to the article's sentences from ``start``, each with
    ``evidence`` supporting sources that rest on a shared origin (provenance two levels deep)."""
    made = []
    for k in range(start, start + count):
        claim = ClaimFactory(article=article, quote=sentence(k))
        if published:
            publish(claim, refresh=False)  # all at once, below
        elif review_state != ReviewState.DRAFT:
            Claim.objects.filter(pk=claim.pk).update(
                state=ConfirmationState.CONFIRMED, rationale="Why.", review_state=review_state
            )
        origin = SourceFactory(kind=SourceKind.DOCUMENT)
        for _ in range(evidence):
            relay = SourceFactory()
            add_provenance(author=desk_author(), source=relay, rests_on=origin)
            EvidenceFactory(claim=claim, source=relay, stance=Stance.SUPPORTS)
        made.append(claim)
    if published:
        refresh_published(made)
    return made


@pytest.fixture
def article_with_claims(db):
    """``article_with_claims(n, **options)``: a new article with n claims (see add_claims)."""

    def make(count: int, *, sentences_count: int | None = None, article=None, **options):
        article = ArticleFactory(
            text=sentences(sentences_count or max(count, 3)), **(article or {})
        )
        add_claims(article, count, **options)
        return article

    return make


@pytest.fixture
def seeded(db, load_seed_copy):
    load_seed_copy()
    return Article.objects.get(slug=SEED_SLUG)
