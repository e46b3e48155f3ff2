"""HTTP as caches, crawlers and browsers use it (issue 11): strong ETags and 304s on every GET,
Last-Modified on the feed, Cache-Control and Vary, If-Match's strong comparison, JSON-LD
negotiation, 201 with Location, and CORS."""

import datetime as dt
import json
import time

import pytest
from django.utils.http import http_date

from claims import services
from claims.models import ConfirmationState
from sources.models import SourceKind
from tests.factories import ArticleFactory, ClaimFactory, EvidenceFactory, SourceFactory

pytestmark = pytest.mark.django_db

GETS = [
    "/api/v1/claims/",
    "/api/v1/articles/",
    "/api/v1/sources/",
    "/api/v1/outlets/",
    "/api/v1/evidence/",
    "/api/v1/claimreview/",
]


def published_claim(fact_checker, editor):
    claim = ClaimFactory(article=ArticleFactory(published_on=dt.date(2020, 1, 7)))
    EvidenceFactory(claim=claim, source=SourceFactory(kind=SourceKind.OFFICIAL_RECORD))
    claim = services.change_state(
        claim=claim, to_state=ConfirmationState.CONFIRMED, rationale="Why.", author=fact_checker
    )
    claim = services.submit_for_review(claim=claim, author=fact_checker)
    return services.approve(claim=claim, author=editor, override_reason="Checked.")


@pytest.fixture
def claim(fact_checker, editor):
    return published_claim(fact_checker, editor)


def every_get(claim):
    return [
        *GETS,
        f"/api/v1/claims/{claim.pk}/",
        f"/api/v1/claims/{claim.pk}/history/",
        f"/api/v1/claims/{claim.pk}/claimreview/",
        f"/api/v1/articles/{claim.article_id}/",
    ]


def test_every_get_has_a_strong_etag_and_answers_if_none_match_with_304(api, claim):
    for path in every_get(claim):
        response = api.get(path)
        assert response.status_code == 200, path
        etag = response["ETag"]
        assert etag.startswith('"'), (path, etag)  # strong: no W/
        again = api.get(path, HTTP_IF_NONE_MATCH=etag)
        assert again.status_code == 304, path
        assert again["ETag"] == etag
        assert not again.content
        assert api.get(path, HTTP_IF_NONE_MATCH='"something-else"').status_code == 200


def test_a_change_changes_the_etag(api, claim, editor):
    before = api.get("/api/v1/claimreview/")["ETag"]
    article = claim.article
    article.headline = "A new headline"
    services.save_article(article=article, author=editor)
    # A working copy changes nothing the public reads: the same feed, the same tag.
    assert api.get("/api/v1/claimreview/", HTTP_IF_NONE_MATCH=before).status_code == 304
    services.publish_article(article=article, author=editor)
    response = api.get("/api/v1/claimreview/", HTTP_IF_NONE_MATCH=before)
    assert response.status_code == 200
    assert response["ETag"] != before


def test_the_feed_has_last_modified_and_answers_if_modified_since(api, claim):
    response = api.get("/api/v1/claimreview/")
    last_modified = response["Last-Modified"]
    feed = json.loads(b"".join(response.streaming_content))
    assert feed["dateModified"]
    assert api.get("/api/v1/claimreview/", HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304
    earlier = http_date(time.time() - 86400 * 365)
    assert api.get("/api/v1/claimreview/", HTTP_IF_MODIFIED_SINCE=earlier).status_code == 200


def test_cache_control_public_for_anyone_private_for_the_desk(api, api_as, fact_checker, claim):
    anonymous = api.get(f"/api/v1/claims/{claim.pk}/")
    assert anonymous["Cache-Control"] == "public, max-age=60"
    desk = api_as(fact_checker).get(f"/api/v1/claims/{claim.pk}/")
    assert desk["Cache-Control"] == "private, no-store"
    for response in (anonymous, desk):
        vary = {v.strip().lower() for v in response["Vary"].split(",")}
        assert {"accept", "authorization", "cookie"} <= vary


def test_writes_are_not_cached(api_as, editor):
    response = api_as(editor).post(
        "/api/v1/outlets/", {"name": "R", "kind": "newspaper"}, format="json"
    )
    assert response.status_code == 201
    assert response["Cache-Control"] == "no-store"


def test_a_201_says_where_the_new_object_is(api_as, editor):
    response = api_as(editor).post(
        "/api/v1/outlets/", {"name": "R", "kind": "newspaper"}, format="json"
    )
    assert response.status_code == 201
    assert response["Location"] == f"http://testserver/api/v1/outlets/{response.json()['id']}/"
    assert api_as(editor).get(response["Location"]).json() == response.json()


@pytest.mark.parametrize(
    ("header", "why"),
    [("W/", "weak"), ("unquoted", "quotes included"), ('"a" "b"', "quotes included")],
)
def test_if_match_weak_or_malformed_is_a_400_that_says_why(api_as, editor, header, why):
    client = api_as(editor)
    created = client.post("/api/v1/outlets/", {"name": "R", "kind": "newspaper"}, format="json")
    etag = created["ETag"]
    sent = {"W/": "W/" + etag, "unquoted": etag.strip('"')}.get(header, header)
    response = client.patch(
        f"/api/v1/outlets/{created.json()['id']}/", {"name": "S"}, format="json", HTTP_IF_MATCH=sent
    )
    assert response.status_code == 400, response.content
    assert why in " ".join(response.json()["errors"]["If-Match"])


def test_if_match_with_the_strong_tag_writes(api_as, editor):
    client = api_as(editor)
    created = client.post("/api/v1/outlets/", {"name": "R", "kind": "newspaper"}, format="json")
    response = client.patch(
        f"/api/v1/outlets/{created.json()['id']}/",
        {"name": "S"},
        format="json",
        HTTP_IF_MATCH=f'"other", {created["ETag"]}',
    )
    assert response.status_code == 200, response.content


@pytest.mark.parametrize(
    "accept",
    [
        "application/ld+json",
        'application/ld+json; profile="https://schema.org"',
        "*/*",
        None,
    ],
)
def test_the_claimreview_endpoints_speak_json_ld(api, claim, accept):
    headers = {"HTTP_ACCEPT": accept} if accept else {}
    for path in (f"/api/v1/claims/{claim.pk}/claimreview/", "/api/v1/claimreview/"):
        response = api.get(path, **headers)
        assert response.status_code == 200, (path, response.content)
        assert response["Content-Type"].startswith("application/ld+json")


def test_the_claimreview_as_plain_json(api, claim):
    response = api.get(f"/api/v1/claims/{claim.pk}/claimreview/", HTTP_ACCEPT="application/json")
    assert response["Content-Type"] == "application/json"
    assert response.json()["@type"] == "ClaimReview"


@pytest.mark.parametrize("path", ["/api/v1/claims/", "/api/v1/claimreview/"])
def test_406_is_in_the_error_shape(api, path):
    response = api.get(path, HTTP_ACCEPT="text/html")
    assert response.status_code == 406
    assert response["Content-Type"] == "application/json"
    assert response.json()["type"] == "not_acceptable"


def test_415_is_in_the_error_shape(api_as, editor):
    response = api_as(editor).post("/api/v1/outlets/", "name=R", content_type="text/plain")
    assert response.status_code == 415
    assert response.json()["type"] == "unsupported_media_type"


def test_a_created_article_is_located_at_its_api_url_not_its_own_url(api_as, editor):
    response = api_as(editor).post(
        "/api/v1/articles/",
        {"slug": "a", "headline": "A", "text": "Some text.", "url": ""},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response["Location"].endswith(f"/api/v1/articles/{response.json()['id']}/")
