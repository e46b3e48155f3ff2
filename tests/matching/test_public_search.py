"""The public's search (the API's anonymous ``q=`` and the dashboard's claim search): published
claims ranked by similarity over the read model, never over the desk's working copy."""

import re

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from claims import services
from claims.models import Claim
from matching.engine import CLAIM, PUBLIC, similar
from tests.factories import ArticleFactory, ClaimFactory, make_public

pytestmark = pytest.mark.django_db

TEXT = (
    "The ferry carried two million passengers across the harbour last year. "
    "The mayor said the new bridge would cut the commute by half. "
    "Officials counted 1,200 workers on the tunnel site."
)
CLAIMS = "/api/v1/claims/"
DASHBOARD = reverse("claims:dashboard")


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def published():
    """Three published claims of one article, and one draft nobody approved."""
    article = ArticleFactory(text=TEXT, headline="Harbour figures")
    quotes = {
        "ferry": "The ferry carried two million passengers across the harbour last year",
        "bridge": "the new bridge would cut the commute by half",
        "workers": "Officials counted 1,200 workers on the tunnel site",
    }
    made = {}
    for key, quote in quotes.items():
        made[key] = make_public(ClaimFactory(article=article, quote=quote, wording=quote + "."))
    return made


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def test_anonymous_q_ranks_published_claims_by_meaning(api, published):
    # Other words' order, other forms of them (passenger/passengers, carrying/carried).
    found = ids(api.get(CLAIMS, {"q": "harbour passengers: is the ferry carrying 2 million?"}))
    assert found[0] == published["ferry"].pk
    found = ids(api.get(CLAIMS, {"q": "commuting halved by a bridge"}))
    assert found[0] == published["bridge"].pk
    assert ids(api.get(CLAIMS, {"q": "volcano eruption"})) == []


def test_a_desk_edit_is_found_only_once_an_editor_approves_it(
    api, client, published, fact_checker, editor
):
    claim = Claim.objects.get(pk=published["workers"].pk)
    edited = services.edit_claim(
        claim=claim,
        author=fact_checker,
        wording="Officials counted 1,200 stonemasons on the tunnel site.",
    )
    # The working copy has the word; the desk's own search finds it at once.
    assert [m.pk for m in similar("stonemasons", kinds=[CLAIM])] == [claim.pk]
    assert ids(api.get(CLAIMS, {"q": "stonemasons"})) == []
    assert (
        "stonemasons" not in client.get(DASHBOARD, {"said": "stonemasons"}).text.split("</h2>")[1]
    )
    if edited.review_state != "in_review":
        edited = services.submit_for_review(claim=edited, author=fact_checker)
    services.approve(
        claim=edited,
        author=editor,
        correction="Who worked there, exactly.",
        override_reason="The officials' count is the claim.",
    )
    assert ids(api.get(CLAIMS, {"q": "stonemasons"})) == [claim.pk]
    assert [m.pk for m in similar("stonemasons", kinds=[PUBLIC])] == [claim.pk]
    page = client.get(DASHBOARD, {"said": "stonemasons tunnel"}).text
    assert "Officials counted 1,200 stonemasons on the tunnel site." in page


def test_the_public_kind_is_never_mixed_with_the_desks():
    with pytest.raises(ValueError, match="searched on its own"):
        similar("ferry", kinds=[PUBLIC, CLAIM])


def test_an_unpublished_claim_is_not_found_by_the_public(api, client, published):
    article = published["ferry"].article
    ClaimFactory(article=article, quote="Officials counted 1,200 workers", wording="Zeppelins.")
    assert ids(api.get(CLAIMS, {"q": "zeppelins"})) == []
    assert (
        "No published claim says anything like this."
        in client.get(DASHBOARD, {"said": "zeppelins"}).text
    )


def matches(html: str) -> list[str]:
    return re.findall(r'class="claim-match__wording" href="[^"]+">([^<]+)</a>', html)


def test_the_dashboard_lists_matching_published_claims_ranked(client, published):
    page = client.get(DASHBOARD, {"said": "a bridge halving the commute"}).text
    found = matches(page)
    assert found[0] == "the new bridge would cut the commute by half."
    assert 'value="a bridge halving the commute"' in page
    row = page.split('class="claim-match"', 1)[1].split("</li>", 1)[0]
    assert f'href="/claims/{published["bridge"].pk}/"' in row
    assert '<span class="state state--confirmed">Confirmed</span>' in row
    assert "Harbour figures" in row  # its article


def test_queries_are_pinned(api, client, published, django_assert_num_queries):
    from django.db import connection

    # Ranking: one query on SQLite, two on PostgreSQL (the words' counts with the total, the rank).
    ranking = 1 if connection.vendor == "sqlite" else 2
    # And the read model's generation (claims.public.memory) and the page of rows; the same
    # search again is the generation alone.
    with django_assert_num_queries(1 + ranking + 1):
        assert ids(api.get(CLAIMS, {"q": "ferry passengers"}))[0] == published["ferry"].pk
    with django_assert_num_queries(1):
        assert ids(api.get(CLAIMS, {"q": "ferry passengers"}))[0] == published["ferry"].pk
    with django_assert_num_queries(4):
        assert client.get(DASHBOARD).status_code == 200
    # The claim search adds its ranking and one query for its rows, whatever their number.
    with django_assert_num_queries(4 + ranking + 1):
        page = client.get(DASHBOARD, {"said": "ferry passengers harbour bridge workers"}).text
    assert len(matches(page)) == 3
