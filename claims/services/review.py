"""Review and publication: sending a verdict to review, an editor approving it (its working copy
becomes the public version, with a correction note when a public verdict or its reasons
change), sending it back, withdrawing a public verdict, and the desk's discussion."""

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from common.writes import service
from notifications import services as notify

from .. import independence, public
from ..corroboration import assess_claim
from ..models import (
    Claim,
    ClaimComment,
    Evidence,
    EvidenceOrigin,
    PublishedEvidence,
    PublishedVersion,
    ReviewAction,
    ReviewEvent,
    ReviewState,
    VersionKind,
)
from ..permissions import ClaimPermissions
from ..public.freeze import freeze_many, freeze_sources
from ..selectors import article_changes_token, pending_article_changes
from ..selectors.evidence import by_source, source_changes
from .articles import article_version_now
from .rows import lock_claim


def _review(
    current: Claim,
    *,
    author: AbstractBaseUser,
    action: ReviewAction,
    to: ReviewState,
    comment: str = "",
    override_reason: str = "",
    without_second_reader: bool = False,
) -> Claim:
    """Record one review step (its decision taken by ``ClaimPermissions``) and move the claim."""
    event = ReviewEvent(
        claim=current,
        action=action,
        from_review_state=current.review_state,
        to_review_state=to,
        state=current.state,
        comment=comment.strip(),
        override_reason=override_reason.strip(),
        without_second_reader=without_second_reader,
        author=author,
    )
    current.review_state = to
    current.version += 1
    current._history_user = author
    current.save()
    event.save()
    return current


@service
@transaction.atomic
def submit_for_review(
    *,
    claim: Claim,
    author: AbstractBaseUser,
    comment: str = "",
    expected_version: int | None = None,
) -> Claim:
    """A fact-checker asks an editor to approve the claim's verdict."""
    current = lock_claim(claim.pk, expected_version)
    ClaimPermissions(author, current).can_submit().enforce()
    submitted = _review(
        current,
        author=author,
        action=ReviewAction.SUBMIT,
        to=ReviewState.IN_REVIEW,
        comment=comment,
    )
    notify.review_requested(claim=submitted, by=author, comment=comment)
    return submitted


def _reasons_changed(current: Claim, live: PublishedVersion, evidence: list[Evidence]) -> bool:
    """The verdict or its reasons: the state, the rationale, or which sources bear on it how."""
    if live.is_withdrawal:
        return True
    published = set(
        PublishedEvidence.objects.filter(version=live).values_list("source_id", "stance")
    )
    return (
        live.state != current.state
        or live.rationale.strip() != current.rationale.strip()
        or {(e.source_id, e.stance) for e in evidence} != published
    )


def publish_working_copy(
    current: Claim, author, *, kind: VersionKind, correction: str = "", approved_at=None
) -> PublishedVersion:
    """Freeze the working copy (and its article) as the claim's new public version, dated now, or
    ``approved_at`` when the review happened elsewhere (the desk's review a seed file records)."""
    live = current.live_version
    evidence = list(Evidence.objects.filter(claim=current).order_by("id"))
    named: dict[int, list[int]] = {}
    for evidence_id, origin_id in EvidenceOrigin.objects.filter(
        evidence__claim=current
    ).values_list("evidence_id", "origin_id"):
        named.setdefault(evidence_id, []).append(origin_id)
    version = PublishedVersion.objects.create(
        claim=current,
        number=(live.number + 1) if live else 1,
        kind=kind,
        article_version=article_version_now(current.article, author, approved_at=approved_at),
        **PublishedVersion.content_of(current),
        correction=correction.strip(),
        approved_by=author,
        approved_at=approved_at or timezone.now(),
        # The sources as the public will read them with this verdict, until the next approval.
        frozen_sources=freeze_sources(e.source_id for e in evidence),
    )
    PublishedEvidence.objects.bulk_create(
        PublishedEvidence(
            version=version,
            evidence_id=e.pk,
            source_id=e.source_id,
            stance=e.stance,
            excerpt=e.excerpt,
            note=e.note,
            origin_ids=sorted(named.get(e.pk, [])),
            own_reporting=e.own_reporting,
        )
        for e in evidence
    )
    now = version.approved_at
    current.live_version = version
    current.published_at = now
    current.first_published_at = current.first_published_at or now
    return version


@service
@transaction.atomic
def approve(
    *,
    claim: Claim,
    author: AbstractBaseUser,
    comment: str = "",
    correction: str = "",
    override_reason: str = "",
    expected_version: int | None = None,
    article_changes_confirmed: str | None = None,
) -> Claim:
    """An editor publishes the claim's verdict: its working copy becomes the public version.

    A verdict stronger than its evidence suggests (see claims.corroboration) is published only
    with ``override_reason``, which is recorded. When a published verdict or its reasons changed,
    the approval needs ``correction``: the public note of what changed and why. With four eyes
    in force, an editor does not approve a verdict they set or last changed themselves (see
    ``claims.permissions``); where they may, the approval is recorded as without a second reader.

    Approving publishes the article's pending changes too (its headline, text, outlet...: the
    public reads the claim in the article as it stands). A page that lists them for the editor
    passes ``article_changes_confirmed``, the token of the changes it listed and the editor
    confirmed (``selectors.article_changes_token``; "" for none): the approval is refused while
    other changes are pending than those confirmed.
    """
    current = lock_claim(claim.pk, expected_version)
    decision = ClaimPermissions(author, current).can_approve().enforce()
    if article_changes_confirmed is not None:
        check_article_changes_confirmed(current, article_changes_confirmed)
    assessment = assess_claim(current)
    if assessment.stronger_than_evidence and not override_reason.strip():
        raise ValidationError(
            {
                "override_reason": f"Claim #{current.pk} is “{current.state_choice.label}” but its evidence "
                f"suggests “{assessment.suggestion.label}” ({assessment.reason}) Give a reason to "
                "publish it as it is."
            },
            code="override_reason_required",
        )
    live = current.live_version
    if live is not None and not correction.strip():
        evidence = list(Evidence.objects.filter(claim=current))
        if _reasons_changed(current, live, evidence):
            raise ValidationError(
                {
                    "correction": "The public verdict or its reasons change: write the public correction "
                    "note (what changed and why). It is shown with the claim, dated."
                },
                code="correction_required",
            )
    publish_working_copy(current, author, kind=VersionKind.APPROVAL, correction=correction)
    approved = _review(
        current,
        author=author,
        action=ReviewAction.APPROVE,
        to=ReviewState.PUBLISHED,
        comment=comment,
        override_reason=override_reason if assessment.stronger_than_evidence else "",
        without_second_reader=decision.without_second_reader,
    )
    independence.refresh([current])  # the public's block follows the new version
    public.refresh(claims=[current])  # what the public reads, from the new version
    notify.verdict_published(claim=approved, by=author, comment=comment)
    return approved


def check_article_changes_confirmed(claim: Claim, confirmed: str) -> None:
    pending = pending_article_changes(claim.article_id)
    if article_changes_token(pending) == confirmed:
        return
    fields = ", ".join(change.label for change in pending)
    if not confirmed:
        message = (
            f"Approving claim #{claim.pk} also publishes its article's pending changes ({fields}): "
            "look at them and confirm that they are published too "
            f"(the token of these changes: “{article_changes_token(pending)}”)."
        )
    else:
        message = (
            f"The article of claim #{claim.pk} changed again since you looked: its pending "
            f"changes ({fields or 'none now'}) are not the ones you confirmed. Look at them again."
        )
    raise ValidationError({"article_changes": message}, code="article_changes_unconfirmed")


@service
@transaction.atomic
def send_back(
    *, claim: Claim, author: AbstractBaseUser, comment: str, expected_version: int | None = None
) -> Claim:
    """An editor returns the claim to its fact-checker with a comment."""
    current = lock_claim(claim.pk, expected_version)
    ClaimPermissions(author, current).can_send_back().enforce()
    if not (comment or "").strip():
        raise ValidationError(
            {"comment": "Say what needs doing: sending a claim back needs a comment."}
        )
    returned = _review(
        current, author=author, action=ReviewAction.SEND_BACK, to=ReviewState.DRAFT, comment=comment
    )
    notify.sent_back(claim=returned, by=author, comment=comment)
    return returned


@service
@transaction.atomic
def withdraw(
    *, claim: Claim, author: AbstractBaseUser, reason: str, expected_version: int | None = None
) -> Claim:
    """An editor takes a public verdict down, whenever one is in force (whatever the working
    copy's review state: a fact-checker may have reopened it, even to a state that is no
    verdict). The claim keeps a public notice with the reason and the date (and its earlier
    versions stay readable); it leaves the ClaimReview feed. A published working copy becomes a
    draft; one in review or a draft stays as it is (its pending change can still be approved)."""
    current = lock_claim(claim.pk, expected_version)
    ClaimPermissions(author, current).can_withdraw().enforce()
    if not (reason or "").strip():
        raise ValidationError(
            {"comment": "Say why the verdict is withdrawn: it is recorded and shown publicly."}
        )
    live = current.live_version
    version = PublishedVersion.objects.create(
        claim=current,
        number=live.number + 1,
        kind=VersionKind.WITHDRAWAL,
        article_version=live.article_version,
        **live.claim_content(),
        correction=reason.strip(),
        approved_by=author,
        frozen_sources=live.frozen_sources,
    )
    current.live_version = version
    current.published_at = None
    to = ReviewState.DRAFT if current.is_published else current.review_choice
    withdrawn = _review(current, author=author, action=ReviewAction.WITHDRAW, to=to, comment=reason)
    independence.refresh([current])  # the public's block follows the withdrawal
    public.refresh(claims=[current])  # the public reads the withdrawal notice
    return withdrawn


# Sources looked for in the frozen copies at a time: each is one JSON key test in the query,
# and SQLite refuses an expression deeper than 1,000.
KEYS_A_QUERY = 200


@service
@transaction.atomic
def reopen_for_source_edits(*, source_ids, author: AbstractBaseUser) -> list[Claim]:
    """A desk member edited sources (their fields, provenance or outlet; ``sources.services``
    sends ``sources.signals.sources_edited``): each published verdict whose public version shows
    one of them (cited, or rested on by what it cites) as it no longer stands goes back to
    review. The public keeps the approved copy until an editor approves the claim again, which
    freezes the sources anew; the editors are told, as for an edit of the claim itself.

    Only edits reopen: a snapshot the worker archives shows to the desk as a difference and is
    frozen at the claim's next approval. A claim in review or a draft is left as it is (its
    approval freezes the sources as they then stand)."""
    edited = {int(pk) for pk in source_ids}
    if not edited:
        return []
    keys = sorted(str(pk) for pk in edited)
    showing: set[int] = set()
    for at in range(0, len(keys), KEYS_A_QUERY):  # an outlet renamed: all its sources
        showing.update(
            Claim.objects.filter(
                review_state=ReviewState.PUBLISHED,
                live_version__frozen_sources__sources__has_any_keys=keys[at : at + KEYS_A_QUERY],
            )
            .exclude(live_version__kind=VersionKind.WITHDRAWAL)
            .values_list("pk", flat=True)
        )
    claims = list(
        Claim.objects.select_for_update(of=("self",))
        .select_related("live_version")
        .filter(pk__in=showing, review_state=ReviewState.PUBLISHED)
        .order_by("pk")
    )
    if not claims:
        return []
    cited: dict[int, list[int]] = {claim.live_version_id: [] for claim in claims}
    for version_id, source_id in PublishedEvidence.objects.filter(
        version_id__in=list(cited)
    ).values_list("version_id", "source_id"):
        cited[version_id].append(source_id)
    fresh = freeze_many({claim.pk: cited[claim.live_version_id] for claim in claims})
    reopened = []
    for claim in claims:
        changes = [
            change
            for change in source_changes(claim.live_version.frozen_sources or {}, fresh[claim.pk])
            if change.source_id in edited
        ]
        if not changes:
            continue
        what = "; ".join(
            f"“{title}”: {', '.join(c.label for c in edits)}"
            for _, title, edits in by_source(changes)
        )
        comment = (
            f"A source the public version shows was edited ({what}). The public keeps the "
            "approved copy until an editor approves the claim again."
        )
        _review(
            claim,
            author=author,
            action=ReviewAction.REOPEN,
            to=ReviewState.IN_REVIEW,
            comment=comment,
        )
        notify.review_requested(claim=claim, by=author, comment=comment)
        reopened.append(claim)
    return reopened


def on_sources_edited(sender, source_ids, author, **kwargs) -> None:
    reopen_for_source_edits(source_ids=source_ids, author=author)


@service
@transaction.atomic
def add_comment(*, claim: Claim, author: AbstractBaseUser, body: str) -> ClaimComment:
    """A desk member writes in the claim's internal discussion (never public). The claim itself
    does not change: no version bump, no review reopened."""
    ClaimPermissions(author, claim).can_comment().enforce()
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": "Write something to add to the discussion."})
    comment = ClaimComment.objects.create(claim=claim, author=author, body=body)
    notify.mentioned(comment=comment)
    return comment


REVIEW_STEPS = ("submit", "approve", "send_back", "withdraw")


def take_review_step(
    *,
    claim: Claim,
    author: AbstractBaseUser,
    step: str,
    comment: str = "",
    correction: str = "",
    override_reason: str = "",
    expected_version: int | None = None,
    article_changes_confirmed: str | None = None,
) -> Claim:
    """One review step by name, as the admin's buttons, the status pages and the API send it:
    ``submit``, ``approve``, ``send_back`` or ``withdraw`` (``comment`` is the withdrawal's
    reason; ``article_changes_confirmed``: see ``approve``). An unknown step is refused with a
    sentence."""
    if step == "submit":
        return submit_for_review(
            claim=claim, author=author, comment=comment, expected_version=expected_version
        )
    if step == "approve":
        return approve(
            claim=claim,
            author=author,
            comment=comment,
            correction=correction,
            override_reason=override_reason,
            expected_version=expected_version,
            article_changes_confirmed=article_changes_confirmed,
        )
    if step == "send_back":
        return send_back(
            claim=claim, author=author, comment=comment, expected_version=expected_version
        )
    if step == "withdraw":
        return withdraw(
            claim=claim, author=author, reason=comment, expected_version=expected_version
        )
    raise ValidationError(
        {"action": f"“{step}” is not a review step: choose one of {', '.join(REVIEW_STEPS)}."}
    )
