"""API benchmarks: the claims list against a floor and a naive version, deep pages, feed memory.

Every request goes through the whole stack in-process (Django's test client: middleware,
authentication, throttling, DRF, rendering), as a desk member with a token, so drafts count too.

- floor: the same JSON for the same page, built from hand-written ``.values()`` queries and
  orjson, with no framework: what the page costs at the very least. Its queries and joins are its
  own (nothing from claims.api, the selectors or claims.corroboration), so that a change to the
  code measured shows in the ratio instead of on both sides of it;
- naive: a DRF nested ModelSerializer without select_related or prefetch_related (the N+1 a
  first version would have), with the same fields;
- deep page: the 1,000th page of 100 against the first (cursor pagination);
- feed: the peak of Python memory while the ClaimReview feed of every published verdict is
  streamed and read to its end.
"""

import orjson
from django.contrib.auth import get_user_model
from django.db.models import BooleanField, ExpressionWrapper, F, Q
from django.db.models.functions import Substr
from django.test import Client
from rest_framework import serializers
from rest_framework.pagination import Cursor
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from accounts.models import ApiToken
from claims.api.representation import claim_rows, represent
from claims.api.views import ClaimViewSet
from claims.corroboration import assess_claim
from claims.models import (
    Article,
    Claim,
    ConfirmationState,
    Evidence,
    EvidenceOrigin,
    PublishedEvidence,
)
from claims.public.memory import SERVED
from common.api.pagination import StableCursorPagination
from sources.models import Outlet, Source

from .harness import Result, paired_ratio, peak_python_memory

PAGE = 100
BASE = "http://testserver"


def _client(dataset) -> Client:
    user = get_user_model().objects.get(username=dataset.author_username)
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    _, key = ApiToken.objects.create_key(user=user, name="benchmark")
    return Client(HTTP_AUTHORIZATION=f"Token {key}")


def _get(client, url) -> bytes:
    response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered {response.status_code}: {response.content[:300]!r}")
    return b"".join(response.streaming_content) if response.streaming else response.content


# -- the floor: the same page, hand-built ----------------------------------------------------------


# What a published version freezes of a claim, compared with the working copy for the desk.
FROZEN = ("wording", "quote", "quote_start", "quote_end", "claimant", "about", "state", "rationale")


def anchor_intact():
    """The quote still stands at its offsets in the article's text (SUBSTR is 1-based)."""
    return ExpressionWrapper(
        Q(quote=Substr("article__text", F("quote_start") + 1, F("quote_end") - F("quote_start"))),
        output_field=BooleanField(),
    )


def named_by(evidence_ids) -> dict[int, tuple[int, ...]]:
    named: dict[int, list[int]] = {}
    for evidence_id, origin_id in (
        EvidenceOrigin.objects.filter(evidence_id__in=evidence_ids)
        .order_by("origin_id")
        .values_list("evidence_id", "origin_id")
    ):
        named.setdefault(evidence_id, []).append(origin_id)
    return {e: tuple(o) for e, o in named.items()}


def differences(claims: list[dict], evidence: list[dict], named: dict) -> None:
    """What each working copy says differently from its public version (one query)."""
    live_ids = [c["live_version_id"] for c in claims if c["live_version_id"] is not None]
    frozen: dict[int, set] = {v: set() for v in live_ids}
    for version_id, *row, origin_ids in PublishedEvidence.objects.filter(
        version_id__in=live_ids
    ).values_list(
        "version_id", "source_id", "stance", "excerpt", "note", "own_reporting", "origin_ids"
    ):
        frozen[version_id].add((*row, tuple(sorted(origin_ids))))
    working: dict[int, set] = {}
    for e in evidence:
        working.setdefault(e["claim_id"], set()).add(
            (
                e["source_id"],
                e["stance"],
                e["excerpt"],
                e["note"],
                e["own_reporting"],
                named.get(e["id"], ()),
            )
        )
    for c in claims:
        if c["live_version_id"] is None:
            c["differs"] = []
            continue
        differs = ["article"] if c["p_article_id"] != c["a_id"] else []
        moved_only = c["live_quote"] == c["quote"] and not differs
        differs += [
            f
            for f in FROZEN
            if c[f"live_{f}"] != c[f] and not (moved_only and f in ("quote_start", "quote_end"))
        ]
        if frozen[c["live_version_id"]] != working.get(c["id"], set()):
            differs.append("evidence")
        c["differs"] = differs


def floor_page() -> bytes:
    claims = list(
        Claim.objects.annotate(anchor_intact=anchor_intact())
        .order_by("-id")
        .values(
            "id", "wording", "quote", "quote_start", "quote_end", "anchor_intact", "claimant", "state",
            "rationale", "review_state", "published_at", "first_published_at", "version",
            "created_at", "updated_at", "assignee__username", "about", "live_version_id",
            a_id=F("article_id"), a_slug=F("article__slug"), a_headline=F("article__headline"),
            a_url=F("article__url"), a_published_on=F("article__published_on"),
            o_id=F("article__outlet_id"), o_name=F("article__outlet__name"), o_kind=F("article__outlet__kind"),
            stored=F("stored_independence__desk"),
            p_number=F("live_version__number"), p_kind=F("live_version__kind"),
            p_approved_at=F("live_version__approved_at"), p_correction=F("live_version__correction"),
            p_article_id=F("live_version__article_version__article_id"),
            **{f"live_{name}": F(f"live_version__{name}") for name in FROZEN},
        )[: PAGE + 1]
    )  # fmt: skip
    ids = [c["id"] for c in claims]
    evidence = list(
        Evidence.objects.filter(claim_id__in=ids)
        .order_by("stance", "id")
        .values(
            "id", "claim_id", "stance", "excerpt", "note", "source_id", "own_reporting",
            s_title=F("source__title"), s_kind=F("source__kind"), s_author=F("source__author"),
            s_url=F("source__url"), s_archived=F("source__archived_url"),
            s_published=F("source__published_on"), s_on_record=F("source__on_record"),
            so_id=F("source__outlet_id"), so_name=F("source__outlet__name"), so_kind=F("source__outlet__kind"),
        )
    )  # fmt: skip
    named = named_by([e["id"] for e in evidence])
    # What each working copy says differently from its public version: the desk's page says it.
    differences(claims[:PAGE], evidence, named)
    by_claim: dict[int, list] = {}
    for e in evidence:
        by_claim.setdefault(e["claim_id"], []).append(e)
    results = []
    for c in claims[:PAGE]:
        rows = by_claim.get(c["id"], [])
        pk = c["id"]
        # A ClaimReview while a public verdict is in force (not withdrawn), whatever the working
        # copy says meanwhile.
        published = c["live_version_id"] is not None and c["p_kind"] != "withdrawal"
        results.append(
            {
                "id": pk,
                "article": {
                    "id": c["a_id"], "slug": c["a_slug"], "headline": c["a_headline"],
                    "outlet": {"id": c["o_id"], "name": c["o_name"], "kind": c["o_kind"]} if c["o_id"] else None,
                    "url": c["a_url"], "published_on": c["a_published_on"],
                },
                "wording": c["wording"], "quote": c["quote"], "quote_start": c["quote_start"],
                "quote_end": c["quote_end"], "anchor_intact": bool(c["anchor_intact"]),
                "claimant": c["claimant"], "about": c["about"], "state": c["state"],
                "state_label": ConfirmationState(c["state"]).label, "rationale": c["rationale"],
                "review_state": c["review_state"], "published_at": c["published_at"],
                "first_published_at": c["first_published_at"], "assignee": c["assignee__username"],
                "version": c["version"], "created_at": c["created_at"], "updated_at": c["updated_at"],
                "evidence": [
                    {
                        "id": e["id"], "stance": e["stance"], "excerpt": e["excerpt"], "note": e["note"],
                        "origins": list(named.get(e["id"], ())), "own_reporting": e["own_reporting"],
                        "source": {
                            "id": e["source_id"], "title": e["s_title"], "kind": e["s_kind"],
                            "outlet": {"id": e["so_id"], "name": e["so_name"], "kind": e["so_kind"]} if e["so_id"] else None,
                            "author": e["s_author"], "url": e["s_url"], "archived_url": e["s_archived"],
                            "published_on": e["s_published"], "on_record": e["s_on_record"],
                        },
                    }
                    for e in rows
                ],
                # Stored with the claim, as the list reads it (claims.independence).
                "independence": orjson.loads(c["stored"]),
                "publication": {
                    "version": c["p_number"], "kind": c["p_kind"], "approved_at": c["p_approved_at"],
                    "correction": c["p_correction"], "withdrawn": c["p_kind"] == "withdrawal",
                    "differs": c["differs"],
                } if c["live_version_id"] else None,
                "links": {
                    "status_page": f"{BASE}/claims/{pk}/", "admin": f"{BASE}/admin/claims/claim/{pk}/change/",
                    "history": f"{BASE}/api/v1/claims/{pk}/history/",
                    "claimreview": f"{BASE}/api/v1/claims/{pk}/claimreview/" if published else None,
                },
            }
        )  # fmt: skip
    return orjson.dumps(
        {"next": None, "previous": None, "results": results}, option=orjson.OPT_UTC_Z
    )


# -- the naive version: nested ModelSerializers, no select or prefetch ------------------------------


class NaiveOutlet(serializers.ModelSerializer):
    class Meta:
        model = Outlet
        fields = ["id", "name", "kind"]


class NaiveSource(serializers.ModelSerializer):
    outlet = NaiveOutlet()

    class Meta:
        model = Source
        fields = [
            "id",
            "title",
            "kind",
            "outlet",
            "author",
            "url",
            "archived_url",
            "published_on",
            "on_record",
        ]


class NaiveEvidence(serializers.ModelSerializer):
    source = NaiveSource()

    class Meta:
        model = Evidence
        fields = ["id", "stance", "excerpt", "note", "source"]


class NaiveArticle(serializers.ModelSerializer):
    outlet = NaiveOutlet()

    class Meta:
        model = Article
        fields = ["id", "slug", "headline", "outlet", "url", "published_on"]


class NaiveClaim(serializers.ModelSerializer):
    article = NaiveArticle()
    evidence = NaiveEvidence(many=True)
    anchor_intact = serializers.BooleanField(source="anchor_is_intact")
    independence = serializers.SerializerMethodField()

    class Meta:
        model = Claim
        fields = [
            "id", "article", "wording", "quote", "quote_start", "quote_end", "anchor_intact", "claimant",
            "state", "rationale", "review_state", "published_at", "first_published_at", "version",
            "created_at", "updated_at", "evidence", "independence",
        ]  # fmt: skip

    def get_independence(self, claim):
        a = assess_claim(claim)
        return {"suggested_state": a.suggestion.value, "warnings": list(a.warnings)}


def naive_page() -> bytes:
    claims = Claim.objects.order_by("-id")[:PAGE]
    return orjson.dumps({"results": NaiveClaim(claims, many=True).data}, default=str)


# -- the independence block: the same list with and without it --------------------------------------


class ClaimListWithoutIndependence(ClaimViewSet):
    """The claims list exactly as served, but with the independence block left out."""

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        rows = self.paginate_queryset(claim_rows(queryset, independence=False))
        return self.get_paginated_response(represent(rows, request, independence=False))


def _list_caller(view_class, dataset):
    """Call the list view (authentication, filters, pagination, rendering; no middleware)."""
    view = view_class.as_view({"get": "list"})
    user = get_user_model().objects.get(username=dataset.author_username)
    _, token = ApiToken.objects.create_key(user=user, name="benchmark list caller")
    factory = APIRequestFactory()

    def call() -> bytes:
        request = factory.get(
            "/api/v1/claims/", {"page_size": PAGE}, HTTP_AUTHORIZATION=f"Token {token}"
        )
        response = view(request)
        response.render()
        if response.status_code != 200:
            raise RuntimeError(f"the claims list answered {response.status_code}")
        return response.content

    return call


# -- the run --------------------------------------------------------------------------------------------


def _deep_cursor_url(position_id: int) -> str:
    request = Request(APIRequestFactory().get("/api/v1/claims/", {"page_size": PAGE}))
    paginator = StableCursorPagination()
    paginator.base_url = request.build_absolute_uri()
    paginator.cursor_query_param = "cursor"
    return paginator.encode_cursor(Cursor(offset=0, reverse=False, position=position_id))


def run(dataset, *, repeat: int) -> list[Result]:
    client = _client(dataset)
    first_url = f"/api/v1/claims/?page_size={PAGE}"
    results = []

    ratio, api_s, floor_s = paired_ratio(lambda: _get(client, first_url), floor_page, repeat=repeat)
    results.append(Result("api", "claims list, 100 nested, median", api_s * 1000, "ms"))
    results.append(Result("api", "floor: .values() + orjson, median", floor_s * 1000, "ms"))
    # Issue 17's figure for the desk: its list keeps at least 0.9x the throughput of its floor
    # (the floor's time over the list's, the inverse of the time ratio).
    results.append(
        Result(
            "api", "desk's claims list: throughput / its floor's", 1 / ratio, "x", "≥ 0.9x",
            1 / ratio >= 0.9,
        )
    )  # fmt: skip

    with_block = _list_caller(ClaimViewSet, dataset)
    without_block = _list_caller(ClaimListWithoutIndependence, dataset)
    block_ratio, _, without_s = paired_ratio(with_block, without_block, repeat=repeat)
    results.append(
        Result("api", "claims list without independence, median", without_s * 1000, "ms")
    )
    results.append(
        Result(
            "api", "claims list with independence / without", block_ratio, "x", "≤ 1.2x",
            block_ratio <= 1.2, "the block stored with each claim (claims.independence)",
        )
    )  # fmt: skip

    naive_ratio, naive_s, _ = paired_ratio(
        naive_page, lambda: _get(client, first_url), repeat=max(3, repeat // 2), warmup=1
    )
    results.append(Result("api", "naive nested serializer, median", naive_s * 1000, "ms"))
    results.append(
        Result("api", "naive / claims list", naive_ratio, "x", "≥ 10x", naive_ratio >= 10)
    )

    ids = list(
        Claim.objects.order_by("-id").values_list("id", flat=True)[PAGE * 999 : PAGE * 999 + 1]
    )
    if ids:
        deep_url = _deep_cursor_url(ids[0] + 1)  # the page that starts at row 99,901
        deep = orjson.loads(_get(client, deep_url))["results"]
        if not deep or deep[0]["id"] != ids[0]:
            raise RuntimeError("the deep cursor does not land on the 1,000th page")
        deep_ratio, deep_s, _ = paired_ratio(
            lambda: _get(client, deep_url), lambda: _get(client, first_url), repeat=repeat
        )
        results.append(Result("api", "1,000th page, median", deep_s * 1000, "ms"))
        results.append(
            Result("api", "1,000th page / first page", deep_ratio, "x", "≤ 1.2x", deep_ratio <= 1.2)
        )
    else:
        results.append(
            Result(
                "api", "1,000th page", 0, "", "", None, "fewer than 100,000 claims: not measured"
            )
        )

    published = Claim.objects.published().count()
    feed_bytes = {}

    def read_feed():
        # Read it as a client does, piece by piece: holding the whole body would measure the
        # reader, not the server. Streamed from its rows: nothing of it kept before
        # (claims.public.memory keeps a feed of at most a quarter of its budget as it streams).
        SERVED.clear()
        response = client.get("/api/v1/claimreview/")
        feed_bytes["n"] = sum(len(chunk) for chunk in response.streaming_content)

    peak = peak_python_memory(read_feed)
    results.append(
        Result(
            "api", "ClaimReview feed: peak Python memory while streaming", peak / 2**20, "MB", "< 50 MB",
            peak < 50 * 2**20, f"{published:,} verdicts, {feed_bytes['n'] / 2**20:,.1f} MB of JSON-LD",
        )
    )  # fmt: skip
    return results
