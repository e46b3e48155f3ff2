"""Building the read model's rows from the frozen versions, and nothing else.

``claim_rows`` and ``article_rows`` compute what the public reads of some claims and articles
from their live ``PublishedVersion`` (with the sources it froze), its ``PublishedEvidence`` and
the article's live ``ArticleVersion``: the API's JSON, the ClaimReview and the status pages'
blocks, rendered once here rather than on every read. The projections they render are unsaved
``Claim``/``Article``/``Evidence``/``Source`` objects, so the templates and the ClaimReview
render the one shape they render for the desk.
"""

import datetime as dt
from collections import defaultdict

import orjson
from django.conf import settings
from django.template import Context
from django.template.loader import get_template
from django.template.loader_tags import BlockNode

from sources.models import Outlet, Source, SourceSnapshot
from sources.provenance import Node, ProvenanceGraph

from ..claimreview import claim_review, has_claim_review
from ..corroboration import CitedSource, assess
from ..independence import independence_block
from ..models import (
    Article,
    ArticleVersion,
    Claim,
    ConfirmationState,
    Evidence,
    PublishedEvidence,
    VersionKind,
)
from ..visibility import public_claim

LABELS = {s.value: s.label for s in ConfirmationState}
PAGE_BLOCKS = ("title", "description", "content")


def dumps(data) -> str:
    """JSON as the API renders it (common.api.renderers)."""
    return orjson.dumps(
        data, default=str, option=orjson.OPT_UTC_Z | orjson.OPT_NON_STR_KEYS
    ).decode()


# -- projections of the frozen copies -------------------------------------------------------------


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def outlet_object(frozen: dict | None) -> Outlet | None:
    if not frozen:
        return None
    return Outlet(
        pk=frozen["id"], name=frozen["name"], kind=frozen["kind"], homepage=frozen["homepage"]
    )


def article_object(version: ArticleVersion, created_at) -> Article:
    """The article as the public reads it: its approved version, with the slug and outlet that
    version froze. Unsaved."""
    article = Article(
        pk=version.article_id,
        slug=version.slug,
        headline=version.headline,
        byline=version.byline,
        url=version.url,
        published_on=version.published_on,
        text=version.text,
        live_version=version,
    )
    article.outlet = outlet_object(version.frozen_outlet)
    article.created_at, article.updated_at = created_at, version.approved_at
    return article


def source_object(source_id: int, frozen: dict) -> Source:
    source = Source(
        pk=source_id,
        title=frozen["title"],
        kind=frozen["kind"],
        author=frozen["author"],
        url=frozen["url"],
        archived_url=frozen["archived_url"],
        published_on=_date(frozen["published_on"]),
        on_record=frozen["on_record"],
    )
    source.outlet = outlet_object(frozen["outlet"])
    return source


def snapshot_object(source_id: int, frozen: dict) -> SourceSnapshot | None:
    snapshot = frozen.get("snapshot")
    if not snapshot:
        return None
    fetched = dt.datetime.fromisoformat(snapshot["fetched_at"]) if snapshot["fetched_at"] else None
    return SourceSnapshot(
        pk=snapshot["id"], source_id=source_id, fetched_at=fetched, sha256=snapshot["sha256"]
    )


def graph_of(frozen: dict) -> ProvenanceGraph:
    """The provenance of the cited sources as the approval froze it (no query)."""
    graph = ProvenanceGraph()
    for key, source in frozen.get("sources", {}).items():
        pk = int(key)
        outlet = source["outlet"]["name"] if source["outlet"] else ""
        graph.nodes[pk] = Node(
            pk,
            source["title"],
            source["kind"],
            source["on_record"],
            outlet,
            not source["derived_from"],
        )
        if source["derived_from"]:
            graph.parents[pk] = set(source["derived_from"])
    graph.ancestry = {
        int(s): {int(a): d for a, d in lineage.items()}
        for s, lineage in frozen.get("ancestry", {}).items()
    }
    return graph


class Frozen:
    """One claim's public version with everything frozen beside it, projected."""

    def __init__(self, stored: Claim, article: Article, evidence_rows: list[PublishedEvidence]):
        live = stored.live_version
        self.stored, self.live = stored, live
        self.claim = public_claim(stored, article=article)
        self.frozen = live.frozen_sources or {}
        sources = self.frozen.get("sources", {})
        self.graph = graph_of(self.frozen)
        self.evidence: list[Evidence] = []
        for row in evidence_rows:
            item = Evidence(
                pk=row.evidence_id,
                claim_id=stored.pk,
                stance=row.stance,
                excerpt=row.excerpt,
                note=row.note,
                own_reporting=row.own_reporting,
            )
            item.source = source_object(
                row.source_id, sources.get(str(row.source_id)) or _missing(row)
            )
            item.frozen_origin_ids = list(row.origin_ids)
            item.frozen_row_id = row.pk
            self.evidence.append(item)
        self.named = {
            e.pk: tuple(e.frozen_origin_ids) for e in self.evidence if e.frozen_origin_ids
        }
        cited = [
            CitedSource(
                e.source_id,
                e.source.title,
                e.stance,
                self.named.get(e.pk, ()),
                own_reporting=e.own_reporting,
            )
            for e in self.evidence
        ]
        self.assessment = assess(self.claim.state, cited, self.graph, self.claim.about)

    @property
    def withdrawn(self) -> bool:
        return self.live.kind == VersionKind.WITHDRAWAL

    def source_ids(self) -> set[int]:
        """Every source this public claim shows: cited, or rested on."""
        return {int(k) for k in self.frozen.get("sources", {})} if not self.withdrawn else set()


def _missing(row: PublishedEvidence) -> dict:
    """A version approved before sources were frozen with it, and not backfilled: its source is
    named by its id only (never read from the working copy)."""
    return {
        "title": f"Source #{row.source_id}", "kind": "", "outlet": None, "author": "", "url": "",
        "archived_url": "", "published_on": None, "on_record": True, "derived_from": [],
    }  # fmt: skip


def load(claim_ids) -> dict[int, Frozen]:
    """The public versions of these claims, projected: three queries (the claims with their live
    versions and articles' live versions, the frozen evidence)."""
    stored = list(
        Claim.objects.filter(pk__in=list(claim_ids), live_version__isnull=False).select_related(
            "live_version__article_version__article__live_version"
        )
    )
    articles: dict[int, Article] = {}
    for claim in stored:
        approved_in = claim.live_version.article_version.article
        if approved_in.pk not in articles:
            articles[approved_in.pk] = article_object(
                approved_in.live_version, approved_in.created_at
            )
    versions = [c.live_version_id for c in stored if c.live_version.kind != VersionKind.WITHDRAWAL]
    rows: dict[int, list[PublishedEvidence]] = defaultdict(list)
    for row in PublishedEvidence.objects.filter(version_id__in=versions).order_by("stance", "id"):
        rows[row.version_id].append(row)
    return {
        c.pk: Frozen(
            c,
            articles[c.live_version.article_version.article_id],
            rows.get(c.live_version_id, []),
        )
        for c in stored
    }


# -- the API's JSON ----------------------------------------------------------------------------------


def _outlet_summary(outlet: Outlet | None) -> dict | None:
    return {"id": outlet.pk, "name": outlet.name, "kind": outlet.kind} if outlet else None


def claim_api(item: Frozen) -> dict:
    """The claim as the API serves it to the public (claims.api.representation's shape), without
    its links."""
    claim, live = item.claim, item.live
    article = claim.article
    return {
        "id": claim.pk,
        "article": {
            "id": article.pk,
            "slug": article.slug,
            "headline": article.headline,
            "outlet": _outlet_summary(article.outlet),
            "url": article.url,
            "published_on": article.published_on,
        },
        "wording": claim.wording,
        "quote": claim.quote,
        "quote_start": claim.quote_start,
        "quote_end": claim.quote_end,
        "anchor_intact": bool(claim.anchor_intact),
        "claimant": claim.claimant,
        "about": claim.about,
        "state": claim.state,
        "state_label": LABELS[claim.state],
        "rationale": claim.rationale,
        "review_state": "published",
        "published_at": live.approved_at,
        "first_published_at": item.stored.first_published_at,
        "assignee": None,
        "version": live.number,
        "created_at": item.stored.created_at,
        "updated_at": live.approved_at,
        "evidence": [
            {
                "id": e.pk,
                "stance": e.stance,
                "excerpt": e.excerpt,
                "note": e.note,
                "origins": list(e.frozen_origin_ids),
                "own_reporting": e.own_reporting,
                "source": {
                    "id": e.source.pk,
                    "title": e.source.title,
                    "kind": e.source.kind,
                    "outlet": _outlet_summary(e.source.outlet),
                    "author": e.source.author,
                    "url": e.source.url,
                    "archived_url": e.source.archived_url,
                    "published_on": e.source.published_on,
                    "on_record": e.source.on_record,
                },
            }
            for e in item.evidence
        ],
        "independence": independence_block(item.assessment),
        "publication": {
            "version": live.number,
            "kind": live.kind,
            "approved_at": live.approved_at,
            "correction": live.correction,
            "withdrawn": item.withdrawn,
            "differs": [],
        },
    }


def claimreview_tail(item: Frozen) -> str:
    """The claim's ClaimReview after its ``url`` (which carries the site's address), or ""."""
    if not has_claim_review(item.claim):
        return ""
    review = claim_review(item.claim, base_url="")
    for key in ("@context", "@type", "@id", "url"):
        review.pop(key)
    return dumps(review)


def article_api(article: Article) -> dict:
    from ..api.serializers import ArticleSerializer

    data = dict(ArticleSerializer(article, context={"request": None}).data)
    data.pop("links")
    return data


def source_api(source_id: int, frozen: dict, updated_at) -> dict:
    return {
        "id": source_id,
        "title": frozen["title"],
        "kind": frozen["kind"],
        "outlet": frozen["outlet"]["id"] if frozen["outlet"] else None,
        "author": frozen["author"],
        "url": frozen["url"],
        "archived_url": frozen["archived_url"],
        "published_on": frozen["published_on"],
        "on_record": frozen["on_record"],
        "derived_from": list(frozen["derived_from"]),
        "created_at": frozen.get("created_at"),
        "updated_at": updated_at,
    }


# -- the status pages' blocks ------------------------------------------------------------------------


def render_blocks(template_name: str, context: dict) -> dict[str, str]:
    """The blocks of a status page's template rendered for a signed-out reader (the base layout,
    with the reader's sign-in link, is rendered around them on each read)."""
    template = get_template(template_name).template
    ctx = Context({"desk": False, "user": None, "request": None, **context}, autoescape=True)
    blocks = {}
    with ctx.bind_template(template):
        for node in template.nodelist.get_nodes_by_type(BlockNode):
            if node.name in PAGE_BLOCKS:
                blocks[node.name] = node.nodelist.render(ctx)
    return blocks


def claim_page_blocks(item: Frozen) -> dict[str, str]:
    from ..pages.objects import claim_page_of

    page = claim_page_of(item)
    return render_blocks(
        "claims/claim.html",
        {
            "page": page,
            "claim": page.claim,
            "review_steps": [],
            "posted": {},
            "claim_review": None,
            "snapshot_copies": settings.PUBLIC_SNAPSHOTS,
        },
    )


def article_page_blocks(article: Article, items: list[Frozen]) -> dict[str, str]:
    from ..pages.objects import article_page_of

    page = article_page_of(article, items)
    return render_blocks("claims/article.html", {"page": page})
