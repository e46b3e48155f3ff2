"""The desk's queues on the admin home: what each role works from."""

from dataclasses import dataclass
from datetime import datetime

import orjson
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Concat, NullIf, Trim

from ..corroboration import assess_claims
from ..models import (
    Claim,
    ConfirmationState,
    ReviewAction,
    ReviewEvent,
    ReviewState,
    VersionKind,
    verdict_in_force_q,
)
from ..permissions import is_editor, is_fact_checker

QUEUE_LENGTH = 25

# The steps that put a claim in review: a fact-checker's submission, a change to a published
# claim (which reopens its review) and the seed file's loading of a claim in review.
SENDING_ACTIONS = (ReviewAction.SUBMIT, ReviewAction.REOPEN, ReviewAction.IMPORT)


class ReviewKind:
    """What an editor is asked to decide about a claim in review."""

    NEW = "new"
    CORRECTION = "correction"
    WITHDRAWAL = "withdrawal"
    LABELS = {
        NEW: "A new verdict",
        CORRECTION: "A correction of the public verdict",
        WITHDRAWAL: "A withdrawal request",
    }
    HINTS = {
        NEW: "Nothing of it is public yet.",
        CORRECTION: "The public reads an earlier verdict; approving replaces it with a dated correction note.",
        WITHDRAWAL: "The public reads a verdict that the working copy no longer gives: withdraw it, or send it back.",
    }


def review_kind(state: str, live_kind: str | None) -> str:
    """A new verdict (nothing public, or only a withdrawal notice), a correction of the verdict
    in force, or a request to withdraw it (the working copy gives no verdict any more)."""
    if live_kind is None or live_kind == VersionKind.WITHDRAWAL:
        return ReviewKind.NEW
    if not ConfirmationState(state).is_verdict:
        return ReviewKind.WITHDRAWAL
    return ReviewKind.CORRECTION


@dataclass(frozen=True)
class ReviewRequest:
    """Who put a claim in review, when and how, and what kind of review it is."""

    kind: str
    sent_by: str
    sent_at: datetime | None
    sent_action: str
    comment: str
    stronger_than_evidence: bool

    @property
    def kind_label(self) -> str:
        return ReviewKind.LABELS[self.kind]

    @property
    def kind_hint(self) -> str:
        return ReviewKind.HINTS[self.kind]

    @property
    def how(self) -> str:
        return {
            ReviewAction.SUBMIT: "Sent by",
            ReviewAction.REOPEN: "Changed after publication by",
            ReviewAction.IMPORT: "Loaded in review from the seed file by",
        }.get(self.sent_action, "Sent by")


def with_sender(claims: QuerySet[Claim]) -> QuerySet[Claim]:
    """Annotate the step that put each claim in review (``sent_action``, ``sent_at``,
    ``sent_comment``, ``sent_by``: the author's full name, else username), as subqueries: no
    query of its own."""
    sending = ReviewEvent.objects.filter(claim=OuterRef("pk"), action__in=SENDING_ACTIONS).order_by(
        "-created_at", "-id"
    )
    name = Coalesce(
        NullIf(Trim(Concat("author__first_name", Value(" "), "author__last_name")), Value("")),
        "author__username",
    )
    return claims.annotate(
        sent_action=Subquery(sending.values("action")[:1]),
        sent_at=Subquery(sending.values("created_at")[:1]),
        sent_comment=Subquery(sending.values("comment")[:1]),
        sent_by=Subquery(sending.annotate(name=name).values("name")[:1]),
    )


def review_requests(claims: list[Claim]) -> dict[int, ReviewRequest]:
    """Each claim's review request, from ``with_sender``'s annotations, its live version's kind
    and its stored independence (selected with it); a claim with no stored block is assessed
    here (four queries for all of them, only then)."""
    stronger: dict[int, bool] = {}
    unstored = []
    for claim in claims:
        stored = getattr(claim, "stored_independence", None)
        if stored is None:
            unstored.append(claim)
        else:
            stronger[claim.pk] = bool(orjson.loads(stored.desk).get("stronger_than_evidence"))
    for pk, assessment in assess_claims(unstored).items():
        stronger[pk] = assessment.stronger_than_evidence
    return {
        claim.pk: ReviewRequest(
            kind=review_kind(
                claim.state, claim.live_version.kind if claim.live_version_id else None
            ),
            sent_by=claim.sent_by or "",
            sent_at=claim.sent_at,
            sent_action=claim.sent_action or "",
            comment=claim.sent_comment or "",
            stronger_than_evidence=stronger[claim.pk],
        )
        for claim in claims
    }


def _mine(user) -> Q:
    return Q(assignee=user)


def awaiting_an_editor() -> Q:
    """A claim in review, or one whose public verdict its working copy no longer gives (a
    fact-checker moved it back to unverified or in progress: a withdrawal request, until an
    editor withdraws it or a new verdict is sent to review)."""
    no_verdict = [s for s in ConfirmationState if not s.is_verdict]
    return Q(review_state=ReviewState.IN_REVIEW) | (verdict_in_force_q() & Q(state__in=no_verdict))


def queue_querysets(user) -> dict[str, QuerySet[Claim]]:
    """The role's queues as claim querysets (each annotated with its review status): an editor's
    "awaiting your review" (``awaiting_an_editor``, oldest first), a fact-checker's "assigned to me", "sent back to me"
    (a claim sent back counts as the fact-checker's when it is assigned to them, or unassigned
    and submitted by them) and "in progress"."""
    claims = Claim.objects.with_review_status().select_related("article", "assignee")
    queues = {}
    if is_editor(user):
        queues["review"] = (
            with_sender(claims.filter(awaiting_an_editor()))
            .select_related("live_version", "stored_independence")
            .order_by("last_review_at", "pk")
        )
    if is_fact_checker(user):
        submitted_by_me = Exists(
            ReviewEvent.objects.filter(
                claim=OuterRef("pk"), author=user, action=ReviewAction.SUBMIT
            )
        )
        queues["assigned"] = (
            claims.filter(_mine(user), review_state=ReviewState.DRAFT)
            .exclude(sent_back=True)
            .order_by("updated_at", "pk")
        )
        queues["sent_back"] = (
            claims.filter(sent_back=True)
            .filter(_mine(user) | Q(assignee__isnull=True) & submitted_by_me)
            .order_by("last_review_at", "pk")
        )
        queues["in_progress"] = claims.filter(
            _mine(user) | Q(assignee__isnull=True), state=ConfirmationState.IN_PROGRESS
        ).order_by("updated_at", "pk")
    return queues


QUEUE_TITLES = {
    "review": "Awaiting your review",
    "assigned": "Assigned to me",
    "sent_back": "Sent back to me",
    "in_progress": "In progress",
}


def desk_queues(user) -> list[dict]:
    """Each of the role's queues with its title, count and first claims (two queries a queue);
    the claims awaiting review carry their ``review_request`` (no more queries)."""
    queues = []
    for key, queryset in queue_querysets(user).items():
        claims = list(queryset[:QUEUE_LENGTH])
        if key == "review":
            requests = review_requests(claims)
            for claim in claims:
                claim.review_request = requests[claim.pk]
        queues.append(
            {"key": key, "title": QUEUE_TITLES[key], "count": queryset.count(), "claims": claims}
        )
    return queues


def queue_counts(user) -> list[dict]:
    """The queues' counts for the navigation, in one query."""
    queues = queue_querysets(user)
    if not queues:
        return []
    counts = Claim.objects.with_review_status().aggregate(
        **{
            key: Count("pk", filter=Q(pk__in=queryset.values("pk")))
            for key, queryset in queues.items()
        }
    )
    return [{"key": key, "title": QUEUE_TITLES[key], "count": counts[key]} for key in queues]
