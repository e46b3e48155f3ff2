"""The reads that pages, the admin and the API go through."""

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser

from .models import Claim, ConfirmationState, CorrectionNote, ReviewEvent, StateChange


@dataclass(frozen=True)
class TimelineEntry:
    """One line of a claim's history, whatever kind of event it was."""

    kind: str  # "state", "review" or "correction"
    at: datetime
    author: AbstractBaseUser
    title: str
    text: str
    from_state: str = ""
    to_state: str = ""
    override_reason: str = ""


def claim_timeline(claim: Claim) -> list[TimelineEntry]:
    """A claim's state changes, review events and correction notes, oldest first (three queries)."""
    entries = [
        TimelineEntry(
            "state",
            change.created_at,
            change.author,
            f"{ConfirmationState(change.from_state).label} → {ConfirmationState(change.to_state).label}",
            change.rationale,
            change.from_state,
            change.to_state,
        )
        for change in StateChange.objects.filter(claim=claim).select_related("author")
    ]
    entries += [
        TimelineEntry(
            "review",
            event.created_at,
            event.author,
            event.get_action_display(),
            event.comment,
            override_reason=event.override_reason,
        )
        for event in ReviewEvent.objects.filter(claim=claim).select_related("author")
    ]
    entries += [
        TimelineEntry("correction", note.created_at, note.author, "Correction", note.text)
        for note in CorrectionNote.objects.filter(claim=claim).select_related("author")
    ]
    order = {"state": 0, "correction": 1, "review": 2}
    return sorted(entries, key=lambda e: (e.at, order[e.kind]))
