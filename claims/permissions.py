"""Who may do what to a claim: one object, asked by every caller.

``ClaimPermissions(user, claim)`` answers for one person and one claim: ``can_edit``,
``can_comment``, ``can_submit``, ``can_approve``, ``can_send_back``, ``can_withdraw``,
``can_delete``, ``can_assign(to)``; ``review_steps()`` lists the review steps open to them now.
Each answer is a ``Decision``: truthy when allowed; otherwise it carries the sentence that says
why, and whether the person's role stops them (``PermissionDenied``: a 403 in the API) or the
claim's state does (``ValidationError``: a 400). The services enforce the decisions before they
write; the admin's buttons, the status pages' review box and the API's answers come from the same
decisions, so no caller re-states a rule (Wagtail's ``PagePermissionTester`` is the model).

The rules:

- Desk members with the permission to change claims (fact-checkers, editors) edit them, discuss
  them and send a verdict to review; only editors approve, send back and withdraw.
- A verdict is approved only while it is in review; it is withdrawn whenever one is in force in
  public (whatever the working copy's review state: a fact-checker may have reopened it).
- Four eyes (``FOUR_EYES``): where the desk has two or more editors, an editor does not approve a
  verdict they set or last changed themselves: a second editor must. A desk with one editor may;
  that approval is recorded as having had no second reader. ``FOUR_EYES=on`` always asks for a
  second editor, ``off`` never does (the approval is still recorded as such).
- Fact-checkers take (or give) unassigned claims and hand on their own; moving a claim from
  someone else needs an editor. Whoever records a new claim may assign it.
- A claim is deleted only while it has no history (never published, no state change, review
  step, comment or anchor event).
"""

from dataclasses import dataclass
from functools import cached_property

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q

from .models import Claim, ReviewState, StateChange
from .visibility import is_desk_member

CHANGE_PERMISSION = "claims.change_claim"
PUBLISH_PERMISSION = "claims.publish_claim"


@dataclass(frozen=True)
class Decision:
    """Whether a person may take a step, and if not, the sentence that says why."""

    allowed: bool
    reason: str = ""
    # True: who the person is stops them (PermissionDenied); False: the claim's state does.
    by_role: bool = False
    # Allowed, though nobody but the verdict's own author read it (four eyes not in force).
    without_second_reader: bool = False

    def __bool__(self) -> bool:
        return self.allowed

    def enforce(self) -> "Decision":
        if self.allowed:
            return self
        if self.by_role:
            raise PermissionDenied(self.reason)
        raise ValidationError(self.reason, code="not_now")


ALLOWED = Decision(True)


def _role(reason: str) -> Decision:
    return Decision(False, reason, by_role=True)


def _state(reason: str) -> Decision:
    return Decision(False, reason)


def may_change_claims(user) -> bool:
    """A desk member (active staff) who works on claims: a fact-checker, an editor, an admin."""
    return is_desk_member(user) and user.has_perm(CHANGE_PERMISSION)


def is_editor(user) -> bool:
    """A desk member who may publish: approve, send back and withdraw verdicts."""
    return is_desk_member(user) and user.has_perm(PUBLISH_PERMISSION)


def is_fact_checker(user) -> bool:
    """Editors may change claims too, but their home is the review queue; a superuser is both."""
    return may_change_claims(user) and (user.is_superuser or not user.has_perm(PUBLISH_PERMISSION))


def editors():
    """The desk's editors: active staff who hold the permission to publish (through a group,
    their own permissions, or as superusers)."""
    app_label, codename = PUBLISH_PERMISSION.split(".")
    permission = Permission.objects.filter(content_type__app_label=app_label, codename=codename)
    return (
        get_user_model()
        .objects.filter(is_active=True, is_staff=True)
        .filter(
            Q(is_superuser=True)
            | Q(groups__permissions__in=permission)
            | Q(user_permissions__in=permission)
        )
        .distinct()
    )


def second_reader_required() -> bool:
    """Whether an editor's own verdict needs another editor to approve it (see ``FOUR_EYES``)."""
    mode = settings.FOUR_EYES
    if mode == "on":
        return True
    if mode == "off":
        return False
    return editors()[:2].count() >= 2


class ClaimPermissions:
    """What ``user`` may do to ``claim`` (a saved claim, or an unsaved one being recorded)."""

    def __init__(self, user: AbstractBaseUser | None, claim: Claim):
        self.user = user
        self.claim = claim

    @property
    def _label(self) -> str:
        return f"Claim #{self.claim.pk}" if self.claim.pk else "This claim"

    # -- the verdict's authors, for four eyes ---------------------------------------------------

    @cached_property
    def verdict_authors(self) -> set[int]:
        """Who set the claim's current state and who last changed its verdict (its state,
        rationale or evidence). One query (the latest state change)."""
        authors = {self.claim.verdict_changed_by_id}
        latest = (
            StateChange.objects.filter(claim_id=self.claim.pk)
            .order_by("-created_at", "-id")
            .values_list("author_id", flat=True)
            .first()
        )
        authors.add(latest)
        return authors - {None}

    # -- decisions --------------------------------------------------------------------------

    def can_edit(self) -> Decision:
        if not may_change_claims(self.user):
            return _role("You do not have permission to change claims.")
        return ALLOWED

    def can_comment(self) -> Decision:
        if not may_change_claims(self.user):
            return _role("You do not have permission to discuss claims.")
        return ALLOWED

    def can_submit(self) -> Decision:
        if not may_change_claims(self.user):
            return _role("You do not have permission to send claims to review.")
        claim = self.claim
        if not claim.state_choice.is_verdict:
            return _state(
                f"{self._label} is “{claim.state_choice.label}”: give it a verdict before "
                "sending it to review."
            )
        if claim.review_state != ReviewState.DRAFT:
            return _state(
                f"{self._label} is {claim.review_choice.predicate}: only a claim that is a "
                "draft can be sent to review."
            )
        return ALLOWED

    def can_approve(self) -> Decision:
        if not is_editor(self.user):
            return _role("You do not have permission to approve verdicts (editors only).")
        claim = self.claim
        if claim.review_state != ReviewState.IN_REVIEW:
            return _state(
                f"{self._label} is {claim.review_choice.predicate}: only a claim that is in "
                "review can be approved and published."
            )
        if self.user.pk in self.verdict_authors:
            if second_reader_required():
                return _role(
                    "You set or last changed this verdict yourself: a second editor approves "
                    "it (four eyes). Ask another editor to review it."
                )
            return Decision(True, without_second_reader=True)
        return ALLOWED

    def can_send_back(self) -> Decision:
        if not is_editor(self.user):
            return _role("You do not have permission to send claims back (editors only).")
        claim = self.claim
        if claim.review_state != ReviewState.IN_REVIEW:
            return _state(
                f"{self._label} is {claim.review_choice.predicate}: only a claim that is in "
                "review can be sent back."
            )
        return ALLOWED

    def can_withdraw(self) -> Decision:
        if not is_editor(self.user):
            return _role(
                "You do not have permission to withdraw published verdicts (editors only)."
            )
        if not self.claim.verdict_in_force:
            return _state(f"{self._label} has no public verdict to withdraw.")
        return ALLOWED

    def can_delete(self) -> Decision:
        if not (is_desk_member(self.user) and self.user.has_perm("claims.delete_claim")):
            return _role("You do not have permission to delete claims.")
        if has_history(self.claim):
            return _state(
                "This claim has a history (a state change, a review step or a publication): it "
                "is kept. Withdraw a published verdict instead."
            )
        return ALLOWED

    def can_assign(self, to: AbstractBaseUser | None) -> Decision:
        """Moving the claim to ``to`` (None: nobody)."""
        if not may_change_claims(self.user):
            return _role("You do not have permission to assign claims.")
        current = self.claim.assignee_id
        target = to.pk if to is not None else None
        if target == current or self.claim.pk is None or is_editor(self.user):
            return ALLOWED
        if current is None or current == self.user.pk:
            return ALLOWED  # an unassigned claim is anyone's to take or give; one's own to hand on
        holder = self.claim.assignee
        name = holder.get_full_name() or holder.get_username()
        return _role(
            f"{self._label} is assigned to {name}: only an editor moves a claim from someone "
            "else. Take unassigned claims, or hand on your own."
        )

    def review_steps(self) -> list[str]:
        """The review steps open to this person on this claim now, in the order a page shows
        them."""
        decisions = {
            "submit": self.can_submit,
            "approve": self.can_approve,
            "send_back": self.can_send_back,
            "withdraw": self.can_withdraw,
        }
        return [step for step, decide in decisions.items() if decide()]


def approvers(claim: Claim) -> list:
    """The editors for whom ``ClaimPermissions(editor, claim).can_approve()`` holds now, decided
    for the whole desk at once (three queries whatever its size, where asking each editor would
    cost four or five each)."""
    if claim.review_state != ReviewState.IN_REVIEW:
        return []
    desk = list(editors())
    authors = ClaimPermissions(None, claim).verdict_authors
    if authors & {editor.pk for editor in desk} and second_reader_required():
        return [editor for editor in desk if editor.pk not in authors]
    return desk


def has_history(claim: Claim) -> bool:
    """Anything recorded of the claim that must be kept: a publication, a state change, a review
    step, a comment or an anchor event."""
    if claim.pk is None:
        return False
    return bool(
        claim.first_published_at is not None
        or claim.live_version_id is not None
        or claim.state_changes.exists()
        or claim.review_events.exists()
        or claim.comments.exists()
        or claim.anchor_events.exists()
    )
