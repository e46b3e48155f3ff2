"""The desk's queues on the admin home: what each role works from."""

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from ..models import Claim, ConfirmationState, ReviewAction, ReviewEvent, ReviewState
from ..permissions import is_editor, is_fact_checker

QUEUE_LENGTH = 25


def _mine(user) -> Q:
    return Q(assignee=user)


def queue_querysets(user) -> dict[str, QuerySet[Claim]]:
    """The role's queues as claim querysets (each annotated with its review status): an editor's
    "awaiting your review" (oldest first), a fact-checker's "assigned to me", "sent back to me"
    (a claim sent back counts as the fact-checker's when it is assigned to them, or unassigned
    and submitted by them) and "in progress"."""
    claims = Claim.objects.with_review_status().select_related("article", "assignee")
    queues = {}
    if is_editor(user):
        queues["review"] = claims.filter(review_state=ReviewState.IN_REVIEW).order_by(
            "last_review_at", "pk"
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
    """Each of the role's queues with its title, count and first claims (two queries a queue)."""
    return [
        {
            "key": key,
            "title": QUEUE_TITLES[key],
            "count": queryset.count(),
            "claims": list(queryset[:QUEUE_LENGTH]),
        }
        for key, queryset in queue_querysets(user).items()
    ]


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
