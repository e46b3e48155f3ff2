"""Status-page benchmarks: the article page of the big article and the dashboard, each against a
floor.

Every page goes through the whole stack in-process (Django's test client: middleware, session,
authentication, CSP, the view, the templates), signed in as a desk member (staff), so drafts and
review states count too: the heavier of the two audiences (the public sees published verdicts
only).

- article page: the big article (200 claims, 600 evidence rows) with every claim marked in its
  text, the chart, and every claim with its evidence and independence;
- dashboard: the first page (25 rows) of every article (10,000 by default) with its claims
  counted by state, newest activity first;
- floor: the same data fetched with ``.values()`` and joined into a string with escaping, without
  templates, ORM objects or middleware: what each page costs at the very least. Its queries are
  its own (nothing from the selectors, the pages' objects or claims.corroboration: each claim's
  independence is read from the block stored beside it), so that a change to the code measured
  shows in the ratio instead of on both sides of it.

Each figure is a median, and the ratio page/floor is the median of paired runs taken in turn.
"""

from html import escape

import orjson
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Count, Exists, F, Max, OuterRef, Q
from django.db.models.functions import Coalesce, Greatest
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims.models import Article, Claim, ConfirmationState, Evidence
from sources.models import Outlet

from .api import anchor_intact
from .harness import Result, paired_ratio

SECTION = "pages"
# How many times its floor a page may cost. Templates, ORM objects and middleware are what a
# floor leaves out: about 10x to 15x for the article page, whose 200 claim cards are mostly
# template work and whose independence counts the page computes where the floor reads them
# stored, and under 2x for the dashboard, whose grouped count dominates both. Beyond these a page
# has grown an N+1 (200 more queries) or a quadratic step; the query counts themselves are
# pinned by tests/pages.
TARGETS = {"article page": 20.0, "dashboard": 4.0}


def _client(dataset) -> Client:
    user = get_user_model().objects.get(username=dataset.author_username)
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    client = Client()
    client.force_login(user)
    return client


def _get(client: Client, url: str) -> bytes:
    response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered {response.status_code}: {response.content[:300]!r}")
    return response.content


# -- the floors --------------------------------------------------------------------------------


def floor_article(slug: str) -> str:
    article = (
        Article.objects.filter(slug=slug)
        .values(
            "id", "headline", "byline", "url", "published_on", "text", outlet_name=F("outlet__name")
        )
        .get()
    )
    claims = list(
        Claim.objects.filter(article_id=article["id"])
        .annotate(anchor_intact=anchor_intact())
        .order_by("quote_start", "quote_end", "id")
        .values(
            "id", "wording", "quote_start", "quote_end", "anchor_intact", "claimant", "state",
            "review_state", "rationale", "about", stored=F("stored_independence__desk"),
        )
    )  # fmt: skip
    evidence = list(
        Evidence.objects.filter(claim__article_id=article["id"])
        .order_by("claim_id", "stance", "id")
        .values(
            "id", "claim_id", "stance", "source_id", title=F("source__title"), url=F("source__url"),
            outlet=F("source__outlet__name"), on_record=F("source__on_record"),
        )
    )  # fmt: skip
    by_claim: dict[int, list[dict]] = {}
    for e in evidence:
        by_claim.setdefault(e["claim_id"], []).append(e)
    text, parts, at = article["text"], [], 0
    for c in claims:
        if c["anchor_intact"] and c["quote_start"] >= at:
            parts.append(escape(text[at : c["quote_start"]]))
            parts.append(f'<mark class="claim--{c["state"]}">')
            parts.append(escape(text[c["quote_start"] : c["quote_end"]]))
            parts.append(f"{ConfirmationState(c['state']).label}</mark>")
            at = c["quote_end"]
    parts.append(escape(text[at:]))
    listed = []
    for c in claims:
        rows = by_claim.get(c["id"], [])
        block = orjson.loads(c["stored"]) if c["stored"] else {}
        supporting = len(block.get("supporting_origins", ()))
        contradicting = len(block.get("contradicting_origins", ()))
        listed.append(
            f"<li>{c['state']} {c['review_state']} {escape(c['wording'])} {escape(c['claimant'])} "
            f"{escape(c['rationale'])} {supporting} for {contradicting} against "
            + "".join(
                f"<li>{e['stance']} {escape(e['title'])} {escape(e['url'])} {escape(e['outlet'] or '')}</li>"
                for e in rows
            )
            + "</li>"
        )  # fmt: skip
    head = f"{escape(article['headline'])} {escape(article['byline'])} {escape(article['outlet_name'] or '')}"
    return head + "".join(parts) + "".join(listed)


# The dashboard's first page: every article, newest activity first (the desk sees every claim).
DASHBOARD_ROWS = 25


def floor_dashboard() -> str:
    last_activity = Greatest("updated_at", Coalesce(Max("claims__updated_at"), "updated_at"))
    count = Article.objects.count()
    ids = list(
        Article.objects.annotate(last_activity=last_activity)
        .order_by("-last_activity", "-pk")
        .values_list("pk", flat=True)[:DASHBOARD_ROWS]
    )
    states = ConfirmationState.values
    rows = list(
        Article.objects.filter(pk__in=ids)
        .annotate(
            **{f"n_{s}": Count("claims", filter=Q(claims__state=s)) for s in states},
            n_total=Count("claims"),
            n_needs_review=Count("claims", filter=Q(claims__review_state="in_review")),
            last_activity=last_activity,
        )
        .order_by("-last_activity", "-pk")
        .values(
            "slug", "headline", "byline", "published_on", "last_activity", "n_total", "n_needs_review",
            *(f"n_{s}" for s in states), outlet_name=F("outlet__name"),
        )
    )  # fmt: skip
    totals = Claim.objects.aggregate(
        claims=Count("pk"),
        needs_review=Count("pk", filter=Q(review_state="in_review")),
        **{s: Count("pk", filter=Q(state=s)) for s in states},
    )
    outlets = list(
        Outlet.objects.filter(Exists(Article.objects.filter(outlet=OuterRef("pk"))))
        .order_by("name")
        .values_list("id", "name")
    )
    return (
        f"{count} articles, {totals['claims']} claims, {totals['needs_review']} need review "
        + " ".join(f"{totals[s]} {s}" for s in states)
        + "".join(f"<option value={i}>{escape(name)}</option>" for i, name in outlets)
        + "".join(
            f"<li>{escape(r['headline'])} {escape(r['outlet_name'] or '')} {escape(r['byline'])} "
            f"{r['published_on']} {r['last_activity']} {r['n_total']} {r['n_needs_review']} "
            + " ".join(f"{r[f'n_{s}']}" for s in states)
            + "</li>"
            for r in rows
        )
    )


# -- the run -----------------------------------------------------------------------------------


def _queries(fn) -> int:
    with CaptureQueriesContext(connection) as captured:
        fn()
    return len(captured.captured_queries)


def run(dataset, *, repeat: int) -> list[Result]:
    client = _client(dataset)
    article_url = reverse("claims:article", args=[dataset.big_article_slug])
    dashboard_url = reverse("claims:dashboard")
    big = Claim.objects.filter(article__slug=dataset.big_article_slug)
    claims, evidence = big.count(), Evidence.objects.filter(claim__in=big).count()
    articles = Article.objects.count() - 1  # the dataset's size marker is an empty article

    results = []
    pages = [
        (
            "article page",
            f"{claims} claims, {evidence} evidence rows",
            lambda: _get(client, article_url),
            lambda: floor_article(dataset.big_article_slug),
        ),
        (
            "dashboard",
            f"first page of {articles:,} articles",
            lambda: _get(client, dashboard_url),
            floor_dashboard,
        ),
    ]
    for name, what, page, floor in pages:
        queries = _queries(page)
        ratio, page_s, floor_s = paired_ratio(page, floor, repeat=repeat)
        results += [
            Result(SECTION, f"{name}: median render", page_s * 1000, "ms", note=f"{what}; staff, in-process, {queries} queries"),
            Result(SECTION, f"{name}: floor (.values(), no templates)", floor_s * 1000, "ms", note=what),
            Result(
                SECTION,
                f"{name} ÷ floor",
                ratio,
                "×",
                target=f"≤ {TARGETS[name]:g}×",
                ok=ratio <= TARGETS[name],
                note="median of paired runs",
            ),
        ]  # fmt: skip
    return results
