"""The dashboard: every article with its verification progress, filtered, searched, paged."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from claims.models import Article, Claim, ConfirmationState, ReviewState
from claims.selectors import DASHBOARD_PAGE_SIZE
from tests.factories import ArticleFactory, OutletFactory

from .conftest import add_claims, publish, sentences

pytestmark = pytest.mark.django_db

URL = reverse("claims:dashboard")


def headlines(html: str) -> list[str]:
    return re.findall(r'class="article-row__headline"[^>]*><a href="[^"]+">([^<]+)</a>', html)


@pytest.fixture
def two_articles(article_with_claims):
    """ "Mixed": two published verdicts, one in review and one draft; "Drafts": drafts only."""
    mixed = article_with_claims(2, sentences_count=6, article={"headline": "Mixed"})
    add_claims(mixed, 1, published=False, review_state=ReviewState.IN_REVIEW, start=2)
    add_claims(mixed, 1, published=False, start=3)
    drafts = article_with_claims(2, published=False, article={"headline": "Drafts"})
    return mixed, drafts


def test_the_site_root_is_the_dashboard(client, seeded):
    response = client.get("/")
    assert response.status_code == 200
    assert response.resolver_match.view_name == "claims:dashboard"
    assert seeded.headline in response.text


def test_anonymous_visitors_see_published_verdicts_only(client, two_articles):
    page = client.get(URL).text
    assert headlines(page) == ["Mixed"]  # an article with drafts only is not public yet
    assert "<strong>2 claims</strong>" in page
    assert "2 confirmed" in page
    assert "need review" not in page
    assert "needs review" not in page.lower()
    assert 'name="needs_review"' not in page


def test_staff_see_every_claim_and_how_many_need_review(client_for, fact_checker, two_articles):
    page = client_for(fact_checker).get(URL).text
    assert sorted(headlines(page)) == ["Drafts", "Mixed"]
    assert "<strong>4 claims</strong>" in page
    assert "1 needs review" in page
    assert 'name="needs_review"' in page


def test_the_bar_names_each_state_in_words_not_colour_alone(client, seeded):
    page = client.get(URL).text
    bar = re.search(r'<svg class="progress-bar".*?</svg>', page, re.S).group(0)
    assert 'role="img"' in bar
    assert (
        'aria-label="Claims by state: 9 confirmed, 5 partly confirmed, 1 disputed, '
        '6 unverifiable"' in bar
    )
    assert "<title>Confirmed: 9</title>" in bar
    assert "9 confirmed" in page.split("</svg>", 1)[1]  # and in words beside the bar


def test_filter_by_state(client, article_with_claims):
    confirmed = article_with_claims(1)
    disputed = article_with_claims(1)
    publish(disputed.claims.get(), ConfirmationState.DISPUTED)
    page = client.get(URL, {"state": "disputed"}).text
    assert headlines(page) == [disputed.headline]
    assert confirmed.headline not in page
    assert '<option value="disputed" selected>' in page


def test_filter_needs_review_is_for_staff(client, client_for, editor, two_articles):
    # Anonymous: the filter is ignored (the public sees no review states).
    assert headlines(client.get(URL, {"needs_review": "on"}).text) == ["Mixed"]
    drafts_only = client_for(editor).get(URL, {"needs_review": "on"}).text
    assert headlines(drafts_only) == ["Mixed"]
    assert "Drafts" not in headlines(drafts_only)


def test_filter_by_outlet_and_search(client, article_with_claims):
    reuters = OutletFactory(name="Reuters")
    article_with_claims(
        1, article={"outlet": reuters, "headline": "Letter leaked", "byline": "Jane Wire"}
    )
    article_with_claims(1, article={"headline": "Bridge opens"})

    by_outlet = client.get(URL, {"outlet": reuters.pk}).text
    assert headlines(by_outlet) == ["Letter leaked"]
    assert f'<option value="{reuters.pk}" selected>Reuters</option>' in by_outlet
    assert headlines(client.get(URL, {"q": "bridge"}).text) == ["Bridge opens"]
    assert headlines(client.get(URL, {"q": "jane"}).text) == ["Letter leaked"]  # byline
    assert headlines(client.get(URL, {"q": "reuters leaked"}).text) == ["Letter leaked"]
    nothing = client.get(URL, {"q": "nowhere"}).text
    assert headlines(nothing) == []
    assert "No article matches these filters" in nothing


def test_newest_activity_first(client_for, editor, article_with_claims):
    # The desk's dashboard orders by the working copies' activity (the public's, by approvals).
    client = client_for(editor)
    old = article_with_claims(1, article={"headline": "Old"})
    article_with_claims(1, article={"headline": "Recent"})
    long_ago = timezone.now() - timedelta(days=30)
    Article.objects.filter(pk=old.pk).update(updated_at=long_ago)
    Claim.objects.filter(article=old).update(updated_at=long_ago)
    assert headlines(client.get(URL).text) == ["Recent", "Old"]
    # A claim worked on makes its article the most recent.
    Claim.objects.filter(article=old).update(updated_at=timezone.now() + timedelta(minutes=1))
    assert headlines(client.get(URL).text) == ["Old", "Recent"]


def test_paginated_and_the_filters_survive_the_page_links(client, article_with_claims):
    for _ in range(DASHBOARD_PAGE_SIZE + 3):
        article_with_claims(1)
    first = client.get(URL, {"state": "confirmed"}).text
    assert len(headlines(first)) == DASHBOARD_PAGE_SIZE
    assert "Page 1 of 2" in first
    assert 'href="?state=confirmed&amp;page=2"' in first
    second = client.get(URL, {"state": "confirmed", "page": 2}).text
    assert len(headlines(second)) == 3


def test_nonsense_in_the_query_string_is_ignored(client, seeded):
    response = client.get(URL, {"state": "bogus", "outlet": "x", "page": "999"})
    assert response.status_code == 200
    assert seeded.headline in response.text


def test_every_article_text_is_escaped(client, article_with_claims):
    article_with_claims(
        1, article={"headline": "<script>alert('h')</script>", "byline": "<b>bold</b>"}
    )
    page = client.get(URL).text
    assert "<script>alert" not in page
    assert "<b>bold" not in page
    assert "&lt;script&gt;alert(&#x27;h&#x27;)&lt;/script&gt;" in page


@pytest.mark.parametrize(
    ("persona", "queries"),
    [
        # The public (the read model's article rows, which hold their counts): the count of
        # the matching articles; the page of them, newest activity first; the totals by state;
        # the outlets for the filter.
        (None, 4),
        # The desk: the count of the matching articles; the page's articles, newest activity
        # first (one grouped MAX); their claims counted by state (one grouped query for the
        # page's rows); the totals by state; the outlets for the filter; after the session and
        # the user.
        ("editor", 7),
    ],
)
def test_a_fixed_number_of_queries_whatever_the_number_of_articles(
    request, client, client_for, django_assert_num_queries, persona, queries
):
    if persona:
        client = client_for(request.getfixturevalue(persona))
    for _ in range(2):
        article = ArticleFactory(text=sentences(4))
        add_claims(article, 2, evidence=1)
    with django_assert_num_queries(queries):
        assert client.get(URL).status_code == 200
    for _ in range(DASHBOARD_PAGE_SIZE + 5):
        article = ArticleFactory(text=sentences(6))
        add_claims(article, 3, evidence=0)
        add_claims(article, 2, published=False, review_state=ReviewState.IN_REVIEW, start=3)
    with django_assert_num_queries(queries):
        page = client.get(URL)
    assert len(headlines(page.text)) == DASHBOARD_PAGE_SIZE
