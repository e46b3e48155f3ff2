"""Loading verified work (the seed): a claim recorded as a file states it, with exactly one
history event, "loaded from" the file."""

import datetime as dt

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from common.writes import service

from .. import independence, public
from ..models import (
    Article,
    Claim,
    ClaimAbout,
    ConfirmationState,
    ReviewAction,
    ReviewEvent,
    ReviewState,
    VersionKind,
)
from .claims import anchor_claim, parse_state
from .evidence_changes import EvidenceChange, apply_evidence_changes
from .review import publish_working_copy
from .rows import require, save_claim_row, validate_claim


@service
@transaction.atomic
def import_claim(
    *,
    article: Article,
    wording: str,
    quote: str,
    author: AbstractBaseUser,
    origin: str,
    occurrence: int | None = None,
    claimant: str = "",
    state: str = ConfirmationState.UNVERIFIED,
    rationale: str = "",
    review_state: str = ReviewState.DRAFT,
    about: str = "",
    evidence: list[dict] = (),
    reviewed_on: dt.date | None = None,
    refresh_public: bool = True,
) -> Claim:
    """Record a claim as a file states it (its state, rationale, evidence and review state), with
    exactly one history event: "loaded from ``origin``", by ``author``. No state change, review
    step or approval is recorded that did not happen; a claim the file marks published gets its
    public version with that event, marked as loaded, not as approved by anyone, and dated
    ``reviewed_on``: the day of the desk's review that the file records (not the day it was
    loaded), which a published claim needs. A caller loading many claims of one article passes
    ``refresh_public=False`` and refreshes the article's public rows once, in its transaction:
    each refresh rewrites every public claim of the article."""
    require(author, "claims.add_claim", "record claims")
    state, review_state = parse_state(state), ReviewState(review_state)
    if review_state != ReviewState.DRAFT and not state.is_verdict:
        raise ValidationError(f"Only a verdict can be {review_state.label.lower()}.")
    if review_state == ReviewState.PUBLISHED and reviewed_on is None:
        raise ValidationError(
            "A published verdict needs the date of the desk's review that the file records."
        )
    if reviewed_on is not None and reviewed_on > timezone.localdate():
        raise ValidationError(f"The desk's review cannot be dated in the future ({reviewed_on}).")
    claim = Claim(
        article=article,
        wording=wording,
        claimant=claimant,
        state=state,
        rationale=rationale.strip(),
        review_state=review_state,
        about=about or ClaimAbout.EVENT,
        verdict_changed_by=author,
    )
    anchor_claim(claim=claim, quote=quote, occurrence=occurrence)
    validate_claim(claim, anchor_moved=True)
    reviewed_at = (
        timezone.make_aware(dt.datetime.combine(reviewed_on, dt.time.min))
        if reviewed_on is not None
        else None
    )
    if review_state == ReviewState.PUBLISHED:
        claim.published_at = claim.first_published_at = reviewed_at
    claim.review_state = (
        ReviewState.DRAFT if review_state == ReviewState.PUBLISHED else review_state
    )
    save_claim_row(claim, author, insert=True)
    apply_evidence_changes(claim, [EvidenceChange("add", values=v) for v in evidence], author)
    if review_state == ReviewState.PUBLISHED:
        publish_working_copy(claim, author, kind=VersionKind.IMPORT, approved_at=reviewed_at)
        claim.review_state = ReviewState.PUBLISHED
        claim._history_user = author
        claim.save()
    ReviewEvent.objects.create(
        claim=claim,
        action=ReviewAction.IMPORT,
        from_review_state=ReviewState.DRAFT,
        to_review_state=review_state,
        state=state,
        comment=f"Loaded from the seed file {origin}.",
        author=author,
    )
    independence.refresh([claim])
    if review_state == ReviewState.PUBLISHED and refresh_public:
        public.refresh(claims=[claim])
    return claim
