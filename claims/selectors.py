"""The reads that pages, the admin and the API go through."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import cached_property

from django.contrib.auth.models import AbstractBaseUser
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Coalesce, Greatest

from sources.models import Outlet, Provenance, Source, SourceKind
from sources.provenance import Origin

from .corroboration import Assessment, CitedSource, SharedOrigin, assess
from .models import (
    Article,
    Claim,
    ConfirmationState,
    CorrectionNote,
    Evidence,
    ReviewAction,
    ReviewEvent,
    ReviewState,
    Stance,
    StateChange,
)
from .visibility import is_desk_member, visible_articles, visible_claims


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


# ---------------------------------------------------------------------------------------------
# The status pages. Each page reads a fixed number of queries whatever the number of articles,
# claims, evidence rows or the depth of provenance: counts are annotated in one grouped query,
# evidence is fetched for all the page's claims at once, and provenance is walked by one
# recursive query seeded by a subquery (so no list of ids ever grows a statement).

DASHBOARD_PAGE_SIZE = 25
# A provenance graph bigger than this is drawn as the cited source and its origins only.
GRAPH_NODE_LIMIT = 24


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


@dataclass(frozen=True)
class ArticleProgress:
    """One row of the dashboard: an article and its claims counted by state."""

    article: Article
    counts: tuple[StateCount, ...]
    total: int
    needs_review: int
    last_activity: datetime

    @property
    def present(self) -> tuple[StateCount, ...]:
        return tuple(c for c in self.counts if c.count)

    @property
    def verdicts(self) -> int:
        return sum(c.count for c in self.counts if c.state.is_verdict)


def _count_name(state: str) -> str:
    return f"n_{state}"


def dashboard_articles(user, filters: DashboardFilters) -> QuerySet[Article]:
    """The articles this person may see that match the filters (no annotation: cheap to count).

    The filters are EXISTS subqueries, so they never multiply a join.
    """
    desk = is_desk_member(user)
    claims = visible_claims(user)
    articles = visible_articles(user)
    if filters.state:
        articles = articles.filter(
            Exists(claims.filter(article=OuterRef("pk"), state=filters.state))
        )
    if filters.needs_review and desk:
        articles = articles.filter(
            Exists(Claim.objects.needs_review().filter(article=OuterRef("pk")))
        )
    if filters.outlet:
        articles = articles.filter(outlet_id=filters.outlet)
    for word in filters.query.split()[:8]:
        articles = articles.filter(
            Q(headline__icontains=word)
            | Q(byline__icontains=word)
            | Q(outlet__name__icontains=word)
        )
    return articles


def _seen(user) -> Q:
    """The condition on an article's claims that makes them visible to this person."""
    return Q() if is_desk_member(user) else Q(claims__review_state=ReviewState.PUBLISHED)


def last_activity_expression(user):
    """When the article or one of its visible claims last changed."""
    seen = _seen(user)
    latest_claim = Max("claims__updated_at", filter=seen) if seen else Max("claims__updated_at")
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

    return (
        articles.select_related("outlet")
        .defer("text", "outlet__homepage")
        .annotate(
            **{_count_name(s): counted(Q(claims__state=s)) for s in ConfirmationState.values},
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


def dashboard_page(user, filters: DashboardFilters, number) -> Page:
    """One page of the dashboard in three queries, whatever the number of articles:

    1. the count of the matching articles (no grouping: a count does not need it);
    2. the ids of the page's articles, newest activity first (one grouped query computing a
       single MAX per article: ordering needs every article's last activity);
    3. those articles with their claims counted by state (the grouped counts for this page's
       rows only, not for every article).
    """
    articles = dashboard_articles(user, filters)
    page = Paginator(articles, DASHBOARD_PAGE_SIZE).get_page(number)
    if not page.paginator.count:
        page.object_list = []
        return page
    start = page.start_index() - 1
    ids = list(
        articles.annotate(last_activity=last_activity_expression(user))
        .order_by("-last_activity", "-pk")
        .values_list("pk", flat=True)[start : start + DASHBOARD_PAGE_SIZE]
    )
    rows = with_progress(user, Article.objects.filter(pk__in=ids))
    page.object_list = [article_progress(a) for a in rows]
    return page


def article_progress(article: Article) -> ArticleProgress:
    """The row of an article annotated by with_progress (no query)."""
    return ArticleProgress(
        article=article,
        counts=tuple(
            StateCount(s, getattr(article, _count_name(s.value))) for s in ConfirmationState
        ),
        total=article.n_total,
        needs_review=article.n_needs_review,
        last_activity=article.last_activity,
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
    row = visible_claims(user).aggregate(
        total=Count("pk"),
        needs_review=Count("pk", filter=Q(review_state=ReviewState.IN_REVIEW)),
        **{s: Count("pk", filter=Q(state=s)) for s in ConfirmationState.values},
    )
    return Totals(
        claims=row["total"],
        needs_review=row["needs_review"] if is_desk_member(user) else 0,
        counts=tuple(StateCount(s, row[s.value]) for s in ConfirmationState),
    )


# ---------------------------------------------------------------------------------------------
# Provenance, walked once for a whole page


@dataclass(frozen=True)
class GraphNode:
    id: int
    title: str
    kind: str
    on_record: bool
    outlet: str

    @property
    def kind_label(self) -> str:
        return SourceKind(self.kind).label if self.kind in SourceKind.values else self.kind

    def as_origin(self) -> Origin:
        return Origin(self.id, self.title, self.kind, self.on_record)


@dataclass
class Lineage:
    """What one cited source rests on, followed to its origins: nodes and "rests on" edges."""

    source_id: int
    nodes: dict[int, GraphNode] = field(default_factory=dict)
    edges: set[tuple[int, int]] = field(default_factory=set)  # (source, rests_on)

    @property
    def origins(self) -> list[GraphNode]:
        resting = {child for child, _ in self.edges}
        return sorted((n for i, n in self.nodes.items() if i not in resting), key=lambda n: n.id)


# One statement whatever the depth of provenance and the number of sources: the walk starts
# from a subquery (the page's cited sources), never from a list of ids. UNION (not UNION ALL)
# keeps it finite even if a loop ever slipped into the table. The same walk as
# sources.provenance.origins_of, which takes a list of ids in chunks of 500 instead.
_LINEAGE_SQL = """
WITH RECURSIVE lineage(start_id, node_id) AS (
    SELECT cited.id, cited.id FROM {source} AS cited WHERE cited.id IN ({seed})
    UNION
    SELECT lineage.start_id, link.rests_on_id
    FROM lineage JOIN {provenance} AS link ON link.source_id = lineage.node_id
)
SELECT lineage.start_id, node.id, node.title, node.kind, node.on_record, outlet.name,
       link.rests_on_id
FROM lineage
JOIN {source} AS node ON node.id = lineage.node_id
LEFT JOIN {outlet} AS outlet ON outlet.id = node.outlet_id
LEFT JOIN {provenance} AS link ON link.source_id = lineage.node_id
{where}
"""


def lineages(cited_source_ids: QuerySet, *, origins_only: bool = False) -> dict[int, Lineage]:
    """The lineage of every source that ``cited_source_ids`` (a ``.values("source_id")``-like
    queryset) selects, keyed by source id: one query.

    With ``origins_only`` the rows are the origins alone (enough to count independence).
    """
    seed_sql, seed_params = cited_source_ids.query.get_compiler(using=cited_source_ids.db).as_sql()
    quote = connection.ops.quote_name
    sql = _LINEAGE_SQL.format(
        source=quote(Source._meta.db_table),
        provenance=quote(Provenance._meta.db_table),
        outlet=quote(Outlet._meta.db_table),
        seed=seed_sql,
        where="WHERE link.rests_on_id IS NULL" if origins_only else "",
    )
    found: dict[int, Lineage] = {}
    with connection.cursor() as cursor:
        # Table names come from the models and the seed from the ORM's compiler, with its
        # parameters passed as parameters: nothing from a request is formatted into the SQL.
        cursor.execute(sql, seed_params)
        for start_id, node_id, title, kind, on_record, outlet, rests_on_id in cursor.fetchall():
            lineage = found.setdefault(start_id, Lineage(start_id))
            lineage.nodes.setdefault(
                node_id, GraphNode(node_id, title, kind, bool(on_record), outlet or "")
            )
            if rests_on_id is not None:
                lineage.edges.add((node_id, rests_on_id))
    return found


def _origins(found: dict[int, Lineage]) -> dict[int, list[Origin]]:
    return {i: [n.as_origin() for n in lineage.origins] for i, lineage in found.items()}


def _assess_all(claims, evidence, origins) -> dict[int, Assessment]:
    cited: dict[int, list[CitedSource]] = defaultdict(list)
    for item in evidence:
        cited[item.claim_id].append(CitedSource(item.source_id, item.source.title, item.stance))
    return {c.pk: assess(c.state, cited[c.pk], origins) for c in claims}


# ---------------------------------------------------------------------------------------------
# The article page


@dataclass
class ClaimEntry:
    """A claim as the pages show it: with its evidence, its assessment and its anchor status."""

    claim: Claim
    assessment: Assessment
    evidence: list[Evidence]
    overlaps: list[int] = field(default_factory=list)

    @property
    def anchor_intact(self) -> bool:
        return self.claim.anchor_is_intact

    @cached_property
    def summary_line(self) -> str:
        return first_line(self.claim.rationale)

    @cached_property
    def independence(self) -> str:
        return independence_of(self.assessment)

    @cached_property
    def brief_warnings(self) -> list[str]:
        """The warnings for a list: shared origins summed up in one line (the claim's page names
        them one by one)."""
        shared = {str(s) for s in self.assessment.shared}
        brief = [w for w in self.assessment.warnings if w not in shared]
        if shared:
            n = len(shared)
            brief.append(
                f"{n} origin{'s are' if n > 1 else ' is'} shared by several cited sources, "
                "which count once."
            )
        return brief


def first_line(text: str, limit: int = 220) -> str:
    """The first non-empty line of ``text``, cut at a word near ``limit`` characters."""
    for line in text.strip().splitlines():
        line = line.strip()
        if len(line) > limit:
            cut = line[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:.")
            return f"{cut}…"
        if line:
            return line
    return ""


@dataclass
class ArticlePage:
    article: Article
    entries: list[ClaimEntry]
    desk: bool

    @property
    def counts(self) -> tuple[StateCount, ...]:
        tally = Counter(e.claim.state for e in self.entries)
        return tuple(StateCount(s, tally[s.value]) for s in ConfirmationState if tally[s.value])

    @property
    def broken(self) -> list[ClaimEntry]:
        return [e for e in self.entries if not e.anchor_intact]

    @property
    def highlighted(self) -> list[ClaimEntry]:
        return [e for e in self.entries if e.anchor_intact]

    @property
    def independence(self) -> dict[str, list[ClaimEntry]]:
        """The claims grouped by how many independent origins support them."""
        groups: dict[str, list[ClaimEntry]] = {
            "several": [],
            "single": [],
            "unnamed": [],
            "none": [],
        }
        for entry in self.entries:
            groups[entry.independence].append(entry)
        return groups


def independence_of(assessment: Assessment) -> str:
    """ "several" independent origins (one at least on the record), a "single" on-record
    origin, "unnamed" sources only, or "none" (nothing supports it)."""
    supporting = assessment.supporting
    if not supporting:
        return "none"
    if not any(o.on_record for o in supporting):
        return "unnamed"
    return "several" if len(supporting) >= 2 else "single"


def article_page(user, slug: str) -> ArticlePage:
    """The article, its visible claims with their evidence and independence: four queries
    (article, claims, evidence with sources, provenance) whatever the number of claims.

    Raises Article.DoesNotExist when the article is not there or not visible to this person.
    """
    desk = is_desk_member(user)
    article = Article.objects.select_related("outlet").get(slug=slug)
    claims_qs = visible_claims(user).filter(article=article)
    claims = list(claims_qs.with_anchor_status().order_by("quote_start", "quote_end", "pk"))
    if not claims and not desk:
        raise Article.DoesNotExist(f"No published verdict on “{slug}” yet.")
    for claim in claims:
        claim.article = article  # already loaded: spares a query per claim
    cited = Evidence.objects.filter(claim__in=claims_qs.values("pk"))
    evidence = list(
        cited.select_related("source__outlet").order_by("claim_id", "stance", "source__title", "pk")
    )
    origins = _origins(lineages(cited.values("source_id"), origins_only=True))
    assessments = _assess_all(claims, evidence, origins)
    by_claim: dict[int, list[Evidence]] = defaultdict(list)
    for item in evidence:
        by_claim[item.claim_id].append(item)
    entries = [ClaimEntry(c, assessments[c.pk], by_claim[c.pk]) for c in claims]
    _mark_overlaps(entries)
    return ArticlePage(article, entries, desk)


def _mark_overlaps(entries: list[ClaimEntry]) -> None:
    """Note, for each intact claim, the claims whose passages share characters with its own."""
    spans = sorted(
        (e for e in entries if e.anchor_intact), key=lambda e: (e.claim.quote_start, e.claim.pk)
    )
    for i, entry in enumerate(spans):
        for other in spans[i + 1 :]:
            if other.claim.quote_start >= entry.claim.quote_end:
                break
            entry.overlaps.append(other.claim.pk)
            other.overlaps.append(entry.claim.pk)


# ---------------------------------------------------------------------------------------------
# The claim page


STANCE_ORDER = [Stance.SUPPORTS, Stance.CONTRADICTS, Stance.CONTEXT]
PUBLIC_REVIEW_STEPS = {
    ReviewAction.APPROVE.label,
    ReviewAction.REOPEN.label,
    ReviewAction.WITHDRAW.label,
}


@dataclass
class EvidenceEntry:
    evidence: Evidence
    lineage: Lineage
    shared: list[SharedOrigin]

    @property
    def source(self) -> Source:
        return self.evidence.source

    @property
    def shared_notes(self) -> list[str]:
        """Each origin this source shares with other cited sources, named from its side."""
        this, notes = self.source.title, []
        for shared in self.shared:
            origin = shared.origin.title
            others = [t for t in shared.source_titles if t not in (this, origin)]
            listed = _quoted(others)
            if origin == this:
                notes.append(f"It is the origin of {listed}, also cited: they count once.")
            elif origin in shared.source_titles:
                also = f", as {listed} also do" if others else ""
                notes.append(f"Rests on “{origin}”, which is cited too{also}: they count once.")
            else:
                notes.append(f"Shares its origin “{origin}” with {listed}: they count once.")
        return notes


def _quoted(titles: list[str]) -> str:
    items = [f"“{t}”" for t in titles]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


@dataclass
class ClaimPage:
    claim: Claim
    assessment: Assessment
    groups: list[tuple[Stance, list[EvidenceEntry]]]
    timeline: list[TimelineEntry]
    desk: bool

    @property
    def corrections(self) -> list[TimelineEntry]:
        return [t for t in self.timeline if t.kind == "correction"]

    @property
    def visible_timeline(self) -> list[TimelineEntry]:
        """Staff see the whole history. The public sees the state changes, the corrections and
        when the verdict was published, reopened or withdrawn, without the desk's internal
        review comments (the reason for a reopening is its public correction note)."""
        if self.desk:
            return self.timeline
        return [
            replace(t, text="", override_reason="") if t.kind == "review" else t
            for t in self.timeline
            if t.kind != "review" or t.title in PUBLIC_REVIEW_STEPS
        ]

    @property
    def evidence_count(self) -> int:
        return sum(len(items) for _, items in self.groups)


def claim_page(user, pk: int) -> ClaimPage:
    """One claim with its article, its evidence by stance with each source's provenance, its
    assessment and its history: six queries (claim, evidence, provenance, and the three of
    claim_timeline) whatever the number of evidence rows and the depth of provenance.

    Raises Claim.DoesNotExist when the claim is not there or not visible to this person.
    """
    claim = (
        visible_claims(user)
        .with_anchor_status()
        .select_related("article__outlet", "assignee")
        .get(pk=pk)
    )
    cited = Evidence.objects.filter(claim=claim)
    evidence = list(cited.select_related("source__outlet").order_by("source__title", "pk"))
    found = lineages(cited.values("source_id"))
    assessment = _assess_all([claim], evidence, _origins(found))[claim.pk]
    shared_by_origin = {s.origin.id: s for s in assessment.shared}
    groups = []
    for stance in STANCE_ORDER:
        items = []
        for item in evidence:
            if item.stance != stance:
                continue
            lineage = found.get(item.source_id) or Lineage(item.source_id)
            shared = [shared_by_origin[o.id] for o in lineage.origins if o.id in shared_by_origin]
            items.append(EvidenceEntry(item, lineage, shared))
        groups.append((stance, items))
    return ClaimPage(claim, assessment, groups, claim_timeline(claim), is_desk_member(user))
