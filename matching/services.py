"""Imports of other desks' fact-checks: one function per way they come in."""

import hashlib

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from claims.permissions import may_change_claims
from common.writes import service

from .claimreview import Review, reviews_in_feed, reviews_in_page
from .models import ExternalFactCheck, ImportedFrom


def _require(author) -> None:
    # Whoever may record the desk's claims may bring in other desks' fact-checks.
    if not may_change_claims(author):
        raise PermissionDenied("You do not have permission to import fact-checks.")


@service
@transaction.atomic
def _keep(reviews: list[Review], *, imported_from: str, sha256: str, author):
    if not reviews:
        raise ValidationError("No ClaimReview with a claim reviewed was found in it.")
    kept = []
    for review in reviews:
        fields = {
            **review.__dict__,
            "imported_from": imported_from,
            "sha256": sha256,
            "imported_by": author,
        }
        if review.url:
            check, _ = ExternalFactCheck.objects.update_or_create(
                url=review.url, claim_reviewed=review.claim_reviewed, defaults=fields
            )
        else:
            check = ExternalFactCheck.objects.create(**fields)
        kept.append(check)
    return kept


def import_page(*, content: bytes, url: str = "", author, imported_from=ImportedFrom.FILE):
    """The ClaimReviews of a fact-check page (saved, or fetched from ``url``)."""
    _require(author)
    return _keep(
        reviews_in_page(content, url=url),
        imported_from=imported_from,
        sha256=hashlib.sha256(content).hexdigest(),
        author=author,
    )


def import_feed(*, content: bytes, author):
    """The ClaimReviews of a DataFeed file."""
    _require(author)
    try:
        reviews = reviews_in_feed(content)
    except ValueError as error:
        raise ValidationError(str(error)) from None
    return _keep(
        reviews,
        imported_from=ImportedFrom.FEED,
        sha256=hashlib.sha256(content).hexdigest(),
        author=author,
    )
