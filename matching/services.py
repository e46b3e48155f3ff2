"""Imports of other desks' fact-checks: one function per way they come in."""

import hashlib

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from claims.models import Evidence, Stance
from claims.permissions import ClaimPermissions, may_change_claims
from claims.services.evidence import add_evidence
from common.fetch import FetchError, check_url
from common.writes import service
from sources import services as source_services
from sources.models import Outlet, OutletKind, Source, SourceKind

from .claimreview import Review, reviews_in_feed, reviews_in_page
from .models import (
    ClaimLink,
    ExternalFactCheck,
    FactCheckImport,
    FactCheckLink,
    ImportedFrom,
    ImportStatus,
)


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


# ---------------------------------------------------------------------------------------------
# "Same claim as": a desk claim linked to another desk claim (kept once for both) or to another
# desk's fact-check, and a linked verdict cited as evidence with where it came from.

NO_VERDICT_STATES = ("unverified", "in_progress")


def _require_edit(author, claim) -> None:
    decision = ClaimPermissions(author, claim).can_edit()
    if not decision:
        raise PermissionDenied(decision.reason)


def _ordered(claim, other):
    if claim.pk == other.pk:
        raise ValidationError("A claim cannot be linked to itself.")
    return (claim, other) if claim.pk < other.pk else (other, claim)


def claim_link_between(claim, other) -> ClaimLink | None:
    if claim.pk == other.pk:
        return None
    low, high = sorted((claim.pk, other.pk))
    return ClaimLink.objects.filter(claim_a_id=low, claim_b_id=high).first()


@service
@transaction.atomic
def link_same_claim(*, claim, other, author) -> ClaimLink:
    """Record that two desk claims say the same thing (shown on both). Linking them again
    returns the link they have."""
    _require_edit(author, claim)
    low, high = _ordered(claim, other)
    link, _ = ClaimLink.objects.get_or_create(
        claim_a=low, claim_b=high, defaults={"created_by": author}
    )
    return link


@service
@transaction.atomic
def unlink_same_claim(*, link: ClaimLink, author) -> None:
    """Take back a "same claim as" link between two desk claims (from either one)."""
    _require_edit(author, link.claim_a)
    link.delete()


@service
@transaction.atomic
def link_fact_check(*, claim, fact_check: ExternalFactCheck, author) -> FactCheckLink:
    """Record that a desk claim says the same as another desk's fact-check."""
    _require_edit(author, claim)
    link, _ = FactCheckLink.objects.get_or_create(
        claim=claim, fact_check=fact_check, defaults={"created_by": author}
    )
    return link


@service
@transaction.atomic
def unlink_fact_check(*, link: FactCheckLink, author) -> None:
    """Take back a "same claim as" link to another desk's fact-check."""
    _require_edit(author, link.claim)
    link.delete()


def _source_for_fact_check(check: ExternalFactCheck, author) -> Source:
    # The fact-check page itself, as the source: found again by its address (or, with none, by
    # its title and publisher) so that citing it from several claims does not double it.
    title = check.checked_by[0].upper() + check.checked_by[1:]
    found = Source.objects.filter(kind=SourceKind.FACT_CHECK)
    found = found.filter(url=check.url) if check.url else found.filter(title=title, url="")
    outlet = None
    if check.publisher:
        outlet = Outlet.objects.filter(name__iexact=check.publisher).first()
    if not check.url and outlet is not None:
        found = found.filter(outlet=outlet)
    source = found.first()
    if source is not None:
        return source
    if check.publisher and outlet is None:
        outlet = source_services.save_outlet(
            outlet=Outlet(name=check.publisher[:200], kind=OutletKind.OTHER), author=author
        )
    return source_services.save_source(
        source=Source(
            title=title[:500],
            kind=SourceKind.FACT_CHECK,
            outlet=outlet,
            url=check.url,
            published_on=check.reviewed_on,
            notes=f"The claim it reviewed: “{check.claim_reviewed}”",
        ),
        author=author,
    )


def cite_fact_check(
    *, claim, fact_check: ExternalFactCheck, author, expected_version=None
) -> Evidence:
    """Add another desk's linked fact-check to the claim's evidence, as context (what its
    rating means for this claim is the fact-checker's call), its note saying where it came from."""
    _require_edit(author, claim)
    if not FactCheckLink.objects.filter(claim=claim, fact_check=fact_check).exists():
        raise ValidationError("Link the fact-check as the same claim before citing it.")
    with transaction.atomic():
        source = _source_for_fact_check(fact_check, author)
        how = (
            ImportedFrom(fact_check.imported_from).label.lower() if fact_check.imported_from else ""
        )
        note = (
            f"Another desk's verdict on the same claim, {fact_check.checked_by}; imported "
            f"from {how}" + (f" (SHA-256 {fact_check.sha256})" if fact_check.sha256 else "") + "."
        )
        return add_evidence(
            claim=claim,
            source=source,
            stance=Stance.CONTEXT,
            author=author,
            note=note,
            expected_version=expected_version,
        )


def _source_for_article(article, author) -> Source:
    found = Source.objects.filter(title=article.headline[:500], outlet=article.outlet)
    found = found.filter(url=article.url) if article.url else found.filter(url="")
    source = found.first()
    if source is not None:
        return source
    return source_services.save_source(
        source=Source(
            title=article.headline[:500],
            kind=SourceKind.NEWS_REPORT,
            outlet=article.outlet,
            url=article.url,
            author=article.byline[:300],
            published_on=article.published_on,
        ),
        author=author,
    )


def cite_linked_claim(*, claim, other, author, expected_version=None) -> Evidence:
    """Add a linked desk claim's verdict to the claim's evidence: the article it was checked in
    as the source, as context, the note naming the claim, its state and when it was published."""
    _require_edit(author, claim)
    if claim_link_between(claim, other) is None:
        raise ValidationError("Link the claim as the same claim before citing it.")
    if other.state in NO_VERDICT_STATES:
        raise ValidationError(
            f"Claim #{other.pk} is {other.get_state_display().lower()}: it has no verdict to cite."
        )
    with transaction.atomic():
        source = _source_for_article(other.article, author)
        published = (
            f", published {other.published_at:%-d %B %Y}"
            if other.published_at
            else ", not published"
        )
        note = (
            f"The desk's verdict on the same claim: claim #{other.pk} (“{other.wording}”) "
            f"in this article, {other.get_state_display().lower()}{published}."
        )
        return add_evidence(
            claim=claim,
            source=source,
            stance=Stance.CONTEXT,
            author=author,
            note=note,
            expected_version=expected_version,
        )
