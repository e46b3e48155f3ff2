"""Claims: recording one anchored to its passage, changing its working copy (fields, state and
evidence in one write), changing its state with a reason, and deleting one recorded by mistake."""

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction

from common.writes import service
from notifications import services as notify

from .. import anchors, independence
from ..models import (
    Article,
    Claim,
    ClaimAbout,
    ConfirmationState,
    Evidence,
    ReviewAction,
    ReviewEvent,
    ReviewState,
    StateChange,
)
from ..permissions import ClaimPermissions
from .evidence_changes import EvidenceChange, apply_evidence_changes
from .rows import lock_claim, require, save_claim_row, validate_claim


def anchor_claim(
    *, claim: Claim, quote: str, occurrence: int | None = None, start: int | None = None
) -> None:
    """Set the claim's passage and offsets from a pasted quote (no save).

    ``start``: the offset of a passage selected in the text itself (no ambiguity: the selection
    is the occurrence); used when the text says ``quote`` there, else the quote is looked for.
    Raises ValidationError when the passage is not in the text or stands there several times
    and no occurrence was chosen.
    """
    text = claim.article.text
    if start is not None and start >= 0 and text[start : start + len(quote)] == quote:
        anchor = anchors.Anchor(start, start + len(quote))
    else:
        anchor = anchors.locate(text, quote, occurrence=occurrence)
    # The quote stored is the text as it stands (its quotation marks, dashes and spaces).
    claim.quote = text[anchor.start : anchor.end]
    claim.quote_start, claim.quote_end = anchor.start, anchor.end
    claim.quote_prefix, claim.quote_suffix = anchors.selector_context(
        text, anchor.start, anchor.end
    )


def verdict_change_problem(
    *, current: Claim, state: str, rationale: str, reason: str
) -> dict[str, str] | None:
    """What is missing for this change of a claim, as {field: sentence}, or None.

    Shared by the services and the admin form, so the form says it before anything is saved.
    That a verdict needs a rationale is the claim's own rule (``Claim.clean``, and the database's
    constraint behind it), checked with the claim's other fields.
    """
    state_changed = state != current.state
    rationale_changed = rationale.strip() != current.rationale.strip()
    if state_changed and not reason.strip() and not rationale_changed:
        return {
            "change_note": "Say why the state changes: write a note on this change, or rewrite the rationale."
        }
    if current.live_version_id and (state_changed or rationale_changed) and not reason.strip():
        return {
            "change_note": "This verdict is public: say what changes and why. The public keeps the "
            "approved version until an editor approves this one."
        }
    return None


@service
@transaction.atomic
def create_claim(
    *,
    article: Article,
    wording: str,
    quote: str,
    author: AbstractBaseUser,
    occurrence: int | None = None,
    start: int | None = None,
    claimant: str = "",
    state: ConfirmationState | str = ConfirmationState.UNVERIFIED,
    rationale: str = "",
    assignee: AbstractBaseUser | None = None,
    about: ClaimAbout | str | None = None,
    reason: str = "",
) -> Claim:
    """Record a claim anchored to the passage ``quote`` of the article's text, with its state and
    rationale: one write, and one history row when it starts as anything but unverified."""
    require(author, "claims.add_claim", "record claims")
    state = parse_state(state)
    claim = Claim(
        article=article,
        wording=wording,
        claimant=claimant,
        state=state,
        rationale=rationale.strip(),
        assignee=assignee,
        about=about or ClaimAbout.EVENT,
    )
    claim.verdict_changed_by = author
    anchor_claim(claim=claim, quote=quote, occurrence=occurrence, start=start)
    validate_claim(claim, anchor_moved=True)
    save_claim_row(claim, author, insert=True)
    if state != ConfirmationState.UNVERIFIED:
        StateChange.objects.create(
            claim=claim,
            from_state=ConfirmationState.UNVERIFIED,
            to_state=state,
            rationale=reason.strip() or claim.rationale or f"Recorded as {state.label.lower()}.",
            author=author,
            claim_version=claim.version,
        )
    independence.refresh([claim], public=False)  # no live version yet
    notify.claim_assigned(claim=claim, by=author)
    return claim


def parse_state(value) -> ConfirmationState:
    try:
        return ConfirmationState(value)
    except ValueError:
        raise ValidationError(
            {
                "state": f"“{value}” is not a state. Choose one of: {', '.join(ConfirmationState.values)}."
            }
        ) from None


_UNSET: Any = object()


@service
def edit_claim(
    *,
    claim: Claim,
    author: AbstractBaseUser,
    expected_version: int | None = None,
    reason: str = "",
    article: Article = _UNSET,
    wording: str = _UNSET,
    quote: str = _UNSET,
    occurrence: int | None = None,
    claimant: str = _UNSET,
    about: str = _UNSET,
    assignee: AbstractBaseUser | None = _UNSET,
    state: str = _UNSET,
    rationale: str = _UNSET,
    evidence: list[EvidenceChange] = (),
    require_new_state: bool = False,
    change_note: str | None = None,
) -> Claim:
    """Change a claim's working copy: any of its fields and its evidence, in one write.

    A change of state is recorded with its reason (``reason``, or the new rationale). A change to
    what a published claim says puts it back in review; the public keeps the approved version.
    ``change_note``, from a caller that asks for it apart from the reason (the API's ``state/``),
    says what changes for the public: required when a public claim's state or rationale changes,
    it is the comment of the claim's return to review, which the approving editor reads when
    writing the public correction note.
    """
    with transaction.atomic():
        current = lock_claim(claim.pk, expected_version)
        permissions = ClaimPermissions(author, current)
        permissions.can_edit().enforce()
        before = {f: getattr(current, f) for f in Claim.EDITABLE_FIELDS}
        was_review_state = current.review_state
        if require_new_state and current.state == state:
            label = current.state_choice.label
            raise ValidationError({"state": f"The claim is already “{label}”."})
        if article is not _UNSET and article.pk != current.article_id:
            current.article = article
        for name, value in (
            ("wording", wording),
            ("claimant", claimant),
            ("about", about),
            ("rationale", rationale),
        ):
            if value is not _UNSET:
                setattr(current, name, value.strip() if name == "rationale" else value)
        if assignee is not _UNSET:
            permissions.can_assign(assignee).enforce()
            current.assignee = assignee
        if state is not _UNSET:
            current.state = parse_state(state)
        new_quote = current.quote if quote is _UNSET else quote
        anchor_moved = False
        if (
            new_quote != current.quote
            or occurrence is not None
            or current.article_id != before["article_id"]
        ):
            anchor_claim(claim=current, quote=new_quote, occurrence=occurrence)
            anchor_moved = (current.quote_start, current.quote_end, current.article_id) != (
                before["quote_start"],
                before["quote_end"],
                before["article_id"],
            )
        changed = [f for f in Claim.EDITABLE_FIELDS if getattr(current, f) != before[f]]
        evidence_changed = apply_evidence_changes(current, evidence, author)
        if not changed and not evidence_changed:
            return current  # nothing changed: nothing is written
        was = Claim(
            state=before["state"],
            rationale=before["rationale"],
            live_version_id=current.live_version_id,
        )
        validate_claim(current, anchor_moved=anchor_moved)
        problem = verdict_change_problem(
            current=was, state=current.state, rationale=current.rationale, reason=reason
        )
        if problem:
            raise ValidationError(problem)
        verdict_changed = bool({"state", "rationale"} & set(changed))
        note_missing = change_note is not None and not change_note.strip()
        if note_missing and current.is_public and verdict_changed:
            raise ValidationError(
                {
                    "change_note": "This claim is public: say in change_note what changes for "
                    "the public and why. The editor who approves the change writes the public "
                    "correction note from it; until then the public keeps the approved version."
                },
                code="change_note_required",
            )
        if evidence_changed or verdict_changed:
            current.verdict_changed_by = author

        public_change = bool(set(changed) & set(Claim.PUBLIC_FIELDS)) or evidence_changed
        if was_review_state == ReviewState.IN_REVIEW and not current.state_choice.is_verdict:
            current.review_state = ReviewState.DRAFT  # nothing left for an editor to approve
        reopen = was_review_state == ReviewState.PUBLISHED and public_change
        if reopen:
            current.review_state = ReviewState.IN_REVIEW
            if not current.state_choice.is_verdict:
                current.review_state = ReviewState.DRAFT
        current.version += 1
        # The field history keeps the reason with the edit (the timeline shows it).
        current._change_reason = reason.strip() or None
        save_claim_row(current, author, anchor_moved=anchor_moved)

        if current.state != before["state"]:
            StateChange.objects.create(
                claim=current,
                from_state=before["state"],
                to_state=current.state,
                rationale=reason.strip() or current.rationale,
                author=author,
                claim_version=current.version,
            )
        if reopen:
            what = describe_changes(changed, evidence_changed)
            ReviewEvent.objects.create(
                claim=current,
                action=ReviewAction.REOPEN,
                from_review_state=ReviewState.PUBLISHED,
                to_review_state=current.review_state,
                state=current.state,
                comment=(change_note or "").strip() or reason.strip() or f"Changed: {what}.",
                author=author,
            )
            notify.review_requested(claim=current, by=author, comment=reason)
        if current.assignee_id != before["assignee_id"]:
            notify.claim_assigned(claim=current, by=author)
        # The live version is as it was: only the desk's block changes.
        independence.refresh([current], public=False)
    return current


def describe_changes(fields: list[str], evidence_changed: bool = False) -> str:
    labels = list(dict.fromkeys(Claim.FIELD_LABELS[f] for f in fields))
    if evidence_changed:
        labels.append("evidence")
    return ", ".join(labels)


def change_state(
    *,
    claim: Claim,
    to_state: ConfirmationState | str,
    rationale: str,
    author: AbstractBaseUser,
    expected_version: int | None = None,
) -> Claim:
    """Move a claim to ``to_state`` for the reason ``rationale``, recorded in its history.

    For a verdict the rationale becomes the claim's public rationale (once an editor approves).
    The admin's bulk action says it in one field; :func:`change_state_with_reason` keeps the
    public rationale, the reason and the note for the public apart.
    """
    to_state = parse_state(to_state)
    rationale = (rationale or "").strip()
    if not rationale:
        raise ValidationError(
            {"rationale": "Say why the state changes: every change of state needs a reason."}
        )
    changes = {"state": to_state, "reason": rationale, "require_new_state": True}
    if to_state.is_verdict:
        changes["rationale"] = rationale
    return edit_claim(claim=claim, author=author, expected_version=expected_version, **changes)


def change_state_with_reason(
    *,
    claim: Claim,
    to_state: ConfirmationState | str,
    reason: str,
    author: AbstractBaseUser,
    rationale: str | None = None,
    change_note: str = "",
    expected_version: int | None = None,
) -> Claim:
    """Move a claim to ``to_state`` for ``reason`` (kept in its history, never public).

    ``rationale``, only with a verdict, is its new public rationale (without it the claim keeps
    its own). ``change_note`` says what changes for the public; a claim the public reads needs
    it (see :func:`edit_claim`).
    """
    to_state = parse_state(to_state)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": "Say why the state changes: every change of state needs a reason."},
            code="required",
        )
    changes = {"state": to_state, "reason": reason, "require_new_state": True}
    if rationale is not None and rationale.strip():
        if not to_state.is_verdict:
            raise ValidationError(
                {
                    "rationale": f"“{to_state.label}” is not a verdict, so it has no public "
                    "rationale: say why the state changes in reason."
                },
                code="not_a_verdict",
            )
        changes["rationale"] = rationale.strip()
    return edit_claim(
        claim=claim,
        author=author,
        expected_version=expected_version,
        change_note=change_note or "",
        **changes,
    )


@service
@transaction.atomic
def delete_claim(*, claim: Claim, author: AbstractBaseUser) -> None:
    """Delete a claim recorded by mistake: only while it has no history at all."""
    current = lock_claim(claim.pk, None)
    ClaimPermissions(author, current).can_delete().enforce()
    Evidence.objects.filter(claim=current).delete()
    current._history_user = author
    current.delete()
