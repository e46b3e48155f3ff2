"""Every write to articles, claims and evidence that has rules.

The admin (its forms and bulk actions), management commands (``load_seed``) and the API call
these functions, so no path skips a check or the history. Each is keyword-only and atomic, runs
``full_clean()`` so that a broken rule is a ValidationError with a sentence rather than an
IntegrityError, and names its author: every change has someone behind it.

Claims carry a version. A write that names the version it was based on (``expected_version``)
is refused with a ConflictError when someone else saved in between, so no edit is overwritten.
The claim's row is locked for the length of the write (``select_for_update``; on SQLite the
IMMEDIATE transaction holds the write lock), so two writers are served one after the other.
"""

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from sources.models import Source
from sources.provenance import origins_of

from . import anchors
from .corroboration import assess_claim
from .models import (
    Article,
    Claim,
    ClaimAbout,
    ConfirmationState,
    CorrectionNote,
    Evidence,
    ReviewAction,
    ReviewEvent,
    ReviewState,
    Stance,
    StateChange,
)

CHANGE_PERMISSION = "claims.change_claim"
PUBLISH_PERMISSION = "claims.publish_claim"


class ConflictError(Exception):
    """The claim changed since the version the writer started from. Nothing was saved."""

    api_status = 409  # what the API answers (common.api.errors)

    def __init__(self, claim: Claim, expected_version: int):
        self.claim_id = claim.pk
        self.current_version = claim.version
        self.expected_version = expected_version
        latest = (
            claim.history.order_by("-history_date", "-history_id")
            .select_related("history_user")
            .first()
        )
        self.changed_by = str(latest.history_user) if latest and latest.history_user else "someone"
        self.changed_at = latest.history_date if latest else claim.updated_at
        when = date_format(timezone.localtime(self.changed_at), "j M Y, H:i:s T")
        super().__init__(
            f"Claim #{claim.pk} was changed by {self.changed_by} at {when} while you were working on it "
            f"(you started from version {expected_version}; it is now at version {claim.version}). "
            "Nothing of yours was saved and nothing of theirs was overwritten: reload the claim to see "
            "their change, then make yours again."
        )


def _require(author: AbstractBaseUser, permission: str, doing: str) -> None:
    if author is None or not author.is_active or not author.has_perm(permission):
        raise PermissionDenied(f"You do not have permission to {doing}.")


def _lock(claim: Claim, expected_version: int | None) -> Claim:
    """The claim's current row, locked until the transaction ends; refuses a stale version."""
    current = Claim.objects.select_for_update().get(pk=claim.pk)
    if expected_version is not None and current.version != expected_version:
        raise ConflictError(current, expected_version)
    return current


def _save(claim: Claim, author: AbstractBaseUser, current: Claim) -> None:
    claim.version = current.version + 1
    claim._history_user = author
    claim.full_clean()
    claim.save()


# ---------------------------------------------------------------------------------------------
# Articles


@transaction.atomic
def save_article(*, article: Article, author: AbstractBaseUser | None = None) -> list[Claim]:
    """Validate and save an article; return its claims whose anchors the save broke.

    A claim is never moved to a new position silently: if the text no longer says the quoted
    passage at its offsets, the claim keeps its offsets and is reported (and listed) as broken,
    for a fact-checker to re-anchor.
    """
    article.full_clean()
    article._history_user = author
    article.save()
    return list(
        Claim.objects.filter(article=article).with_anchor_status().filter(anchor_intact=False)
    )


# ---------------------------------------------------------------------------------------------
# Claims: content, anchor and verdict


def anchor_claim(*, claim: Claim, quote: str, occurrence: int | None = None) -> None:
    """Set the claim's passage and offsets from a pasted quote (no save).

    Raises ValidationError when the passage is not in the text or stands there several times
    and no occurrence was chosen.
    """
    anchor = anchors.locate(claim.article.text, quote, occurrence=occurrence)
    claim.quote, claim.quote_start, claim.quote_end = quote, anchor.start, anchor.end


@transaction.atomic
def record_claim(*, claim: Claim, author: AbstractBaseUser, reason: str = "") -> Claim:
    """Save a new claim (anchored already: see anchor_claim).

    A claim is born unverified; any other starting state is recorded as its first state change,
    for ``reason`` (or, when none is given, its rationale).
    """
    _require(author, "claims.add_claim", "record claims")
    target, rationale = claim.state_choice, claim.rationale.strip()
    claim.state, claim.version = ConfirmationState.UNVERIFIED, 1
    claim.review_state, claim.published_at, claim.first_published_at = ReviewState.DRAFT, None, None
    claim._history_user = author
    claim.full_clean()
    claim.save()
    if target != ConfirmationState.UNVERIFIED:
        claim.state = target
        save_claim(claim=claim, author=author, expected_version=1, reason=reason or rationale)
    claim.refresh_from_db()
    return claim


def create_claim(
    *,
    article: Article,
    wording: str,
    quote: str,
    author: AbstractBaseUser,
    occurrence: int | None = None,
    claimant: str = "",
    state: ConfirmationState = ConfirmationState.UNVERIFIED,
    rationale: str = "",
    assignee: AbstractBaseUser | None = None,
    about: ClaimAbout | None = None,
) -> Claim:
    """Create a claim anchored to the passage ``quote`` of the article's text."""
    claim = Claim(
        article=article,
        wording=wording,
        claimant=claimant,
        state=state,
        rationale=rationale,
        assignee=assignee,
        about=about or ClaimAbout.EVENT,
    )
    anchor_claim(claim=claim, quote=quote, occurrence=occurrence)
    return record_claim(claim=claim, author=author)


def verdict_change_problem(
    *, current: Claim, state: str, rationale: str, reason: str
) -> dict[str, str] | None:
    """What is missing for this change of a claim, as {field: sentence}, or None.

    Shared by save_claim and the admin form, so the form says it before anything is saved.
    """
    state_changed = state != current.state
    rationale_changed = rationale.strip() != current.rationale.strip()
    if ConfirmationState(state).is_verdict and not rationale.strip():
        return {
            "rationale": f"A verdict needs a rationale: say why the claim is “{ConfirmationState(state).label}”."
        }
    if state_changed and not reason.strip() and not rationale_changed:
        return {
            "change_note": "Say why the state changes: write a note on this change, or rewrite the rationale."
        }
    if current.is_published and (state_changed or rationale_changed) and not reason.strip():
        return {
            "change_note": "This verdict is published: say what changed and why. "
            "It is shown with the claim as a correction, and the claim goes back to review."
        }
    return None


@transaction.atomic
def save_claim(
    *,
    claim: Claim,
    author: AbstractBaseUser,
    expected_version: int | None = None,
    reason: str = "",
) -> Claim:
    """Save every change made to ``claim`` (its wording, anchor, assignee, state, rationale).

    A change of state is recorded in the history with its reason (``reason``, or the new
    rationale when none is given). Changing the state or the rationale of a published verdict
    sends it back to review and leaves a public correction note, which needs ``reason``.
    """
    _require(author, CHANGE_PERMISSION, "change claims")
    if claim.pk is None:
        raise ValueError("save_claim() saves an existing claim; use create_claim() to record one.")
    current = _lock(claim, expected_version)
    problem = verdict_change_problem(
        current=current, state=claim.state, rationale=claim.rationale, reason=reason
    )
    if problem:
        raise ValidationError(problem)
    state_changed = claim.state != current.state
    verdict_changed = state_changed or claim.rationale.strip() != current.rationale.strip()
    reason = reason.strip() or claim.rationale.strip()

    claim.review_state = current.review_state
    claim.published_at, claim.first_published_at = current.published_at, current.first_published_at
    if current.review_state == ReviewState.IN_REVIEW and not claim.state_choice.is_verdict:
        claim.review_state = ReviewState.DRAFT  # nothing left for an editor to approve
    if current.is_published and verdict_changed:
        claim.review_state = ReviewState.IN_REVIEW
        claim.published_at = None

    _save(claim, author, current)

    if state_changed:
        StateChange.objects.create(
            claim=claim,
            from_state=current.state,
            to_state=claim.state,
            rationale=reason,
            author=author,
            claim_version=claim.version,
        )
    if current.is_published and verdict_changed:
        what = (
            f"The verdict changed from {current.state_choice.label} to {claim.state_choice.label}"
            if state_changed
            else f"The rationale of the {claim.state_choice.label.lower()} verdict was revised"
        )
        CorrectionNote.objects.create(claim=claim, text=f"{what}: {reason}", author=author)
        ReviewEvent.objects.create(
            claim=claim,
            action=ReviewAction.REOPEN,
            from_review_state=ReviewState.PUBLISHED,
            to_review_state=ReviewState.IN_REVIEW,
            state=claim.state,
            comment=reason,
            author=author,
        )
    return claim


def change_state(
    *,
    claim: Claim,
    to_state: ConfirmationState | str,
    rationale: str,
    author: AbstractBaseUser,
    expected_version: int | None = None,
) -> Claim:
    """Move a claim to ``to_state`` for the reason ``rationale``, recorded in its history.

    For a verdict the rationale becomes the claim's public rationale. A published claim goes back
    to review with a public correction note.
    """
    try:
        to_state = ConfirmationState(to_state)
    except ValueError:
        raise ValidationError(
            {
                "state": f"“{to_state}” is not a state. Choose one of: {', '.join(ConfirmationState.values)}."
            }
        ) from None
    rationale = (rationale or "").strip()
    if not rationale:
        raise ValidationError(
            {"rationale": "Say why the state changes: every change of state needs a reason."}
        )
    with transaction.atomic():
        current = _lock(claim, expected_version)
        if to_state == current.state:
            raise ValidationError({"state": f"The claim is already “{to_state.label}”."})
        claim = current
        claim.state = to_state
        if to_state.is_verdict:
            claim.rationale = rationale
        return save_claim(
            claim=claim, author=author, expected_version=current.version, reason=rationale
        )


# ---------------------------------------------------------------------------------------------
# Review and publication


def _review(
    claim: Claim,
    *,
    author: AbstractBaseUser,
    action: ReviewAction,
    allowed_from: ReviewState,
    to: ReviewState,
    expected_version: int | None,
    comment: str = "",
    override_reason: str = "",
) -> Claim:
    current = _lock(claim, expected_version)
    if current.review_state != allowed_from:
        raise ValidationError(
            f"Claim #{current.pk} is {current.review_choice.label.lower()}: "
            f"only a claim that is {allowed_from.label.lower()} can be {action.label.lower()}."
        )
    event = ReviewEvent(
        claim=current,
        action=action,
        from_review_state=current.review_state,
        to_review_state=to,
        state=current.state,
        comment=comment.strip(),
        override_reason=override_reason.strip(),
        author=author,
    )
    current.review_state = to
    if to == ReviewState.PUBLISHED:
        now = timezone.now()
        current.published_at = now
        current.first_published_at = current.first_published_at or now
    else:
        current.published_at = None
    _save(current, author, current)
    event.save()
    return current


@transaction.atomic
def submit_for_review(
    *,
    claim: Claim,
    author: AbstractBaseUser,
    comment: str = "",
    expected_version: int | None = None,
) -> Claim:
    """A fact-checker asks an editor to approve the claim's verdict."""
    _require(author, CHANGE_PERMISSION, "send claims to review")
    if not claim.state_choice.is_verdict:
        raise ValidationError(
            f"Claim #{claim.pk} is “{claim.state_choice.label}”: give it a verdict before sending it to review."
        )
    return _review(
        claim,
        author=author,
        action=ReviewAction.SUBMIT,
        allowed_from=ReviewState.DRAFT,
        to=ReviewState.IN_REVIEW,
        expected_version=expected_version,
        comment=comment,
    )


@transaction.atomic
def approve(
    *,
    claim: Claim,
    author: AbstractBaseUser,
    comment: str = "",
    override_reason: str = "",
    expected_version: int | None = None,
) -> Claim:
    """An editor publishes the claim's verdict.

    A verdict stronger than its evidence suggests (see claims.corroboration) is published only
    with ``override_reason``, which is recorded.
    """
    _require(author, PUBLISH_PERMISSION, "approve verdicts (editors only)")
    assessment = assess_claim(claim)
    if assessment.stronger_than_evidence and not override_reason.strip():
        raise ValidationError(
            f"Claim #{claim.pk} is “{claim.state_choice.label}” but its evidence suggests "
            f"“{assessment.suggestion.label}” ({assessment.reason}) Give a reason to publish it as it is.",
            code="override_reason_required",
        )
    return _review(
        claim,
        author=author,
        action=ReviewAction.APPROVE,
        allowed_from=ReviewState.IN_REVIEW,
        to=ReviewState.PUBLISHED,
        expected_version=expected_version,
        comment=comment,
        override_reason=override_reason if assessment.stronger_than_evidence else "",
    )


@transaction.atomic
def send_back(
    *, claim: Claim, author: AbstractBaseUser, comment: str, expected_version: int | None = None
) -> Claim:
    """An editor returns the claim to its fact-checker with a comment."""
    _require(author, PUBLISH_PERMISSION, "send claims back (editors only)")
    if not (comment or "").strip():
        raise ValidationError(
            {"comment": "Say what needs doing: sending a claim back needs a comment."}
        )
    return _review(
        claim,
        author=author,
        action=ReviewAction.SEND_BACK,
        allowed_from=ReviewState.IN_REVIEW,
        to=ReviewState.DRAFT,
        expected_version=expected_version,
        comment=comment,
    )


@transaction.atomic
def withdraw(
    *, claim: Claim, author: AbstractBaseUser, reason: str, expected_version: int | None = None
) -> Claim:
    """An editor takes a published verdict down, leaving a public correction note with the reason.

    A claim that has been published is never deleted: this is how it leaves publication.
    """
    _require(author, PUBLISH_PERMISSION, "withdraw published verdicts (editors only)")
    if not (reason or "").strip():
        raise ValidationError(
            {
                "comment": "Say why the verdict is withdrawn: it is recorded and shown as a correction."
            }
        )
    claim = _review(
        claim,
        author=author,
        action=ReviewAction.WITHDRAW,
        allowed_from=ReviewState.PUBLISHED,
        to=ReviewState.DRAFT,
        expected_version=expected_version,
        comment=reason,
    )
    CorrectionNote.objects.create(
        claim=claim, text=f"The verdict was withdrawn: {reason.strip()}", author=author
    )
    return claim


def can_delete(claim: Claim) -> bool:
    """A claim can be deleted only while it has no history: never published, no state changes."""
    return claim.first_published_at is None and not claim.state_changes.exists()


# ---------------------------------------------------------------------------------------------
# Evidence


def evidence_origins_problem(source: Source, origins) -> str | None:
    """Why these origins cannot be named for evidence from ``source`` (each must be one of its
    origins), or None."""
    if not origins:
        return None
    allowed = {o.id: o for o in origins_of([source.pk]).get(source.pk, [])}
    wrong = [o for o in origins if o.pk not in allowed]
    if not wrong:
        return None
    names = ", ".join(f"“{o.title}”" for o in wrong)
    known = ", ".join(f"“{o.title}”" for o in allowed.values()) or "none"
    verb = "is not an origin" if len(wrong) == 1 else "are not origins"
    return f"{names} {verb} of “{source.title}”: its origins are {known}."


def _name_origins(evidence: Evidence, origins) -> None:
    problem = evidence_origins_problem(evidence.source, origins)
    if problem:
        raise ValidationError({"origins": problem}, code="not_an_origin")
    evidence.origins.set(origins)


@transaction.atomic
def link_evidence(
    *,
    claim: Claim,
    source: Source,
    stance: Stance,
    author: AbstractBaseUser | None = None,
    excerpt: str = "",
    note: str = "",
    origins: list[Source] | None = None,
) -> Evidence:
    """Link a source to a claim with its stance; one link per claim and source. ``origins``
    names the source's origins that carry the stance (none named: all of them)."""
    evidence = Evidence(claim=claim, source=source, stance=stance, excerpt=excerpt, note=note)
    evidence.full_clean()
    evidence._history_user = author
    evidence.save()
    if origins:
        _name_origins(evidence, origins)
    return evidence


@transaction.atomic
def save_evidence(
    *,
    evidence: Evidence,
    author: AbstractBaseUser | None = None,
    origins: list[Source] | None = None,
) -> Evidence:
    """Validate and save a change to a piece of evidence (its stance, excerpt or note, and,
    when ``origins`` is given, the origins that carry its stance: an empty list means all)."""
    evidence.full_clean()
    evidence._history_user = author
    evidence.save()
    if origins is not None:
        _name_origins(evidence, origins)
    return evidence
