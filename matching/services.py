"""Imports of other desks' fact-checks: one function per way they come in."""

import hashlib

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from claims.permissions import may_change_claims
from common.fetch import FetchError, check_url
from common.writes import service

from .claimreview import Review, reviews_in_feed, reviews_in_page
from .models import ExternalFactCheck, FactCheckImport, ImportedFrom, ImportStatus


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


@service
@transaction.atomic
def request_import_from_address(*, url: str, author) -> FactCheckImport:
    """A fact-check page's address for the background worker to fetch (the safe fetcher) and
    import. An address the fetcher would never ask for is refused here, with its sentence."""
    _require(author)
    url = (url or "").strip()
    try:
        check_url(url)
    except FetchError as error:
        raise ValidationError({"url": str(error)}) from error
    request = FactCheckImport(url=url, requested_by=author)
    request.save()
    from .tasks import import_fact_check_page  # the task module calls these services

    import_fact_check_page.enqueue(request.pk)
    return request


@service
@transaction.atomic
def finish_import(*, import_id: int, fetched=None, error=None) -> FactCheckImport | None:
    """Keep what the worker got from a requested address: the fact-checks, or why not."""
    request = FactCheckImport.objects.select_for_update().filter(pk=import_id).first()
    if request is None or request.status != ImportStatus.QUEUED:
        return None
    if error is None:
        try:
            checks = import_page(
                content=fetched.body,
                url=fetched.final_url,
                author=request.requested_by,
                imported_from=ImportedFrom.ADDRESS,
            )
        except (ValidationError, PermissionDenied) as refusal:
            error = " ".join(getattr(refusal, "messages", [str(refusal)]))
        else:
            request.fact_checks.set(checks)
            request.status = ImportStatus.DONE
            request.outcome = f"{len(checks)} fact-check{'s' if len(checks) != 1 else ''} imported."
    if error is not None:
        request.status, request.outcome = ImportStatus.FAILED, str(error)
    request.save()
    return request
