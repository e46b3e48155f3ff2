"""schema.org ClaimReview for published verdicts (what Google's fact-check markup reads).

``reviewRating`` carries the state's label as ``alternateName`` and, on the truth scale, a
``ratingValue`` between ``worstRating`` 1 and ``bestRating`` 5: refuted 1, disputed 3, partly
confirmed 4, confirmed 5. An unverifiable claim has its label and no number. Unverified and
in-progress claims, and any claim not published, have no ClaimReview.
"""

from django.conf import settings
from django.urls import reverse

from .models import Claim, ClaimAbout, ConfirmationState

RATING_VALUES = {
    ConfirmationState.REFUTED: 1,
    ConfirmationState.DISPUTED: 3,
    ConfirmationState.PARTLY_CONFIRMED: 4,
    ConfirmationState.CONFIRMED: 5,
}
BEST_RATING, WORST_RATING = 5, 1


def has_claim_review(claim: Claim) -> bool:
    """A claim has a ClaimReview while a published verdict of it is in force (not withdrawn)."""
    return claim.verdict_in_force and claim.live_version.state_choice.is_verdict


def review_rating(state: ConfirmationState) -> dict:
    # name and alternateName both carry the label: Google reads alternateName, schema.org's
    # validators and other readers look for name.
    rating = {"@type": "Rating", "name": state.label, "alternateName": state.label}
    if state in RATING_VALUES:
        rating.update(
            ratingValue=RATING_VALUES[state], bestRating=BEST_RATING, worstRating=WORST_RATING
        )
    return rating


def publisher() -> dict:
    organisation = {"@type": "Organization", "name": settings.PUBLISHER_NAME}
    if settings.PUBLISHER_URL:
        organisation["url"] = settings.PUBLISHER_URL
    return organisation


def claim_author(claim: Claim) -> dict:
    """Who made the claim reviewed: the person the article quotes for a claim they made (the four
    unnamed people's account of what officials discussed); else the article's outlet or byline.

    A claim about what someone said is the article's statement that they said it ("Gen. Milley
    told reporters it was an unsigned draft"): its author is the article, not the quoted person.
    Naming him would read as a verdict on his account, which other sources may contradict."""
    article = claim.article
    if claim.claimant and claim.about != ClaimAbout.SAID:
        return {"@type": "Person", "name": claim.claimant}
    if article.outlet_id:
        return {"@type": "Organization", "name": article.outlet.name}
    return {"@type": "Person", "name": article.byline or article.headline}


def claim_review(claim: Claim, *, base_url: str) -> dict:
    """The ClaimReview of a published verdict. ``claim`` is the public projection of the claim
    (claims.visibility.public_claim), with its article's approved version.

    ``base_url`` is the site's scheme and host ("https://checks.example.org"), for absolute URLs.
    """
    if not has_claim_review(claim):
        raise ValueError(f"Claim #{claim.pk} has no published verdict.")
    article = claim.article
    appearance = {"@type": "NewsArticle", "headline": article.headline}
    if article.url:
        appearance["url"] = article.url
    if article.published_on:
        appearance["datePublished"] = article.published_on.isoformat()
    if article.outlet_id:
        appearance["publisher"] = {"@type": "Organization", "name": article.outlet.name}
    item = {"@type": "Claim", "author": claim_author(claim), "appearance": appearance}
    if article.published_on:
        item["datePublished"] = article.published_on.isoformat()
    url = base_url.rstrip("/") + reverse("claims:claim", args=[claim.pk])
    review = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        # A stable identifier per review, so that a feed's entries and a page's markup are known
        # to be the same review.
        "@id": url + "#claimreview",
        "url": url,
        "claimReviewed": claim.wording,
        "itemReviewed": item,
        "author": publisher(),
        "reviewRating": review_rating(claim.state_choice),
        "datePublished": claim.first_published_at.date().isoformat(),
        "reviewBody": claim.rationale,
    }
    live = claim.live_version
    if live is not None and live.number > 1:  # a corrected verdict says when it changed
        review["dateModified"] = live.approved_at.date().isoformat()
    return review


def check_publisher_url(app_configs=None, **kwargs):
    """A ``check`` warning: without PUBLISHER_URL every ClaimReview's author has no url, which
    Google's fact-check markup recommends (registered in claims.apps)."""
    from django.core.checks import Warning

    if settings.PUBLISHER_URL:
        return []
    return [
        Warning(
            "PUBLISHER_URL is not set: ClaimReviews name their author without a url.",
            hint="Set PUBLISHER_URL to the desk's home page, e.g. https://checks.example.org/.",
            id="claims.W001",
        )
    ]
