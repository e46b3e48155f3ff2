"""A claim's history as timelines: what the public reads (state changes, review steps,
published versions), and what the desk reads (with anchor moves, field and evidence edits and
the internal discussion). Each reads a fixed number of queries."""

from dataclasses import dataclass
from datetime import datetime
from itertools import pairwise

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser

from sources.models import Source

from ..models import (
    AnchorEvent,
    AnchorOutcome,
    Article,
    Claim,
    ClaimComment,
    ConfirmationState,
    Evidence,
    PublishedVersion,
    ReviewEvent,
    Stance,
    StateChange,
)


@dataclass(frozen=True)
class TimelineEntry:
    """One line of a claim's history, whatever kind of event it was."""

    # "state", "review", "version" (an approval, a load or a withdrawal); for the desk only,
    # "anchor" (a move or break), "comment", "edit" and "evidence".
    kind: str
    at: datetime
    author: AbstractBaseUser
    title: str
    text: str
    from_state: str = ""
    to_state: str = ""
    override_reason: str = ""
    version: PublishedVersion | None = None
    reason: str = ""

    @property
    def who(self) -> str:
        if self.author is None:
            return "someone (not recorded)"
        return self.author.get_full_name() or self.author.get_username()


# Events of the same moment, in the order they happen (a state change is approved, then noted).
TIMELINE_ORDER = {"state": 0, "version": 1, "review": 2, "anchor": 3, "comment": 4}


def published_versions(claim: Claim) -> list[PublishedVersion]:
    """Every version of the claim the public has read, oldest first (one query)."""
    return list(
        PublishedVersion.objects.filter(claim=claim)
        .select_related("approved_by")
        .order_by("number")
    )


def version_entry(version: PublishedVersion) -> TimelineEntry:
    return TimelineEntry(
        "version",
        version.approved_at,
        version.approved_by,
        f"Version {version.number}: {version.get_kind_display().lower()}",
        version.correction,
        to_state=version.state,
        version=version,
    )


def claim_timeline(claim: Claim) -> list[TimelineEntry]:
    """A claim's state changes, review events and published versions, oldest first (three
    queries)."""
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
            event.get_action_display()
            + (" without a second reader" if event.without_second_reader else ""),
            event.comment,
            override_reason=event.override_reason,
        )
        for event in ReviewEvent.objects.filter(claim=claim).select_related("author")
    ]
    entries += [version_entry(v) for v in published_versions(claim)]
    return sorted(entries, key=lambda e: (e.at, TIMELINE_ORDER[e.kind]))


# -- the desk's timeline of a claim (admin only): everything that happened to it, newest first

# Field edits the timeline names; the state and review state have their own events.
EDIT_FIELDS = {
    f: Claim.FIELD_LABELS[f]
    for f in ("article_id", "wording", "quote", "claimant", "rationale", "assignee_id")
}
EVIDENCE_FIELDS = {
    "source_id": "source",
    "stance": "stance",
    "excerpt": "excerpt",
    "note": "note",
    "own_reporting": "carried by its own reporting",
}


def words(text: str, limit: int = 160) -> str:
    """``text`` on one line, cut at a word boundary (never mid-word) with an ellipsis."""
    text = " ".join((text or "").split())
    if len(text) <= limit:
        return text
    cut = text[: limit + 1].rsplit(" ", 1)[0]
    return f"{cut}…"


def anchor_entries(claim: Claim) -> list[tuple[TimelineEntry, AnchorEvent]]:
    """The claim's anchor moves and breaks (an edit of the article's text), each with who saved
    the text, when, and what became of the passage; with the events themselves (one query)."""
    entries = []
    for event in AnchorEvent.objects.filter(claim=claim).select_related("author"):
        if event.outcome == AnchorOutcome.MOVED:
            text = (
                f"The article text changed; “{words(event.quote, 80)}” now stands at characters "
                f"{event.to_start}–{event.to_end} (was {event.from_start}–{event.from_end})."
            )
        else:
            text = (
                f"The article text changed and “{words(event.quote, 80)}” no longer stands in it "
                "once with its context: re-anchor the claim (the closest passage is offered on "
                "its page in the workspace)."
            )
        entry = TimelineEntry(
            "anchor", event.created_at, event.author, event.get_outcome_display(), text
        )
        entries.append((entry, event))
    return entries


def comment_entries(claim: Claim) -> list[TimelineEntry]:
    """The desk's internal discussion of the claim, with author and time (one query). Never
    public: only the desk's pages read it."""
    return [
        TimelineEntry("comment", c.created_at, c.author, "Comment", c.body)
        for c in ClaimComment.objects.filter(claim=claim).select_related("author")
    ]


def status_timeline(claim: Claim) -> list[TimelineEntry]:
    """The history the desk reads on a claim's status page, oldest first: claim_timeline's state
    changes, review steps and published versions, and the anchor moves and internal comments
    (five queries). For the desk only: it names staff and holds their discussion."""
    entries = claim_timeline(claim)
    entries += [entry for entry, _ in anchor_entries(claim)]
    entries += comment_entries(claim)
    return sorted(entries, key=lambda e: (e.at, TIMELINE_ORDER[e.kind]))


def desk_timeline(claim: Claim) -> list[TimelineEntry]:
    """One timeline for the desk: state changes, review steps, published versions, field edits
    (by label, with readable values), evidence edits, anchor moves and the internal discussion,
    newest first, each with who, when and why. A fixed number of queries."""
    entries = claim_timeline(claim)
    moves = anchor_entries(claim)
    entries += [entry for entry, _ in moves]
    entries += comment_entries(claim)
    # Field edits, from the field history: each row against the one before it.
    rows = list(claim.history.order_by("history_date", "history_id").select_related("history_user"))
    moved_to = {(event.from_start, event.to_start) for _, event in moves}
    user_ids, article_ids, edits = set(), set(), []
    for before, after in pairwise(rows):
        changed = [f for f in EDIT_FIELDS if getattr(before, f) != getattr(after, f)]
        anchor_changed = (before.quote_start, before.quote_end) != (
            after.quote_start,
            after.quote_end,
        )
        if (
            anchor_changed
            and "quote" not in changed
            and (before.quote_start, after.quote_start) not in moved_to
        ):
            changed.append("anchor")
        if not changed:
            continue
        user_ids.update(r.assignee_id for r in (before, after) if "assignee_id" in changed)
        article_ids.update(r.article_id for r in (before, after) if "article_id" in changed)
        edits.append((before, after, changed))
    users = {
        u.pk: u.get_username() for u in get_user_model().objects.filter(pk__in=user_ids - {None})
    }
    headlines = dict(Article.objects.filter(pk__in=article_ids).values_list("pk", "headline"))

    def shown(row, field):
        if field == "assignee_id":
            return users.get(row.assignee_id, "nobody") if row.assignee_id else "nobody"
        if field == "article_id":
            return f"“{words(headlines.get(row.article_id, f'#{row.article_id}'), 80)}”"
        if field == "anchor":
            return f"characters {row.quote_start}–{row.quote_end}"
        value = getattr(row, field)
        return f"“{words(value, 120)}”" if value else "(empty)"

    for before, after, changed in edits:
        labels = [EDIT_FIELDS.get(f, f) for f in changed]
        lines = [
            f"{EDIT_FIELDS.get(f, f).capitalize()}: {shown(before, f)} → {shown(after, f)}"
            for f in changed
        ]
        entries.append(
            TimelineEntry(
                "edit",
                after.history_date,
                after.history_user,
                f"Edited: {', '.join(labels)}",
                "\n".join(lines),
                reason=after.history_change_reason or "",
            )
        )
    # Evidence edits, named as such.
    stance = dict(Stance.choices)
    history = (
        Evidence.history.model.objects.filter(claim_id=claim.pk)
        .order_by("id", "history_date", "history_id")
        .select_related("history_user")
    )
    evidence_rows = list(history)
    source_ids = {r.source_id for r in evidence_rows}
    titles = dict(Source.objects.filter(pk__in=source_ids).values_list("pk", "title"))
    previous = {}
    for row in evidence_rows:
        title = f"“{words(titles.get(row.source_id, f'source #{row.source_id}'), 80)}”"
        if row.history_type == "+":
            what, text = "Evidence added", f"{title}, {stance.get(row.stance, row.stance).lower()}."
            if row.excerpt:
                text += f" Excerpt: “{words(row.excerpt, 120)}”"
            if row.own_reporting:
                text += " Carried by its own reporting."
        elif row.history_type == "-":
            what, text = (
                "Evidence removed",
                f"{title} ({stance.get(row.stance, row.stance).lower()}).",
            )
        else:
            old = previous.get(row.id)
            parts = []
            for f, label in EVIDENCE_FIELDS.items():
                if old is None or getattr(old, f) == getattr(row, f):
                    continue
                if f == "source_id":
                    parts.append(f"source: “{titles.get(old.source_id, '')}” → {title}")
                elif f == "own_reporting":
                    yes_no = {True: "yes", False: "no"}
                    parts.append(
                        f"{label}: {yes_no[old.own_reporting]} → {yes_no[row.own_reporting]}"
                    )
                elif f == "stance":
                    parts.append(
                        f"stance: {stance.get(old.stance, old.stance).lower()} → {stance.get(row.stance, row.stance).lower()}"
                    )
                else:
                    parts.append(
                        f"{label}: “{words(getattr(old, f), 80)}” → “{words(getattr(row, f), 80)}”"
                    )
            what, text = "Evidence changed", f"{title}: " + ("; ".join(parts) or "saved unchanged")
        previous[row.id] = row
        entries.append(TimelineEntry("evidence", row.history_date, row.history_user, what, text))
    return sorted(entries, key=lambda e: e.at, reverse=True)
