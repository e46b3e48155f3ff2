"""The status pages' reads of articles and their progress. Each page reads a fixed number of
queries whatever the number of articles, claims, evidence rows or the depth of provenance: counts
are annotated in one grouped query, evidence is fetched for all the page's claims at once, and
provenance is read by joins on the closure table seeded by a subquery (so no list of ids ever
grows a statement)."""

from dataclasses import dataclass

from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Greatest

from matching.engine import PUBLIC, ranked_documents
from sources.models import Outlet

from ..models import (
    Article,
    Claim,
    ConfirmationState,
    PublicArticle,
    PublicClaim,
    PublicOutlet,
    ReviewState,
    verdict_in_force_q,
)
from ..visibility import is_desk_member, visible_articles, visible_claims

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


def count_name(state: str) -> str:
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


def public_dashboard_articles(filters: DashboardFilters) -> QuerySet[PublicArticle]:
    """The public's articles (claims.public's rows: as approved) that match the filters."""
    articles = PublicArticle.objects.all()
    if filters.state:
        articles = articles.filter(
            Exists(
                PublicClaim.objects.filter(
                    article_id=OuterRef("pk"), in_force=True, state=filters.state
                )
            )
        )
    if filters.outlet:
        articles = articles.filter(outlet_id=filters.outlet)
    for word in filters.query.split()[:8]:
        articles = articles.filter(
            Q(headline__icontains=word) | Q(byline__icontains=word) | Q(outlet_name__icontains=word)
        )
    return articles


CLAIM_SEARCH_RESULTS = 10


@dataclass(frozen=True)
class PublishedMatch:
    """A published claim the dashboard's claim search found, as the public reads it."""

    claim: PublicClaim
    state: ConfirmationState
    article_headline: str  # empty when the article shows no verdict in force (withdrawn only)


def published_claims_like(text: str, *, limit: int = CLAIM_SEARCH_RESULTS) -> list[PublishedMatch]:
    """The published claims whose approved wording and quote are most similar to ``text``,
    best first (matching.engine over the read model's own index: a desk edit counts only once
    approved), each with its article's public headline. Two queries on SQLite (the ranking,
    the rows), three on PostgreSQL (its ranking takes two)."""
    ranked = [pk for _, pk, _ in ranked_documents(text, limit=limit, kinds=(PUBLIC,))]
    if not ranked:
        return []
    headline = PublicArticle.objects.filter(pk=OuterRef("article_id")).values("headline")[:1]
    rows = PublicClaim.objects.filter(pk__in=ranked).only(
        "id", "in_force", "state", "wording", "article_id", "article_slug"
    )
    found = {row.pk: row for row in rows.annotate(article_headline=Subquery(headline))}
    return [
        PublishedMatch(
            claim=found[pk],
            state=ConfirmationState(found[pk].state),
            article_headline=found[pk].article_headline or "",
        )
        for pk in ranked
        if pk in found
    ]


def state_field(user) -> str:
    """Where a claim's state is read: the working copy for the desk, the live version for the
    public."""
    return "state" if is_desk_member(user) else "live_version__state"


def _seen(user) -> Q:
    """The condition on an article's claims that makes them count for this person: the desk
    counts every claim, the public the verdicts in force."""
    if is_desk_member(user):
        return Q()
    return verdict_in_force_q("claims__")


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
            **{count_name(s): counted(Q(**{state: s})) for s in ConfirmationState.values},
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


def dashboard_outlets(user):
    """The outlets of the articles this person may see, for the dashboard's filter (the public:
    as approved)."""
    if not is_desk_member(user):
        return PublicOutlet.objects.filter(
            id__in=PublicArticle.objects.filter(outlet_id__isnull=False).values("outlet_id")
        ).only("id", "name")
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
    if desk:
        row = Claim.objects.aggregate(
            total=Count("pk"),
            needs_review=Count("pk", filter=Q(review_state=ReviewState.IN_REVIEW)),
            **{s: Count("pk", filter=Q(state=s)) for s in ConfirmationState.values},
        )
    else:
        row = PublicClaim.objects.filter(in_force=True).aggregate(
            total=Count("pk"),
            **{s: Count("pk", filter=Q(state=s)) for s in ConfirmationState.values},
        )
    return Totals(
        claims=row["total"],
        needs_review=row["needs_review"] if desk else 0,
        counts=tuple(StateCount(s, row[s.value]) for s in ConfirmationState),
    )
