"""Writing through the API: who may, safe writes with ETags, and a clear 4xx for bad input."""

import json

import pytest
from django.test import override_settings
from rest_framework.test import APIClient

from claims import selectors, services
from claims.models import (
    Article,
    Claim,
    ConfirmationState,
    Evidence,
    ReviewEvent,
    ReviewState,
    StateChange,
)
from sources.models import Provenance, Source
from sources.services import add_provenance
from tests.factories import (
    ArticleFactory,
    ClaimFactory,
    EvidenceFactory,
    OutletFactory,
    SourceFactory,
    desk_author,
    make_public,
)

pytestmark = pytest.mark.django_db

S = ConfirmationState


def assert_error(response, status, type_, *fragments, field=None):
    assert response.status_code == status, response.content
    body = response.json()
    assert body["type"] == type_
    assert body["status"] == status
    assert isinstance(body["detail"], str)
    assert body["detail"]
    text = body["detail"] + json.dumps(body.get("errors", {}), ensure_ascii=False)
    for fragment in fragments:
        assert fragment in text, text
    if field:
        assert field in body["errors"], body
    return body


# -- who may write -----------------------------------------------------------------------------------


def test_a_fact_checker_writes_a_claim_with_a_token(api_as, fact_checker):
    article = ArticleFactory()
    response = api_as(fact_checker).post(
        "/api/v1/claims/",
        {
            "article": article.pk,
            "wording": "The bridge opens in May.",
            "quote": "the bridge would open in May",
            "claimant": "The minister",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert response["ETag"]
    assert body["state"] == "unverified"
    assert body["review_state"] == "draft"
    claim = Claim.objects.get(pk=body["id"])
    assert article.text[claim.quote_start : claim.quote_end] == "the bridge would open in May"
    assert claim.history.first().history_user == fact_checker


def test_anonymous_writes_are_401_and_outsiders_403(api, api_as, outsider):
    article = ArticleFactory()
    payload = {"article": article.pk, "wording": "w", "quote": "the bridge would open in May"}
    assert_error(api.post("/api/v1/claims/", payload, format="json"), 401, "not_authenticated")
    assert_error(
        api_as(outsider).post("/api/v1/claims/", payload, format="json"),
        403,
        "permission_denied",
        "may read but not write",
    )
    assert not Claim.objects.exists()


def test_a_staff_session_needs_csrf(fact_checker):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(fact_checker)
    response = client.post(
        "/api/v1/outlets/", {"name": "New outlet", "kind": "online"}, format="json"
    )
    assert_error(response, 403, "permission_denied", "CSRF")


@pytest.mark.parametrize(
    ("path", "payload"),
    [
        (
            "/api/v1/outlets/",
            {
                "name": "Agence Nouvelle",
                "kind": "news_agency",
                "homepage": "https://agence.example.org/",
            },
        ),
        (
            "/api/v1/sources/",
            {"title": "A new report", "kind": "news_report", "url": "https://news.example.org/a"},
        ),
        (
            "/api/v1/articles/",
            {"headline": "New", "slug": "new-article", "text": "It said something."},
        ),
    ],
)
def test_fact_checkers_create_articles_sources_and_outlets(api_as, fact_checker, path, payload):
    response = api_as(fact_checker).post(path, payload, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["id"]


def test_evidence_is_linked_once_per_claim_and_source(api_as, fact_checker):
    claim, source = ClaimFactory(), SourceFactory()
    client = api_as(fact_checker)
    payload = {
        "claim": claim.pk,
        "source": source.pk,
        "stance": "supports",
        "excerpt": "It opens in May.",
    }
    assert client.post("/api/v1/evidence/", payload, format="json").status_code == 201
    assert_error(
        client.post("/api/v1/evidence/", payload, format="json"),
        400,
        "validation_error",
        "already linked to this claim",
    )
    assert Evidence.objects.count() == 1


def test_evidence_names_the_origins_that_carry_its_stance(api_as, fact_checker):
    """A report that quotes the letter and a denial supports the claim through the letter only:
    the API takes the origins, refuses one that is not an origin of the source with a sentence,
    and the claim's independence block counts the denial on the other side alone."""
    from sources.services import add_provenance

    claim = ClaimFactory(about="event")
    letter, denial = SourceFactory(title="Letter"), SourceFactory(title="Denial")
    report = SourceFactory(title="Report")
    add_provenance(author=desk_author(), source=report, rests_on=letter)
    add_provenance(author=desk_author(), source=report, rests_on=denial)
    client = api_as(fact_checker)
    payload = {"claim": claim.pk, "source": report.pk, "stance": "supports"}
    assert_error(
        client.post(
            "/api/v1/evidence/", {**payload, "origins": [SourceFactory().pk]}, format="json"
        ),
        400,
        "validation_error",
        "is not an origin of “Report”",
    )
    created = client.post("/api/v1/evidence/", {**payload, "origins": [letter.pk]}, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["origins"] == [letter.pk]
    client.post(
        "/api/v1/evidence/",
        {"claim": claim.pk, "source": denial.pk, "stance": "contradicts"},
        format="json",
    )
    body = client.get(f"/api/v1/claims/{claim.pk}/").json()
    independence = body["independence"]
    assert [o["title"] for o in independence["supporting_origins"]] == ["Letter"]
    assert [o["title"] for o in independence["contradicting_origins"]] == ["Denial"]
    assert independence["origins_on_both_sides"] == []
    assert next(e for e in body["evidence"] if e["stance"] == "supports")["origins"] == [letter.pk]
    # Widened again (an empty list: all its origins), the denial stands on both sides.
    url = f"/api/v1/evidence/{created.json()['id']}/"
    etag = client.get(url)["ETag"]
    widened = client.patch(url, {"origins": []}, format="json", HTTP_IF_MATCH=etag)
    assert widened.status_code == 200, widened.json()
    independence = client.get(f"/api/v1/claims/{claim.pk}/").json()["independence"]
    assert [o["title"] for o in independence["origins_on_both_sides"]] == ["Denial"]


# -- state and review through the services -------------------------------------------------------------


def test_state_changes_go_through_the_service_with_history(api_as, fact_checker):
    claim = ClaimFactory()
    client = api_as(fact_checker)
    response = client.post(
        f"/api/v1/claims/{claim.pk}/state/",
        {
            "state": "disputed",
            "reason": "AFP's report arrived.",
            "rationale": "Reuters confirms it; AFP's sources deny it.",
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["state"], body["rationale"]) == (
        "disputed",
        "Reuters confirms it; AFP's sources deny it.",
    )
    change = StateChange.objects.get(claim=claim)
    assert (change.to_state, change.rationale, change.author) == (
        S.DISPUTED,
        "AFP's report arrived.",  # the history keeps the reason, the claim its public rationale
        fact_checker,
    )


def test_a_state_that_is_no_verdict_takes_a_reason_and_keeps_the_public_rationale(
    api_as, fact_checker
):
    claim = ClaimFactory()
    client = api_as(fact_checker)
    client.post(
        f"/api/v1/claims/{claim.pk}/state/",
        {"state": "confirmed", "reason": "Checked.", "rationale": "Two agencies report it."},
        format="json",
    )
    response = client.post(
        f"/api/v1/claims/{claim.pk}/state/",
        {"state": "in_progress", "reason": "A denial came in: checking again."},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["rationale"] == "Two agencies report it."
    assert StateChange.objects.filter(claim=claim).latest("id").rationale == (
        "A denial came in: checking again."
    )


def test_a_change_of_a_public_verdict_needs_its_change_note(api_as, fact_checker, editor):
    claim = ClaimFactory()
    EvidenceFactory(claim=claim, source=SourceFactory(title="A"))
    EvidenceFactory(claim=claim, source=SourceFactory(title="B"))
    claim = services.change_state(
        claim=claim, to_state=S.CONFIRMED, rationale="A and B.", author=fact_checker
    )
    claim = services.submit_for_review(claim=claim, author=fact_checker)
    services.approve(claim=claim, author=editor)
    client = api_as(fact_checker)
    url = f"/api/v1/claims/{claim.pk}/state/"
    payload = {"state": "disputed", "reason": "B retracted.", "rationale": "A says so; B not."}
    refused = client.post(url, payload, format="json")
    assert_error(refused, 400, "validation_error", "say in change_note", field="change_note")
    response = client.post(
        url, {**payload, "change_note": "B retracted its report on 9 January."}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["review_state"] == "in_review"
    reopened = ReviewEvent.objects.filter(claim=claim, action="reopen").get()
    assert reopened.comment == "B retracted its report on 9 January."


@pytest.mark.parametrize(
    ("payload", "fragment", "field"),
    [
        ({"state": "probably", "reason": "x"}, "not a valid choice", "state"),
        ({"state": "confirmed", "rationale": "Two."}, "This field is required", "reason"),
        ({"state": "confirmed", "reason": "   "}, "may not be blank", "reason"),
        ({"state": "confirmed", "reason": "Checked."}, "rationale", "rationale"),
        (
            {"state": "in_progress", "reason": "x", "rationale": "Why."},
            "not a verdict",
            "rationale",
        ),
        ({"state": "unverified", "reason": "No change."}, "already “Unverified”", "state"),
    ],
)
def test_an_invalid_state_change_is_a_400_with_the_reason(
    api_as, fact_checker, payload, fragment, field
):
    claim = ClaimFactory()
    response = api_as(fact_checker).post(
        f"/api/v1/claims/{claim.pk}/state/", payload, format="json"
    )
    assert_error(response, 400, "validation_error", fragment, field=field)
    assert not StateChange.objects.exists()


def test_options_on_state_and_review_describe_their_own_bodies(api_as, fact_checker):
    claim = ClaimFactory()
    client = api_as(fact_checker)
    state = client.options(f"/api/v1/claims/{claim.pk}/state/").json()["actions"]["POST"]
    assert set(state) == {"state", "reason", "rationale", "change_note"}
    assert (state["reason"]["required"], state["rationale"]["required"]) == (True, False)
    review = client.options(f"/api/v1/claims/{claim.pk}/review/").json()["actions"]["POST"]
    assert set(review) == {"action", "comment", "override_reason", "correction", "article_changes"}


def test_only_editors_approve(api_as, fact_checker, editor):
    claim = ClaimFactory()
    EvidenceFactory(claim=claim, source=SourceFactory(title="A"))
    EvidenceFactory(claim=claim, source=SourceFactory(title="B"))
    claim = services.change_state(
        claim=claim, to_state=S.CONFIRMED, rationale="A and B.", author=fact_checker
    )
    fc = api_as(fact_checker)
    assert (
        fc.post(
            f"/api/v1/claims/{claim.pk}/review/", {"action": "submit"}, format="json"
        ).status_code
        == 200
    )
    assert_error(
        fc.post(f"/api/v1/claims/{claim.pk}/review/", {"action": "approve"}, format="json"),
        403,
        "permission_denied",
        "editors only",
    )
    response = api_as(editor).post(
        f"/api/v1/claims/{claim.pk}/review/",
        {"action": "approve", "comment": "Fine."},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["review_state"] == "published"


def test_review_mistakes_are_400s(api_as, editor, fact_checker):
    claim = ClaimFactory()
    client = api_as(editor)
    assert_error(
        client.post(f"/api/v1/claims/{claim.pk}/review/", {"action": "publish"}, format="json"),
        400,
        "validation_error",
        field="action",
    )
    assert_error(
        client.post(f"/api/v1/claims/{claim.pk}/review/", {"action": "submit"}, format="json"),
        400,
        "validation_error",
        "give it a verdict",
    )
    claim = services.change_state(
        claim=claim, to_state=S.DISPUTED, rationale="Conflict.", author=fact_checker
    )
    claim = services.submit_for_review(claim=claim, author=fact_checker)
    assert_error(
        client.post(f"/api/v1/claims/{claim.pk}/review/", {"action": "send_back"}, format="json"),
        400,
        "validation_error",
        "needs a comment",
    )
    assert Claim.objects.get(pk=claim.pk).review_state == ReviewState.IN_REVIEW


# -- safe writes: ETag and If-Match ---------------------------------------------------------------------------


def test_updates_need_if_match_and_refuse_a_stale_one(api_as, fact_checker, editor):
    claim = ClaimFactory()
    client = api_as(fact_checker)
    url = f"/api/v1/claims/{claim.pk}/"
    etag = client.get(url)["ETag"]
    assert_error(
        client.patch(url, {"wording": "New wording."}, format="json"),
        428,
        "precondition_required",
        "If-Match",
    )

    # Someone else changes the claim in between.
    services.change_state(claim=claim, to_state=S.IN_PROGRESS, rationale="Started.", author=editor)
    assert_error(
        client.patch(url, {"wording": "New wording."}, format="json", HTTP_IF_MATCH=etag),
        412,
        "precondition_failed",
    )
    assert Claim.objects.get(pk=claim.pk).wording != "New wording."

    fresh = client.get(url)["ETag"]
    response = client.patch(url, {"wording": "New wording."}, format="json", HTTP_IF_MATCH=fresh)
    assert response.status_code == 200, response.content
    assert response.json()["wording"] == "New wording."
    assert response["ETag"] != fresh


def test_if_match_names_the_claims_version_whether_or_not_the_tag_has_its_digest(
    api_as, fact_checker
):
    claim, other = ClaimFactory(), ClaimFactory()
    client = api_as(fact_checker)
    url = f"/api/v1/claims/{claim.pk}/"
    etag = client.get(url)["ETag"]
    pk, version, digest = etag.strip('"').split("-")
    assert (pk, version) == (str(claim.pk), f"v{claim.version}")
    assert len(digest) == 12
    refused = [
        f'"{other.pk}-{version}-{digest}"',  # another claim's
        f'"{pk}-p{claim.version}"',  # the public's tag names no working copy
        f'"{pk}-{version}-{digest[:-1]}"',  # a digest cut short
        f'"{pk}-{version}-{digest.upper()}"',
        f'"{pk}-v{claim.version}x"',
        f'"{pk}-v-{digest}"',
    ]
    for tag in refused:
        response = client.patch(url, {"wording": "Refused."}, format="json", HTTP_IF_MATCH=tag)
        assert response.status_code == 412, tag
    # The tag without its digest (what a write answers when it cannot read itself back) names
    # the same version.
    response = client.patch(
        url, {"wording": "Accepted."}, format="json", HTTP_IF_MATCH=f'"{pk}-{version}"'
    )
    assert response.status_code == 200, response.content
    assert response.json()["wording"] == "Accepted."


def test_put_replaces_and_reanchors(api_as, fact_checker):
    claim = ClaimFactory()
    client = api_as(fact_checker)
    url = f"/api/v1/claims/{claim.pk}/"
    etag = client.get(url)["ETag"]
    payload = {
        "article": claim.article_id,
        "wording": "Critics doubt June.",
        "quote": "Critics said it would not open before June",
        "claimant": "Critics",
    }
    response = client.put(url, payload, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 200, response.content
    claim.refresh_from_db()
    assert (
        claim.article.text[claim.quote_start : claim.quote_end]
        == "Critics said it would not open before June"
    )


@pytest.mark.parametrize("path", ["articles", "sources", "outlets", "evidence"])
def test_every_detail_has_an_etag_and_every_update_needs_it(api_as, fact_checker, path):
    evidence = EvidenceFactory()
    target = {
        "articles": evidence.claim.article_id,
        "sources": evidence.source_id,
        "outlets": evidence.source.outlet_id,
        "evidence": evidence.pk,
    }[path]
    client = api_as(fact_checker)
    url = f"/api/v1/{path}/{target}/"
    etag = client.get(url)["ETag"]
    assert etag.startswith('"')
    assert client.patch(url, {}, format="json").status_code == 428
    assert client.patch(url, {}, format="json", HTTP_IF_MATCH='"stale"').status_code == 412
    assert client.patch(url, {}, format="json", HTTP_IF_MATCH=etag).status_code == 200


def test_a_published_rationale_edited_over_the_api_needs_a_note(api_as, fact_checker, editor):
    claim = ClaimFactory()
    EvidenceFactory(claim=claim, source=SourceFactory(title="A"))
    EvidenceFactory(claim=claim, source=SourceFactory(title="B"))
    claim = services.change_state(
        claim=claim, to_state=S.CONFIRMED, rationale="A and B.", author=fact_checker
    )
    services.approve(
        claim=services.submit_for_review(claim=claim, author=fact_checker), author=editor
    )
    client = api_as(fact_checker)
    url = f"/api/v1/claims/{claim.pk}/"
    etag = client.get(url)["ETag"]
    assert_error(
        client.patch(url, {"rationale": "A, B and C."}, format="json", HTTP_IF_MATCH=etag),
        400,
        "validation_error",
        "This verdict is public: say what changes and why",
    )
    response = client.patch(
        url,
        {"rationale": "A, B and C.", "change_note": "Added C."},
        format="json",
        HTTP_IF_MATCH=etag,
    )
    assert response.status_code == 200
    body = response.json()
    assert body["review_state"] == "in_review"
    assert body["rationale"] == "A, B and C."
    assert body["publication"]["version"] == 1
    # The public still reads the approved rationale.
    assert APIClient().get(url).json()["rationale"] == "A and B."


# -- bad input: a clear 4xx, never a 500 ----------------------------------------------------------------------


def test_malformed_json_is_a_400(api_as, fact_checker):
    response = api_as(fact_checker).post(
        "/api/v1/outlets/", data="{not json", content_type="application/json"
    )
    assert_error(response, 400, "parse_error", "not valid JSON")


def test_a_quote_not_in_the_article_is_a_400(api_as, fact_checker):
    article = ArticleFactory()
    response = api_as(fact_checker).post(
        "/api/v1/claims/",
        {"article": article.pk, "wording": "w", "quote": "the bridge opened in April"},
        format="json",
    )
    assert_error(response, 400, "validation_error", "does not stand in the article text")


def test_an_ambiguous_quote_is_a_400_that_asks_for_an_occurrence(api_as, fact_checker):
    article = ArticleFactory(text="It would open in May. Critics said it would open in May too.")
    client = api_as(fact_checker)
    assert_error(
        client.post(
            "/api/v1/claims/",
            {"article": article.pk, "wording": "w", "quote": "open in May"},
            format="json",
        ),
        400,
        "validation_error",
        "stands 2 times",
    )
    response = client.post(
        "/api/v1/claims/",
        {"article": article.pk, "wording": "w", "quote": "open in May", "occurrence": 2},
        format="json",
    )
    assert response.status_code == 201


@pytest.mark.parametrize(
    "address",
    [
        "javascript:alert(1)",
        "data:text/html,x",
        "ftp://x.org/f",
        "example.org",
        "JAVASCRIPT:alert(1)",
    ],
)
def test_a_bad_url_scheme_is_a_400(api_as, fact_checker, address):
    response = api_as(fact_checker).post(
        "/api/v1/sources/", {"title": "T", "kind": "news_report", "url": address}, format="json"
    )
    assert_error(response, 400, "validation_error", "http:// or https://", field="url")
    assert not Source.objects.filter(title="T").exists()


def test_a_provenance_loop_is_a_400_with_its_path(api_as, fact_checker):
    letter = SourceFactory(title="Letter")
    report = SourceFactory(title="Report")
    add_provenance(author=desk_author(), source=report, rests_on=letter)
    client = api_as(fact_checker)
    url = f"/api/v1/sources/{letter.pk}/"
    etag = client.get(url)["ETag"]
    response = client.patch(url, {"derived_from": [report.pk]}, format="json", HTTP_IF_MATCH=etag)
    assert_error(response, 400, "validation_error", "“Letter” → “Report” → “Letter”")
    assert not Provenance.objects.filter(source=letter).exists()


def test_a_duplicate_outlet_name_is_a_400(api_as, fact_checker):
    OutletFactory(name="Reuters")
    response = api_as(fact_checker).post(
        "/api/v1/outlets/", {"name": "reuters", "kind": "news_agency"}, format="json"
    )
    assert_error(response, 400, "validation_error", "already exists")


@override_settings(API_MAX_BODY_BYTES=1024)
def test_an_oversize_body_is_a_413(api_as, fact_checker):
    response = api_as(fact_checker).post(
        "/api/v1/outlets/", data=json.dumps({"name": "x" * 5000}), content_type="application/json"
    )
    assert_error(response, 413, "request_too_large", "1,024 bytes")


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"state": "probably"}, "state"),
        ({"updated_since": "yesterday"}, "updated_since"),
        ({"article": "not a slug"}, "article"),
        ({"page_size": "501"}, "page_size"),
        ({"page_size": "0"}, "page_size"),
    ],
)
def test_an_unknown_filter_value_is_a_400(api, query, field):
    response = api.get("/api/v1/claims/", query)
    assert_error(response, 400, "validation_error", field=field)


def test_a_garbled_cursor_names_no_page_a_404(api):
    response = api.get("/api/v1/claims/", {"cursor": "garbage"})
    assert_error(response, 404, "not_found", "not a cursor the API gave out")


def test_an_unknown_endpoint_is_a_json_404(api):
    response = api.get("/api/v1/nothing-here/")
    assert_error(response, 404, "not_found", "/api/v1/nothing-here/")


def test_a_wrong_token_is_a_401(api):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert_error(client.get("/api/v1/claims/"), 401, "authentication_failed", "Invalid token")


def test_deleting_is_not_offered(api_as, admin_user):
    claim = ClaimFactory()
    assert_error(
        api_as(admin_user).delete(f"/api/v1/claims/{claim.pk}/"), 405, "method_not_allowed"
    )
    assert Claim.objects.filter(pk=claim.pk).exists()


@override_settings(API_THROTTLE_RATES={"anon": "3/min", "user": "5/min"})
def test_anonymous_clients_and_tokens_are_throttled_with_retry_after(api, api_as, fact_checker):
    for _ in range(3):
        assert api.get("/api/v1/outlets/").status_code == 200
    response = api.get("/api/v1/outlets/")
    assert_error(response, 429, "throttled")
    assert int(response["Retry-After"]) > 0
    client = api_as(fact_checker)
    for _ in range(5):
        assert client.get("/api/v1/outlets/").status_code == 200
    assert client.get("/api/v1/outlets/").status_code == 429


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/articles/?outlet=-448569760151547206959104",
        "/api/v1/evidence/?claim=1.5",
    ],
)
def test_ids_that_cannot_exist_are_400s_not_overflows(api, url):
    assert api.get(url).status_code == 400


@pytest.mark.parametrize(
    "url", ["/api/v1/claims/99999999999999999999999/", "/api/v1/claims/null,null/claimreview/"]
)
def test_paths_that_are_not_ids_are_json_404s(api, url):
    assert_error(api.get(url), 404, "not_found")


def test_a_body_id_too_large_is_a_400(api_as, fact_checker):
    response = api_as(fact_checker).post(
        "/api/v1/evidence/", {"claim": 2**70, "source": 1, "stance": "supports"}, format="json"
    )
    assert_error(response, 400, "validation_error", field="claim")


def test_app_servers_sharing_redis_count_one_rate_limit_together(api, settings):
    """With CACHE_URL set, two app servers (here: this process and a second one) count one rate
    limit together. Real Redis on 127.0.0.1:6379 (every machine of this project runs one);
    skipped, saying so, where none answers."""
    import os
    import subprocess
    import sys

    import redis
    from django.core.cache import caches

    # A Redis database of this test's own: tests/test_outage.py's server counts requests from
    # 127.0.0.1 in database 15, and make test runs the two side by side.
    url = "redis://127.0.0.1:6379/13"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis answers on 127.0.0.1:6379")
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    }
    settings.API_THROTTLE_RATES = {"anon": "4/min", "user": "100/min"}
    caches["default"].clear()
    second_server = (
        "import django; django.setup(); from django.test import Client; "
        "print(Client().get('/api/v1/outlets/').status_code)"
    )
    env = {
        **os.environ,
        "CACHE_URL": url,
        "API_ANON_RATE": "4/min",
        "SECRET_KEY": "x",
        "DEBUG": "0",
        "ALLOWED_HOSTS": "testserver",
    }
    try:
        assert [api.get("/api/v1/outlets/").status_code for _ in range(4)] == [200] * 4
        # The fifth request reaches another process: it knows of the four only through Redis.
        result = subprocess.run(
            [sys.executable, "-c", second_server],
            env=env,
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
            check=True,
        )
        assert result.stdout.strip() == "429"
    finally:
        caches["default"].clear()


def test_a_cache_url_that_is_not_redis_stops_start_up():
    import os
    import subprocess
    import sys

    from django.conf import settings as django_settings

    env = {**os.environ, "CACHE_URL": "memcached://127.0.0.1:11211", "SECRET_KEY": "x"}
    result = subprocess.run(
        [sys.executable, "-c", "import tracker.settings"],
        env=env,
        cwd=django_settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "CACHE_URL must be a redis://" in result.stderr


def test_an_api_approval_confirms_the_articles_pending_changes_with_their_token(
    api_as, editor, fact_checker
):
    """Approving publishes the article's pending changes too: over the API, as on the pages, the
    editor is told which and confirms them (their token), never publishes them unseen."""
    article = ArticleFactory(
        text="The minister said the bridge would open in May. The budget was 40 million.",
        headline="Bridge opens in May",
    )
    public = ClaimFactory(article=article, quote="the bridge would open in May")
    EvidenceFactory(claim=public, source=SourceFactory())
    make_public(public, S.CONFIRMED)
    article = Article.objects.get(pk=article.pk)
    article.headline = "Bridge opens in June"
    services.save_article(article=article, author=fact_checker)
    claim = ClaimFactory(article=article, quote="The budget was 40 million")
    EvidenceFactory(claim=claim, source=SourceFactory(title="A"))
    EvidenceFactory(claim=claim, source=SourceFactory(title="B"))
    claim = services.change_state(
        claim=claim, to_state=S.CONFIRMED, rationale="A and B.", author=fact_checker
    )
    services.submit_for_review(claim=claim, author=fact_checker)
    client = api_as(editor)
    url = f"/api/v1/claims/{claim.pk}/review/"

    refused = client.post(url, {"action": "approve"}, format="json")

    assert_error(
        refused,
        400,
        "validation_error",
        "also publishes its article's pending changes (headline)",
        field="article_changes",
    )
    token = selectors.article_changes_token(selectors.pending_article_changes(article.pk))
    assert token in refused.content.decode()
    assert Article.objects.get(pk=article.pk).live_version.headline == "Bridge opens in May"
    stale = client.post(url, {"action": "approve", "article_changes": "0" * 32}, format="json")
    assert_error(
        stale, 400, "validation_error", "changed again since you looked", field="article_changes"
    )

    approved = client.post(url, {"action": "approve", "article_changes": token}, format="json")

    assert approved.status_code == 200, approved.content
    assert approved.json()["review_state"] == "published"
    assert Article.objects.get(pk=article.pk).live_version.headline == "Bridge opens in June"
