"""Filters, search, ordering, cursor pagination, and query counts that do not grow."""

import datetime as dt

import pytest
from django.utils import timezone

from claims import services
from claims.models import Claim, ConfirmationState
from tests.factories import (
    ArticleFactory,
    ClaimFactory,
    EvidenceFactory,
    OutletFactory,
    SourceFactory,
    make_public,
)

pytestmark = pytest.mark.django_db

S = ConfirmationState
SENTENCES = [f"Sentence number {n} says something checkable." for n in range(40)]


def article_with_claims(n: int, **article_kwargs):
    article = ArticleFactory(text=" ".join(SENTENCES[:n]), **article_kwargs)
    return [ClaimFactory(article=article, quote=SENTENCES[i]) for i in range(n)]


def ids(response):
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


@pytest.fixture
def desk(api_as, fact_checker):
    return api_as(fact_checker)


def test_filters_on_claims(desk, fact_checker, editor):
    reuters = OutletFactory(name="Reuters")
    mine = ClaimFactory(
        article=ArticleFactory(outlet=reuters), claimant="Gen. Milley", assignee=fact_checker
    )
    other = ClaimFactory(quote="Critics said it would not open before June")
    mine = services.change_state(
        claim=mine, to_state=S.DISPUTED, rationale="Conflict.", author=fact_checker
    )
    services.submit_for_review(claim=mine, author=fact_checker)
    checks = [
        ({"article": mine.article_id}, [mine.pk]),
        ({"state": "disputed"}, [mine.pk]),
        ({"state": ["disputed", "unverified"]}, sorted([mine.pk, other.pk], reverse=True)),
        ({"review_state": "in_review"}, [mine.pk]),
        ({"claimant": "Gen. Milley"}, [mine.pk]),
        ({"by_article": "true"}, [other.pk]),
        ({"assignee": fact_checker.username}, [mine.pk]),
        ({"outlet": reuters.pk}, [mine.pk]),
    ]
    for query, expected in checks:
        assert ids(desk.get("/api/v1/claims/", query)) == expected, query


def test_the_article_filter_takes_an_id_or_a_slug(api, desk):
    first = ClaimFactory(article=ArticleFactory(slug="harbour-bridge"))
    ClaimFactory(article=ArticleFactory(slug="harbour-bridge-2"))
    for value in (first.article_id, "harbour-bridge"):
        assert ids(desk.get("/api/v1/claims/", {"article": value})) == [first.pk], value
    assert ids(desk.get("/api/v1/claims/", {"article": "no-such-article"})) == []
    # The public filters on the published version's article, by slug too.
    make_public(first)
    assert ids(api.get("/api/v1/claims/", {"article": "harbour-bridge"})) == [first.pk]
    # Neither an id nor a slug, or longer than either can be: refused (as the schema says).
    for bad in ("harbour bridge", "9" * 256):
        response = desk.get("/api/v1/claims/", {"article": bad})
        assert response.status_code == 400, bad
        assert "article" in str(response.json()), bad
    # A number no id can be names no article: nothing listed.
    for number in ("0", "9" * 30):
        assert ids(desk.get("/api/v1/claims/", {"article": number})) == [], number


def test_updated_since(desk):
    old, new = ClaimFactory(), ClaimFactory(quote="Critics said it would not open before June")
    Claim.objects.filter(pk=old.pk).update(updated_at=timezone.now() - dt.timedelta(days=3))
    since = (timezone.now() - dt.timedelta(days=1)).isoformat()
    assert ids(desk.get("/api/v1/claims/", {"updated_since": since})) == [new.pk]


def test_text_search(desk):
    claims = article_with_claims(3)
    Claim.objects.filter(pk=claims[1].pk).update(
        wording="The coalition suspended operations against Daesh."
    )
    Claim.objects.filter(pk=claims[2].pk).update(
        rationale="Reuters and AFP reported the suspension of operations."
    )
    # The desk's search is the similarity of wording and quote (matching.engine), best first.
    assert ids(desk.get("/api/v1/claims/", {"q": "operations"})) == [claims[1].pk]
    Claim.objects.filter(pk=claims[2].pk).update(wording="Operations resumed in the spring.")
    found = ids(desk.get("/api/v1/claims/", {"q": "coalition suspended its operations"}))
    assert found == [claims[1].pk, claims[2].pk]
    assert ids(desk.get("/api/v1/claims/", {"q": "nothing-like-this"})) == []


def test_ordering(desk):
    claims = article_with_claims(3)
    assert ids(desk.get("/api/v1/claims/", {"ordering": "id"})) == [c.pk for c in claims]
    assert ids(desk.get("/api/v1/claims/")) == [c.pk for c in reversed(claims)]  # newest first


def test_cursor_pages_are_stable_when_rows_arrive_between_them(desk):
    claims = article_with_claims(25)
    first = desk.get("/api/v1/claims/", {"page_size": 10, "ordering": "id"}).json()
    assert [r["id"] for r in first["results"]] == [c.pk for c in claims[:10]]
    article_with_claims(5)  # new claims arrive while the client reads
    seen = [r["id"] for r in first["results"]]
    url = first["next"]
    while url:
        page = desk.get(url).json()
        seen += [r["id"] for r in page["results"]]
        url = page["next"]
    assert seen[:25] == [c.pk for c in claims]
    assert len(seen) == len(set(seen)) == 30  # nothing twice, nothing missed


def test_page_size_is_bounded(desk):
    article_with_claims(3)
    assert len(ids(desk.get("/api/v1/claims/", {"page_size": 2}))) == 2
    assert desk.get("/api/v1/claims/", {"page_size": 500}).status_code == 200
    assert desk.get("/api/v1/claims/", {"page_size": 501}).status_code == 400


def _evidence_for(claims, sources):
    for claim in claims:
        for source in sources:
            EvidenceFactory(claim=claim, source=source)


@pytest.mark.parametrize("persona", ["anonymous", "token"])
def test_the_claims_list_costs_the_same_queries_whatever_its_size(
    api, api_as, fact_checker, editor, django_assert_num_queries, persona
):
    client = api if persona == "anonymous" else api_as(fact_checker)
    sources = [SourceFactory() for _ in range(3)]

    def publish(claims):
        for claim in claims:
            claim = services.change_state(
                claim=claim, to_state=S.DISPUTED, rationale="Conflict.", author=fact_checker
            )
            make_public(claim, S.DISPUTED, rationale="Conflict.")

    few = article_with_claims(2)
    _evidence_for(few, sources)
    publish(few)
    # Anonymous: the page of the read model's rows (claims.public), served as stored. A desk
    # token: the token with its user; the page with its articles and outlets, assignees, live
    # versions and each claim's stored independence block joined; its evidence with sources,
    # outlets and the origins each names; the evidence frozen in the live versions (to say what
    # the working copy changes). No provenance is read: the blocks are stored with the claims.
    # Anonymous reads look up the read model's generation first: the same page of the same
    # generation again is that lookup alone (claims.public.memory).
    expected = 2 if persona == "anonymous" else 4
    with django_assert_num_queries(expected):
        assert len(ids(client.get("/api/v1/claims/", {"page_size": 500}))) == 2
    many = article_with_claims(30)
    _evidence_for(many, sources)
    publish(many)
    with django_assert_num_queries(expected):
        assert len(ids(client.get("/api/v1/claims/", {"page_size": 500}))) == 32
    with django_assert_num_queries(expected):
        assert len(ids(client.get("/api/v1/claims/", {"page_size": 5}))) == 5
    with django_assert_num_queries(1 if persona == "anonymous" else 4):
        assert len(ids(client.get("/api/v1/claims/", {"page_size": 5}))) == 5


@pytest.mark.parametrize(
    ("path", "make", "queries"),
    [
        # the token with its user, the page
        ("articles", lambda: ArticleFactory(), 2),
        # the token with its user, the page, the provenance of the page's sources (prefetch)
        ("sources", lambda: SourceFactory(), 3),
        ("outlets", lambda: OutletFactory(), 2),
        # the token with its user, the page, the origins each piece names (prefetch)
        ("evidence", lambda: EvidenceFactory(), 3),
    ],
)
def test_other_lists_cost_fixed_queries(desk, django_assert_num_queries, path, make, queries):
    make()
    with django_assert_num_queries(queries):
        assert desk.get(f"/api/v1/{path}/").status_code == 200
    for _ in range(20):
        make()
    with django_assert_num_queries(queries):
        assert desk.get(f"/api/v1/{path}/").status_code == 200
