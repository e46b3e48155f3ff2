"""Other desks' ClaimReview, from a saved page (JSON-LD, microdata) and from a DataFeed in Claim
Tracker's own format, kept with the bytes' SHA-256 and matched like the desk's claims."""

import hashlib
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from rest_framework.test import APIClient

from claims.models import ConfirmationState
from matching import services
from matching.engine import EXTERNAL, similar
from tests.factories import ClaimFactory, make_public

pytestmark = pytest.mark.django_db

PAGE = b"""<html lang="en"><head><script type="application/ld+json">
{"@context": "https://schema.org", "@type": "ClaimReview",
 "url": "https://factcheck.example.org/ferry",
 "claimReviewed": "The harbour ferry carried two million passengers last year.",
 "headline": "No, the ferry did not carry two million",
 "author": {"@type": "Organization", "name": "Example Checks"},
 "datePublished": "2026-03-04",
 "reviewRating": {"@type": "Rating", "ratingValue": "2", "bestRating": "5",
                  "worstRating": "1", "alternateName": "Mostly false"}}
</script></head><body>
<div itemscope itemtype="https://schema.org/ClaimReview">
  <link itemprop="url" href="https://factcheck.example.org/tolls">
  <span itemprop="claimReviewed">Bridge tolls doubled in 2025.</span>
  <span itemprop="author" itemscope itemtype="https://schema.org/Organization">
    <span itemprop="name">Example Checks</span></span>
  <meta itemprop="datePublished" content="2026-02-01">
  <span itemprop="reviewRating" itemscope itemtype="https://schema.org/Rating">
    <span itemprop="alternateName">True</span><meta itemprop="ratingValue" content="5"></span>
</div></body></html>"""

FEED = {
    "@context": "https://schema.org",
    "@type": "DataFeed",
    "dataFeedElement": [
        {
            "@type": "ClaimReview",
            "@id": "https://checks.example.net/claims/7/#claimreview",
            "url": "https://checks.example.net/claims/7/",
            "claimReviewed": "The coalition suspended operations against Daesh.",
            "author": {"@type": "Organization", "name": "Claim Tracker desk"},
            "reviewRating": {
                "@type": "Rating",
                "name": "Confirmed",
                "alternateName": "Confirmed",
                "ratingValue": 5,
                "bestRating": 5,
                "worstRating": 1,
            },
            "datePublished": "2026-01-10",
        }
    ],
}


def test_a_saved_page_in_json_ld_and_microdata(fact_checker):
    checks = services.import_page(
        content=PAGE, url="https://factcheck.example.org/ferry", author=fact_checker
    )
    by_url = {check.url: check for check in checks}
    ferry = by_url["https://factcheck.example.org/ferry"]
    assert ferry.claim_reviewed.startswith("The harbour ferry carried")
    assert (ferry.rating_name, ferry.rating_value, ferry.best_rating) == ("Mostly false", 2, 5)
    assert ferry.checked_by == "checked by Example Checks on 4 March 2026: Mostly false"
    assert ferry.sha256 == hashlib.sha256(PAGE).hexdigest()
    tolls = by_url["https://factcheck.example.org/tolls"]
    assert tolls.checked_by == "checked by Example Checks on 1 February 2026: True"
    found = similar("Did the ferry really carry 2 million passengers?", kinds=(EXTERNAL,))
    assert found[0].obj == ferry

    again = services.import_page(content=PAGE, url=ferry.url, author=fact_checker)
    assert {c.pk for c in again} == {ferry.pk, tolls.pk}  # the same page again: no doubles


def test_claim_trackers_own_feed(fact_checker):
    (check,) = services.import_feed(content=json.dumps(FEED).encode(), author=fact_checker)
    assert check.checked_by == "checked by Claim Tracker desk on 10 January 2026: Confirmed"
    assert check.imported_from == "feed"


def test_the_feed_claim_tracker_serves_reads_back(fact_checker):
    # The feed as the API writes it (claims.claimreview), not as this file copies it: a change
    # to the one the reader does not follow fails here.
    claim = make_public(
        ClaimFactory(wording="The ferry carried two million passengers."),
        ConfirmationState.REFUTED,
    )
    content = b"".join(APIClient().get("/api/v1/claimreview/").streaming_content)
    (check,) = services.import_feed(content=content, author=fact_checker)
    assert check.claim_reviewed == "The ferry carried two million passengers."
    assert check.url == f"http://testserver/claims/{claim.pk}/"
    assert (check.rating_name, check.rating_value, check.best_rating, check.worst_rating) == (
        "Refuted",
        1,
        5,
        1,
    )
    assert check.publisher == "Claim Tracker"
    assert check.reviewed_on == claim.first_published_at.date()


def test_nothing_to_import_and_who_may(fact_checker, outsider):
    with pytest.raises(ValidationError, match="No ClaimReview"):
        services.import_page(content=b"<html><p>Nothing</p></html>", author=fact_checker)
    with pytest.raises(ValidationError, match="not JSON"):
        services.import_feed(content=b"<html>", author=fact_checker)
    with pytest.raises(PermissionDenied):
        services.import_feed(content=json.dumps(FEED).encode(), author=outsider)
