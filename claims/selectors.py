"""The reads that pages, the admin and the API go through."""

from dataclasses import dataclass, field
from datetime import datetime
from itertools import pairwise

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, Exists, F, Max, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Coalesce, Greatest

from sources.models import Outlet, Source
from sources.provenance import Node, ProvenanceGraph, provenance_graph

from . import anchors
from .models import (
    AnchorEvent,
    AnchorOutcome,
    Article,
    Claim,
    ClaimComment,
    ConfirmationState,
    Evidence,
    PublishedEvidence,
    PublishedVersion,
    ReviewAction,
    ReviewEvent,
    ReviewState,
    Stance,
    StateChange,
    VersionKind,
)
from .visibility import is_desk_member, visible_articles, visible_claims


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
            event.get_action_display(),
            event.comment,
            override_reason=event.override_reason,
        )
        for event in ReviewEvent.objects.filter(claim=claim).select_related("author")
    ]
    entries += [version_entry(v) for v in published_versions(claim)]
    return sorted(entries, key=lambda e: (e.at, TIMELINE_ORDER[e.kind]))


# ---------------------------------------------------------------------------------------------
# The desk's timeline of a claim (admin only): everything that happened to it, newest first.

# Field edits the timeline names; the state and review state have their own events.
EDIT_FIELDS = {
    "article_id": "article",
    "wording": "wording",
    "quote": "quoted passage",
    "claimant": "claimant",
    "rationale": "rationale",
    "assignee_id": "assignee",
}
EVIDENCE_FIELDS = {"source_id": "source", "stance": "stance", "excerpt": "excerpt", "note": "note"}


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


# ---------------------------------------------------------------------------------------------
# The desk's queues on the admin home: what each role works from.

QUEUE_LENGTH = 25


def is_editor(user) -> bool:
    return user.is_active and user.has_perm("claims.publish_claim")


def is_fact_checker(user) -> bool:
    """Editors may change claims too, but their home is the review queue; a superuser gets both."""
    return (
        user.is_active
        and user.has_perm("claims.change_claim")
        and (user.is_superuser or not user.has_perm("claims.publish_claim"))
    )


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


# ---------------------------------------------------------------------------------------------
# The status pages. Each page reads a fixed number of queries whatever the number of articles,
# claims, evidence rows or the depth of provenance: counts are annotated in one grouped query,
# evidence is fetched for all the page's claims at once, and provenance is read by joins on the
# closure table seeded by a subquery (so no list of ids ever grows a statement).

DASHBOARD_PAGE_SIZE = 25


@dataclass(frozen=True)
class StateCount:
    state: ConfirmationState
    count: int


@dataclass(frozen=True)
class DashboardFilters:
    state: str = ""
    needs_review: bool = False
    outlet: int | None = None
    query: str = ""

    @property
    def active(self) -> bool:
        return bool(self.state or self.needs_review or self.outlet or self.query)


def _count_name(state: str) -> str:
    return f"n_{state}"


def dashboard_articles(user, filters: DashboardFilters) -> QuerySet[Article]:
    """The articles this person may see that match the filters (no annotation: cheap to count).

    The filters are EXISTS subqueries, so they never multiply a join.
    """
    desk = is_desk_member(user)
    claims = visible_claims(user) if desk else Claim.objects.live()
    articles = visible_articles(user)
    if filters.state:
        articles = articles.filter(
            Exists(claims.filter(article=OuterRef("pk"), **{state_field(user): filters.state}))
        )
    if filters.needs_review and desk:
        articles = articles.filter(
            Exists(Claim.objects.needs_review().filter(article=OuterRef("pk")))
        )
    # The public filters and searches the article as it was approved.
    shown = "" if desk else "live_version__"
    if filters.outlet:
        articles = articles.filter(**{f"{shown}outlet_id": filters.outlet})
    for word in filters.query.split()[:8]:
        articles = articles.filter(
            Q(**{f"{shown}headline__icontains": word})
            | Q(**{f"{shown}byline__icontains": word})
            | Q(**{f"{shown}outlet__name__icontains": word})
        )
    return articles


def state_field(user) -> str:
    """Where a claim's state is read: the working copy for the desk, the live version for the
    public."""
    return "state" if is_desk_member(user) else "live_version__state"


def _seen(user) -> Q:
    """The condition on an article's claims that makes them count for this person: the desk
    counts every claim, the public the verdicts in force."""
    if is_desk_member(user):
        return Q()
    return Q(claims__live_version__isnull=False) & ~Q(
        claims__live_version__kind=VersionKind.WITHDRAWAL
    )


def last_activity_expression(user):
    """When the article or one of its visible claims last changed (the public: was approved)."""
    seen = _seen(user)
    if seen:
        latest_claim = Max("claims__live_version__approved_at", filter=seen)
    else:
        latest_claim = Max("claims__updated_at")
    # COALESCE first: SQLite's MAX(a, NULL) is NULL where PostgreSQL's GREATEST skips it.
    return Greatest("updated_at", Coalesce(latest_claim, "updated_at"))


def with_progress(user, articles: QuerySet[Article]) -> QuerySet[Article]:
    """``articles`` with their visible claims counted by state, newest activity first: one
    grouped query (conditional COUNTs over one join to the claims). The article text is
    deferred: the dashboard never shows it."""
    desk, seen = is_desk_member(user), _seen(user)

    def counted(condition: Q | None = None) -> Count:
        condition = seen & (condition or Q())
        return Count("claims", filter=condition) if condition else Count("claims")

    state = f"claims__{state_field(user)}"
    return (
        articles.select_related("outlet", "live_version__outlet")
        .defer("text", "outlet__homepage", "live_version__text")
        .annotate(
            **{_count_name(s): counted(Q(**{state: s})) for s in ConfirmationState.values},
            n_total=counted(),
            n_needs_review=(
                Count("claims", filter=Q(claims__review_state=ReviewState.IN_REVIEW))
                if desk
                else Value(0)
            ),
            last_activity=last_activity_expression(user),
        )
        .order_by("-last_activity", "-pk")
    )


def dashboard_outlets(user) -> QuerySet[Outlet]:
    """The outlets of the articles this person may see, for the dashboard's filter."""
    return (
        Outlet.objects.filter(Exists(visible_articles(user).filter(outlet=OuterRef("pk"))))
        .only("pk", "name")
        .order_by("name")
    )


@dataclass(frozen=True)
class Totals:
    claims: int
    needs_review: int
    counts: tuple[StateCount, ...]

    @property
    def present(self) -> tuple[StateCount, ...]:
        return tuple(c for c in self.counts if c.count)


def claim_totals(user) -> Totals:
    """Every visible claim counted by state, and how many wait for an editor (one query)."""
    desk = is_desk_member(user)
    row = (Claim.objects.all() if desk else Claim.objects.live()).aggregate(
        total=Count("pk"),
        needs_review=Count("pk", filter=Q(review_state=ReviewState.IN_REVIEW)),
        **{s: Count("pk", filter=Q(**{state_field(user): s})) for s in ConfirmationState.values},
    )
    return Totals(
        claims=row["total"],
        needs_review=row["needs_review"] if is_desk_member(user) else 0,
        counts=tuple(StateCount(s, row[s.value]) for s in ConfirmationState),
    )


# ---------------------------------------------------------------------------------------------
# Provenance, walked once for a whole page


GraphNode = Node


@dataclass
class Lineage:
    """What one cited source rests on, followed to its origins: nodes and "rests on" edges."""

    source_id: int
    nodes: dict[int, GraphNode] = field(default_factory=dict)
    edges: set[tuple[int, int]] = field(default_factory=set)  # (source, rests_on)
    depths: dict[int, int] = field(default_factory=dict)  # source id -> shortest path length

    @property
    def origins(self) -> list[GraphNode]:
        if self.edges:  # the links were read: an origin is a node that rests on none
            resting = {child for child, _ in self.edges}
            return sorted(
                (n for i, n in self.nodes.items() if i not in resting), key=lambda n: n.id
            )
        return sorted((n for n in self.nodes.values() if n.is_origin), key=lambda n: n.id)


def lineages(cited_source_ids: QuerySet, *, origins_only: bool = False) -> dict[int, Lineage]:
    """The lineage of every source that ``cited_source_ids`` (a ``.values("source_id")``-like
    queryset) selects, keyed by source id: two joins on the provenance closure table
    (sources.provenance), whatever the depth of provenance; one with ``origins_only``, which
    leaves out the links (enough to count independence).
    """
    graph = provenance_graph(cited_source_ids, links_for=None if origins_only else cited_source_ids)
    return lineages_from(graph)


def lineages_from(graph: ProvenanceGraph) -> dict[int, Lineage]:
    return {
        source_id: Lineage(
            source_id,
            nodes={a: graph.nodes[a] for a in depths},
            edges=graph.edges(source_id),
            depths=depths,
        )
        for source_id, depths in graph.ancestry.items()
    }


# ---------------------------------------------------------------------------------------------
# The claim form's preview of a passage in its article (before the claim is saved)


def passage_preview(
    article_id: int, quote: str, *, start: int | None = None, occurrence: int | None = None
) -> anchors.Preview:
    """Where ``quote`` would be anchored in the article's text, as the claim form would anchor
    it (claims.anchors.preview: the same tolerant matching). One query. Raises
    Article.DoesNotExist."""
    text = Article.objects.values_list("text", flat=True).get(pk=article_id)
    return anchors.preview(text, quote, start=start, occurrence=occurrence)


# ---------------------------------------------------------------------------------------------
# Evidence as rows, for the API's representation and the stored independence blocks


def working_evidence(claim_ids, *fields, **expressions) -> tuple[list[dict], dict]:
    """The claims' evidence as rows (``id``, ``claim_id``, ``source_id``, ``stance``, and the
    ``fields`` and ``expressions`` asked for), by stance then id, with the origins each piece
    names (evidence id to origin ids; evidence naming none is absent). One query: the named
    origins come with it (a LEFT JOIN, one row per named origin), not in a query of their own."""
    evidence, named = [], {}
    for e in (
        Evidence.objects.filter(claim_id__in=claim_ids)
        .order_by("stance", "id", "named_origins__origin_id")
        .values(
            "id",
            "claim_id",
            "source_id",
            "stance",
            *fields,
            named_origin=F("named_origins__origin_id"),
            **expressions,
        )
    ):
        origin = e.pop("named_origin")
        if not evidence or evidence[-1]["id"] != e["id"]:
            evidence.append(e)
        if origin is not None:
            named[e["id"]] = (*named.get(e["id"], ()), origin)
    return evidence, named


def frozen_evidence(version_ids, *fields, **expressions) -> tuple[list[dict], dict]:
    """The evidence frozen in these published versions, in ``working_evidence``'s shape (``id``:
    the working row it was copied from; ``claim_id``: the version's claim), with the origins
    named when the verdict was approved, frozen with it. One query."""
    evidence = list(
        PublishedEvidence.objects.filter(version_id__in=version_ids)
        .order_by("stance", "id")
        .values(
            "source_id",
            "stance",
            "evidence_id",
            "origin_ids",
            *fields,
            frozen_claim_id=F("version__claim_id"),
            **expressions,
        )
    )
    for e in evidence:
        e["id"], e["claim_id"] = e.pop("evidence_id"), e.pop("frozen_claim_id")
    named = {e["id"]: tuple(e["origin_ids"]) for e in evidence if e["origin_ids"]}
    return evidence, named
