"""The status pages' page objects: what each page shows, assembled from claims.selectors.

Each builder reads through the selectors (a fixed number of queries whatever the size) and
returns plain objects the templates render; no query runs from a template.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property

from django.core.paginator import Page, Paginator

from claims.corroboration import Assessment, CitedSource, SharedOrigin, assess, named_origins
from claims.models import Article, Claim, ConfirmationState, Evidence, PublishedVersion, Stance
from claims.selectors import (
    DASHBOARD_PAGE_SIZE,
    DashboardFilters,
    Lineage,
    PublicComparison,
    StateCount,
    TimelineEntry,
    compare_with_public,
    count_name,
    dashboard_articles,
    last_activity_expression,
    lineages_from,
    public_dashboard_articles,
    published_versions,
    status_timeline,
    version_entry,
    with_progress,
)
from claims.visibility import (
    is_desk_member,
    public_article,
    visible_claims,
)
from sources.models import Outlet, Source, SourceSnapshot
from sources.provenance import ProvenanceGraph, provenance_graph
from sources.selectors import latest_snapshots

INDEPENDENCE = {
    "several": "Stands on two or more independent origins",
    "single": "Rests on a single on-record origin",
    "unnamed": "Rests on unnamed sources only",
    "none": "Nothing supports it yet",
}


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


def dashboard_page(user, filters: DashboardFilters, number) -> Page:
    """One page of the dashboard in three queries, whatever the number of articles:

    1. the count of the matching articles (no grouping: a count does not need it);
    2. the ids of the page's articles, newest activity first (one grouped query computing a
       single MAX per article: ordering needs every article's last activity);
    3. those articles with their claims counted by state (the grouped counts for this page's
       rows only, not for every article).
    """
    if not is_desk_member(user):
        return _public_dashboard_page(filters, number)
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
    desk = is_desk_member(user)
    page.object_list = [article_progress(a, public=not desk) for a in rows]
    return page


def _public_dashboard_page(filters: DashboardFilters, number) -> Page:
    """The public's dashboard: the read model's article rows (claims.public), which hold their
    counts; two queries (the count, the page)."""
    rows = public_dashboard_articles(filters).order_by("-last_activity", "-id")
    page = Paginator(rows, DASHBOARD_PAGE_SIZE).get_page(number)
    page.object_list = [_public_progress(row) for row in page.object_list]
    return page


def _public_progress(row) -> ArticleProgress:
    article = Article(
        pk=row.id,
        slug=row.slug,
        headline=row.headline,
        byline=row.byline,
        published_on=row.published_on,
    )
    article.outlet = Outlet(pk=row.outlet_id, name=row.outlet_name) if row.outlet_id else None
    return ArticleProgress(
        article=article,
        counts=tuple(StateCount(s, row.state_counts.get(s.value, 0)) for s in ConfirmationState),
        total=row.total,
        needs_review=0,
        last_activity=row.last_activity,
    )


def article_progress(article: Article, *, public: bool = False) -> ArticleProgress:
    """The row of an article annotated by with_progress (no query); the public reads the
    article's approved version."""
    return ArticleProgress(
        article=public_article(article.live_version, article) if public else article,
        counts=tuple(
            StateCount(s, getattr(article, count_name(s.value))) for s in ConfirmationState
        ),
        total=article.n_total,
        needs_review=article.n_needs_review,
        last_activity=article.last_activity,
    )


def _assess_all(claims, evidence, graph: ProvenanceGraph, named) -> dict[int, Assessment]:
    cited: dict[int, list[CitedSource]] = defaultdict(list)
    for item in evidence:
        cited[item.claim_id].append(
            CitedSource(
                item.source_id,
                item.source.title,
                item.stance,
                named.get(item.pk, ()),
                own_reporting=item.own_reporting,
            )
        )
    return {c.pk: assess(c.state, cited[c.pk], graph, c.about) for c in claims}


def _narrowed(cited):
    """The sources of the evidence that names its origins (a subquery)."""
    return cited.filter(named_origins__isnull=False).values("source_id")


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

    @property
    def independence_sentence(self) -> str:
        """The independence in words; "nothing supports it" is not "yet" for a claim the
        evidence contradicts or that has its verdict."""
        if self.independence != "none":
            return INDEPENDENCE[self.independence]
        if self.assessment.contradicting_count:
            return "Nothing supports it; evidence contradicts it"
        if self.claim.state_choice.is_verdict:
            return "No evidence supports it"
        return INDEPENDENCE["none"]

    @cached_property
    def brief_warnings(self) -> list[str]:
        """The warnings for a list (the lines of reporting beside them say which cited sources
        count once; the claim's page names the shared origins one by one)."""
        return list(self.assessment.warnings)


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
    """The article, its visible claims with their evidence and independence: six queries
    (article, claims, evidence with sources, the origins evidence names, the lineages of the
    cited sources and the links of those that name origins: joins on the provenance closure
    table) whatever the number of claims and the depth of provenance.

    The desk's: the public reads the page stored in claims.public (``article_page_of``).
    Raises Article.DoesNotExist when the article is not there or not visible to this person.
    """
    if not is_desk_member(user):
        raise Article.DoesNotExist("The public reads articles from claims.public.")
    article = Article.objects.select_related("outlet").get(slug=slug)
    claims_qs = visible_claims(user).filter(article=article)
    claims = list(claims_qs.with_anchor_status().order_by("quote_start", "quote_end", "pk"))
    for claim in claims:
        claim.article = article  # already loaded: spares a query per claim
    cited = Evidence.objects.filter(claim__in=claims_qs.values("pk"))
    evidence = list(
        cited.select_related("source__outlet").order_by("claim_id", "stance", "source__title", "pk")
    )
    return _assemble_article_page(article, claims, evidence, cited, desk=True)


def article_page_of(article: Article, items) -> ArticlePage:
    """The article page as the public reads it, from the claims' frozen public versions
    (``claims.public.build.Frozen``: the verdicts in force in this article): no query. Built
    when an editor approves, stored in the read model (claims.public)."""
    entries = []
    for item in sorted(items, key=lambda i: (i.claim.quote_start, i.claim.quote_end, i.claim.pk)):
        evidence = sorted(item.evidence, key=lambda e: (e.stance, e.source.title, e.frozen_row_id))
        assessment = _assess_all([item.claim], evidence, item.graph, item.named)[item.claim.pk]
        entries.append(ClaimEntry(item.claim, assessment, evidence))
    _mark_overlaps(entries)
    return ArticlePage(article, entries, False)


def _assemble_article_page(article, claims, evidence, cited, *, desk: bool) -> ArticlePage:
    named = named_origins(cited.values("pk"))
    narrowed = _narrowed(cited)
    graph = provenance_graph(cited.values("source_id"), links_for=narrowed)
    assessments = _assess_all(claims, evidence, graph, named)
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


@dataclass
class EvidenceEntry:
    evidence: Evidence
    lineage: Lineage
    shared: list[SharedOrigin]
    # The source's newest archived copy (its date and hash are public; the copy itself only
    # when PUBLIC_SNAPSHOTS allows).
    snapshot: SourceSnapshot | None = None

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
    versions: list[PublishedVersion] = field(default_factory=list)
    # The desk's: what the working copy says differently from the public version.
    comparison: PublicComparison | None = None

    @property
    def differences(self) -> list[str]:
        return self.comparison.labels if self.comparison else []

    @property
    def live(self) -> PublishedVersion | None:
        return self.claim.live_version

    @property
    def withdrawn(self) -> bool:
        return bool(self.live and self.live.is_withdrawal)

    @property
    def corrections(self) -> list[PublishedVersion]:
        """The public notes left by approvals of a changed verdict and by withdrawals."""
        return [v for v in self.versions if v.correction]

    @property
    def visible_timeline(self) -> list[TimelineEntry]:
        """The desk sees the whole history, its anchor moves and internal comments included; the
        public sees the published versions only (what an editor approved, when, and the
        correction notes), never the working steps, the staff's names or their discussion."""
        if self.desk:
            return list(reversed(self.timeline))
        return [version_entry(v) for v in reversed(self.versions)]

    @property
    def evidence_count(self) -> int:
        return sum(len(items) for _, items in self.groups)


def claim_page(user, pk: int) -> ClaimPage:
    """One claim with its article, its evidence by stance with each source's provenance, its
    assessment and its history: a fixed number of queries whatever the number of evidence rows
    and the depth of provenance (the public: claim, evidence, lineages and links from the
    provenance closure table, the cited sources' newest snapshots, versions; the desk adds the origins evidence names, the five of
    status_timeline and the two of compare_with_public).

    The desk's: the public reads the page stored in claims.public (``claim_page_of``). Raises
    Claim.DoesNotExist when the claim is not there or not visible to this person.
    """
    if not is_desk_member(user):
        raise Claim.DoesNotExist("The public reads claims from claims.public.")
    claim = (
        Claim.objects.with_anchor_status()
        .select_related(
            "article__outlet",
            "assignee",
            "live_version__article_version__article__live_version__outlet",
        )
        .get(pk=pk)
    )
    cited = Evidence.objects.filter(claim=claim)
    evidence = list(cited.select_related("source__outlet").order_by("source__title", "pk"))
    named = named_origins(cited.values("pk"))
    graph = provenance_graph(
        cited.values("source_id"), links_for=cited.values("source_id"), outlets=True
    )
    snapshots = latest_snapshots(cited.values("source_id"))
    assessment = _assess_all([claim], evidence, graph, named)[claim.pk]
    groups = _evidence_groups(evidence, graph, assessment, snapshots)
    timeline = status_timeline(claim)
    versions = [t.version for t in timeline if t.kind == "version"]
    comparison = compare_with_public(claim)
    return ClaimPage(claim, assessment, groups, timeline, True, versions, comparison)


def claim_page_of(item) -> ClaimPage:
    """The claim page as the public reads it, from its frozen public version
    (``claims.public.build.Frozen``), with its published versions (one query). Built when an
    editor approves or withdraws, stored in the read model (claims.public)."""
    from claims.public.build import snapshot_object

    claim = item.claim
    evidence = sorted(item.evidence, key=lambda e: (e.source.title, e.frozen_row_id))
    assessment = _assess_all([claim], evidence, item.graph, item.named)[claim.pk]
    frozen = item.frozen.get("sources", {})
    snapshots = {
        e.source_id: snapshot_object(e.source_id, frozen.get(str(e.source_id), {}))
        for e in evidence
    }
    groups = _evidence_groups(evidence, item.graph, assessment, snapshots)
    versions = published_versions(claim)
    return ClaimPage(claim, assessment, groups, [], False, versions, None)


def _evidence_groups(evidence, graph, assessment, snapshots):
    found = lineages_from(graph)
    shared_by_origin = {s.origin.id: s for s in assessment.shared}
    groups = []
    for stance in STANCE_ORDER:
        items = []
        for item in evidence:
            if item.stance != stance:
                continue
            lineage = found.get(item.source_id) or Lineage(item.source_id)
            shared = [shared_by_origin[o.id] for o in lineage.origins if o.id in shared_by_origin]
            items.append(EvidenceEntry(item, lineage, shared, snapshots.get(item.source_id)))
        groups.append((stance, items))
    return groups
