"""Telling people, one function per event, and what a person does with what they were told.

The claims services call one of these per event, inside their own transaction (so the news of a
change commits or rolls back with it):

- ``claim_assigned``: the new assignee (not someone who took a claim themselves);
- ``review_requested``: the editors who may approve the verdict (see below);
- ``sent_back``: the fact-checker whose claim it is, with the editor's comment;
- ``mentioned``: each desk member a comment names as ``@username``;
- ``verdict_published``: the people who set or last changed the verdict an editor approved
  (approved, or corrected when it replaces a public verdict);
- ``welcome`` (from ``accounts.services``): a new desk member, with a link to set their password.

Each writes one ``Notification`` per person and, where the person gets email, enqueues its
email in the same transaction (``notifications.tasks``): the worker sends it, never the request.
Nobody is told of their own act.

Who is asked for a review: every editor whom ``ClaimPermissions.can_approve`` allows to approve
the claim now. With four eyes in force that leaves out the editors who set or last changed the
verdict: telling them a claim awaits their review when they may not approve it would be noise
that hides the request from the editor who can. Where four eyes leave nobody (FOUR_EYES=on and a
desk with one editor, who wrote the verdict), every editor is told, so that a claim never waits
in silence.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.text import Truncator

from claims.models import Claim, ClaimComment, ReviewAction, ReviewEvent, ReviewState
from claims.permissions import ClaimPermissions, approvers, editors, may_change_claims
from claims.visibility import desk_person, is_desk_member
from common.writes import service

from . import selectors, tasks
from .mentions import mentioned_usernames
from .models import EmailStatus, Notification, NotificationKind, NotificationSettings


def _claim(claim: Claim) -> str:
    return f"claim #{claim.pk} (“{Truncator(claim.wording).chars(80)}”)"


def _tell(
    recipients, *, kind: NotificationKind, actor, title: str, claim=None, body: str = ""
) -> list[Notification]:
    """One notification per person (each once; never the actor), with its email enqueued for
    those who get email."""
    people = {user.pk: user for user in recipients if user is not None and user.is_active}
    people.pop(getattr(actor, "pk", None), None)
    if not people:
        return []
    emailed = selectors.gets_email(
        people.values(), ignore_preference=kind == NotificationKind.WELCOME
    )
    told = []
    for user in people.values():
        notification = Notification.objects.create(
            recipient=user,
            kind=kind,
            claim=claim,
            actor=actor,
            title=Truncator(title).chars(300),
            body=(body or "").strip(),
            email_status=EmailStatus.PENDING if user.pk in emailed else EmailStatus.NOT_WANTED,
        )
        if notification.email_status == EmailStatus.PENDING:
            tasks.schedule_email(notification)
        told.append(notification)
    return told


@service
def claim_assigned(*, claim: Claim, by: AbstractBaseUser) -> list[Notification]:
    """The claim's (new) assignee is told it is theirs."""
    assignee = claim.assignee
    if assignee is None or not is_desk_member(assignee):
        return []
    return _tell(
        [assignee],
        kind=NotificationKind.ASSIGNED,
        claim=claim,
        actor=by,
        title=f"{desk_person(by)} assigned you {_claim(claim)}.",
    )


@service
def review_requested(*, claim: Claim, by: AbstractBaseUser, comment: str = "") -> list:
    """A verdict awaits an editor: the editors who may approve it are told (see the module's
    docstring), while the claim is in review."""
    if claim.review_state != ReviewState.IN_REVIEW:
        return []
    desk_editors = [editor for editor in editors() if editor.pk != by.pk]
    may_approve = [editor for editor in approvers(claim) if editor.pk != by.pk]
    return _tell(
        may_approve or desk_editors,
        kind=NotificationKind.REVIEW_REQUESTED,
        claim=claim,
        actor=by,
        title=f"{desk_person(by)} asks for your review of {_claim(claim)}: "
        f"{claim.state_choice.label.lower()}.",
        body=comment,
    )


def _whose(claim: Claim):
    """Whose claim it is: its assignee, or else who last sent it to review (the "sent back to
    me" queue reads it the same way)."""
    if claim.assignee_id:
        return claim.assignee
    submission = (
        ReviewEvent.objects.filter(claim_id=claim.pk, action=ReviewAction.SUBMIT)
        .select_related("author")
        .order_by("-created_at", "-id")
        .first()
    )
    return submission.author if submission else None


@service
def sent_back(*, claim: Claim, by: AbstractBaseUser, comment: str) -> list[Notification]:
    """An editor sent the claim back: its fact-checker is told, with the editor's comment."""
    return _tell(
        [_whose(claim)],
        kind=NotificationKind.SENT_BACK,
        claim=claim,
        actor=by,
        title=f"{desk_person(by)} sent {_claim(claim)} back to you.",
        body=comment,
    )


@service
def mentioned(*, comment: ClaimComment) -> list[Notification]:
    """Each desk member the comment names as ``@username`` (and who may read the discussion)."""
    names = mentioned_usernames(comment.body)
    if not names:
        return []
    candidates = (
        get_user_model()
        .objects.filter(is_active=True, is_staff=True)
        .annotate(lower_username=Lower("username"))
        .filter(lower_username__in=names)
    )
    claim = comment.claim
    return _tell(
        [user for user in candidates if may_change_claims(user)],
        kind=NotificationKind.MENTIONED,
        claim=claim,
        actor=comment.author,
        title=f"{desk_person(comment.author)} mentioned you on {_claim(claim)}.",
        body=comment.body,
    )


@service
def verdict_published(*, claim: Claim, by: AbstractBaseUser, comment: str = "") -> list:
    """An editor approved the claim's verdict: who set or last changed it is told; when the
    approval replaces a public verdict with a correction, that it was corrected, with the
    public note."""
    version = claim.live_version
    corrected = version.number > 1 and bool(version.correction)
    authors = ClaimPermissions(None, claim).verdict_authors
    people = get_user_model().objects.filter(pk__in=authors, is_staff=True)
    state = claim.state_choice.label.lower()
    if corrected:
        return _tell(
            people,
            kind=NotificationKind.VERDICT_CORRECTED,
            claim=claim,
            actor=by,
            title=f"{desk_person(by)} published a correction of your verdict on {_claim(claim)}: "
            f"now {state}.",
            body=version.correction,
        )
    return _tell(
        people,
        kind=NotificationKind.VERDICT_APPROVED,
        claim=claim,
        actor=by,
        title=f"{desk_person(by)} approved your verdict on {_claim(claim)}: {state}.",
        body=comment,
    )


@service
def welcome(*, user: AbstractBaseUser, by: AbstractBaseUser, role: str) -> list[Notification]:
    """A new desk member is told who added them and as what; their email carries a link to set
    their password (``notifications.emails``), whatever their preference (they have none yet)."""
    return _tell(
        [user],
        kind=NotificationKind.WELCOME,
        actor=by,
        title=f"{desk_person(by)} added you to the desk as {role}.",
    )


# -- what a person does with their notifications ---------------------------------------------


@service
def open_notification(*, notification: Notification, reader: AbstractBaseUser) -> Notification:
    """The reader opens one of theirs: it is read from now on."""
    if notification.recipient_id != reader.pk:
        raise PermissionDenied("This notification is someone else's.")
    if notification.read_at is None:
        now = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now)
        notification.read_at = now
    return notification


@service
def mark_all_read(*, reader: AbstractBaseUser) -> int:
    """Every unread notification of the reader's is read from now on; how many there were."""
    return Notification.objects.filter(recipient=reader, read_at__isnull=True).update(
        read_at=timezone.now()
    )


@service
@transaction.atomic
def set_email_preference(*, user: AbstractBaseUser, email: bool) -> NotificationSettings:
    """A person turns their notification email on or off (for what is told from now on, and for
    the emails still waiting to go out)."""
    preference, _ = NotificationSettings.objects.select_for_update().get_or_create(user=user)
    if preference.email != email:
        preference.email = email
        preference.save()
    return preference
