"""ClaimReview JSON-LD, field by field, and the streamed feed of every published verdict."""

import datetime as dt
import json

import pytest

from claims import services
from claims.models import Claim, ClaimAbout, ConfirmationState
from sources.models import SourceKind
from tests.factories import (
    ArticleFactory,
    ClaimFactory,
    EvidenceFactory,
    OutletFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db

S = ConfirmationState


def publish(claim, state, fact_checker, editor, override=""):
    EvidenceFactory(
        claim=claim,
        source=SourceFactory(title=f"Official record {claim.pk}", kind=SourceKind.OFFICIAL_RECORD),
    )
    claim = services.change_state(
        claim=claim, to_state=state, rationale=f"Why it is {state}.", author=fact_checker
    )
    claim = services.submit_for_review(claim=claim, author=fact_checker)
    return services.approve(
        claim=claim, author=editor, override_reason=override or "Checked by the desk."
    )


@pytest.fixture
def article():
    return ArticleFactory(
        headline="The bridge",
        outlet=OutletFactory(name="The Daily Example"),
        url="https://paper.example.org/bridge",
        published_on=dt.date(2020, 1, 7),
    )


def test_a_published_verdict_has_every_field_google_reads(api, article, fact_checker, editor):
    claim = publish(
        ClaimFactory(article=article, claimant="The minister", about=ClaimAbout.EVENT),
        S.CONFIRMED,
        fact_checker,
        editor,
    )
    response = api.get(f"/api/v1/claims/{claim.pk}/claimreview/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/ld+json"
    review = json.loads(response.content)
    assert review["@context"] == "https://schema.org"
    assert review["@type"] == "ClaimReview"
    assert review["url"] == f"http://testserver/claims/{claim.pk}/"
    assert review["@id"] == f"http://testserver/claims/{claim.pk}/#claimreview"
    assert review["claimReviewed"] == claim.wording
    assert review["datePublished"] == claim.first_published_at.date().isoformat()
    assert review["author"] == {"@type": "Organization", "name": "Claim Tracker"}
    assert review["reviewRating"] == {
        "@type": "Rating",
        "name": "Confirmed",
        "alternateName": "Confirmed",
        "ratingValue": 5,
        "bestRating": 5,
        "worstRating": 1,
    }
    item = review["itemReviewed"]
    assert item["@type"] == "Claim"
    assert item["author"] == {"@type": "Person", "name": "The minister"}
    assert item["datePublished"] == "2020-01-07"
    assert item["appearance"] == {
        "@type": "NewsArticle",
        "headline": "The bridge",
        "url": "https://paper.example.org/bridge",
        "datePublished": "2020-01-07",
        "publisher": {"@type": "Organization", "name": "The Daily Example"},
    }


@pytest.mark.parametrize(
    ("state", "value"),
    [
        (S.REFUTED, 1),
        (S.DISPUTED, 3),
        (S.PARTLY_CONFIRMED, 4),
        (S.CONFIRMED, 5),
        (S.UNVERIFIABLE, None),
    ],
)
def test_the_truth_scale(api, article, fact_checker, editor, state, value):
    claim = publish(ClaimFactory(article=article), state, fact_checker, editor)
    rating = json.loads(api.get(f"/api/v1/claims/{claim.pk}/claimreview/").content)["reviewRating"]
    assert rating["alternateName"] == state.label
    if value is None:
        assert "ratingValue" not in rating
    else:
        assert (rating["ratingValue"], rating["bestRating"], rating["worstRating"]) == (value, 5, 1)


def test_the_article_itself_is_the_claimant_when_nobody_is_quoted(
    api, article, fact_checker, editor
):
    claim = publish(ClaimFactory(article=article), S.CONFIRMED, fact_checker, editor)
    review = json.loads(api.get(f"/api/v1/claims/{claim.pk}/claimreview/").content)
    assert review["itemReviewed"]["author"] == {
        "@type": "Organization",
        "name": "The Daily Example",
    }


def test_a_claim_about_what_someone_said_is_the_articles_statement_that_they_said_it(
    api, article, fact_checker, editor
):
    """Naming the quoted person as the claim's author would read as a verdict on their account
    ("Claim by the minister: ... Confirmed"); what was checked is the article's report of it."""
    claim = publish(
        ClaimFactory(
            article=article,
            claimant="The minister",
            about=ClaimAbout.SAID,
            wording="The minister told reporters the bridge would open in May.",
        ),
        S.CONFIRMED,
        fact_checker,
        editor,
    )
    review = json.loads(api.get(f"/api/v1/claims/{claim.pk}/claimreview/").content)
    assert review["claimReviewed"] == "The minister told reporters the bridge would open in May."
    assert review["itemReviewed"]["author"] == {
        "@type": "Organization",
        "name": "The Daily Example",
    }
    assert "The minister" not in json.dumps(review["itemReviewed"])


def test_unpublished_claims_have_no_claimreview(api, api_as, fact_checker, article):
    claim = services.change_state(
        claim=ClaimFactory(article=article),
        to_state=S.CONFIRMED,
        rationale="x",
        author=fact_checker,
    )
    assert api.get(f"/api/v1/claims/{claim.pk}/claimreview/").status_code == 404
    response = api_as(fact_checker).get(f"/api/v1/claims/{claim.pk}/claimreview/")
    assert response.status_code == 404
    assert response.json()["type"] == "not_found"
    assert response.json()["detail"] == f"Claim #{claim.pk} has no published verdict."


def test_the_feed_is_a_datafeed_of_every_published_verdict(api, article, fact_checker, editor):
    published = [
        publish(ClaimFactory(article=article, quote=q), S.CONFIRMED, fact_checker, editor)
        for q in ("the bridge would open in May", "Critics said it would not open before June")
    ]
    draft = ClaimFactory(article=article, quote="Officials counted 1,200 workers")
    response = api.get("/api/v1/claimreview/")
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "application/ld+json"
    feed = json.loads(b"".join(response.streaming_content))
    assert feed["@context"] == "https://schema.org"
    assert feed["@type"] == "DataFeed"
    urls = [e["url"] for e in feed["dataFeedElement"]]
    assert urls == [f"http://testserver/claims/{c.pk}/" for c in published]
    assert f"/claims/{draft.pk}/" not in json.dumps(feed)
    assert all(e["@type"] == "ClaimReview" for e in feed["dataFeedElement"])


def test_an_empty_feed_is_still_valid_json(api):
    feed = json.loads(b"".join(api.get("/api/v1/claimreview/").streaming_content))
    assert feed["dataFeedElement"] == []


def test_the_seed_feed(api, seeded):
    feed = json.loads(b"".join(api.get("/api/v1/claimreview/").streaming_content))
    assert len(feed["dataFeedElement"]) == Claim.objects.published().count() == 21


def _the_bridge_verdict(article, fact_checker, editor):
    return publish(
        ClaimFactory(article=article, quote="the bridge would open in May"),
        S.CONFIRMED,
        fact_checker,
        editor,
    )


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_the_feed_read_again_is_the_same_bytes_without_its_rows(
    api, article, fact_checker, editor, django_assert_max_num_queries
):
    for q in ("the bridge would open in May", "Critics said it would not open before June"):
        publish(ClaimFactory(article=article, quote=q), S.CONFIRMED, fact_checker, editor)
    first = api.get("/api/v1/claimreview/")
    assert first.streaming
    body = _body(first)
    # The stored state and the throttle's counter; not one row of the feed.
    with django_assert_max_num_queries(3) as queries:
        again = api.get("/api/v1/claimreview/")
    assert not any("claimreview" in q["sql"] for q in queries.captured_queries)
    assert not again.streaming
    assert again.content == body
    assert again["ETag"] == first["ETag"]
    assert again["Last-Modified"] == first["Last-Modified"]
    # Another media type or host is other bytes: not the kept ones.
    as_json = api.get("/api/v1/claimreview/", HTTP_ACCEPT="application/json")
    assert as_json["ETag"] != first["ETag"]
    elsewhere = api.get("/api/v1/claimreview/", HTTP_HOST="localhost")
    assert b"http://localhost/claims/" in _body(elsewhere)


def test_a_withdrawal_leaves_the_feed_a_server_kept(api, article, fact_checker, editor):
    claim = _the_bridge_verdict(article, fact_checker, editor)
    _body(api.get("/api/v1/claimreview/"))
    kept = api.get("/api/v1/claimreview/")
    assert f"/claims/{claim.pk}/".encode() in _body(kept)
    services.withdraw(claim=claim, author=editor, reason="The ministry retracted its statement.")
    after = api.get("/api/v1/claimreview/")
    assert after["ETag"] != kept["ETag"]
    assert f"/claims/{claim.pk}/".encode() not in _body(after)


def test_the_feeds_state_is_checked_and_rebuilt_with_its_rows(api, article, fact_checker, editor):
    from claims import public
    from claims.models import PublicClaim
    from claims.public import state

    claim = _the_bridge_verdict(article, fact_checker, editor)
    before = api.get("/api/v1/claimreview/")
    _body(before)
    # A stored review changed around the services (no approval changed a date): the feed's
    # digest no longer matches its rows, which --check says.
    tail = PublicClaim.objects.get(pk=claim.pk).claimreview
    PublicClaim.objects.filter(pk=claim.pk).update(
        claimreview=tail.replace("Confirmed", "Tampered")
    )
    assert any(
        line.startswith("PublicState: the feed differs in digest") for line in public.differences()
    )
    # The state follows the stored bytes: a new tag, and the new bytes, not the kept ones.
    state.sync_state(write=True, rows_changed=False)
    changed = api.get("/api/v1/claimreview/")
    assert changed["ETag"] != before["ETag"]
    assert b"Tampered" in _body(changed)
    # A rebuild from the frozen versions gives the approved bytes back, and their tag.
    public.rebuild()
    assert public.differences() == []
    after = api.get("/api/v1/claimreview/")
    assert after["ETag"] == before["ETag"]
    assert b"Tampered" not in _body(after)


def test_a_feed_larger_than_its_share_of_memory_is_streamed_each_time(
    api, article, fact_checker, editor, monkeypatch
):
    from claims.public import memory

    _the_bridge_verdict(article, fact_checker, editor)
    whole = _body(api.get("/api/v1/claimreview/"))
    memory.SERVED.clear()
    # A budget a quarter of which is less than the feed: nothing of it is held.
    monkeypatch.setattr(memory.SERVED, "budget", 4 * len(whole) - 4)
    first = api.get("/api/v1/claimreview/")
    assert first.streaming
    assert _body(first) == whole
    again = api.get("/api/v1/claimreview/")
    assert again.streaming
    assert _body(again) == whole
