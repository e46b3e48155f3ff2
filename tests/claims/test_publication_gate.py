"""Nothing reaches the public without an editor.

Every path that can change what a published claim says (the admin form, its evidence inline, a
bulk action, the API's PUT, PATCH, state and evidence endpoints) changes the working copy only:
the public page, the anonymous API entry and the ClaimReview stay byte for byte what the editor
approved, online, until an editor approves the change; then they show the new version, with its
correction note and dateModified.
"""

import json

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from claims import services
from claims.models import (
    Claim,
    ConfirmationState,
    Evidence,
    ReviewState,
    Stance,
)
from common.writes import WriteOutsideServices
from tests.factories import ArticleFactory, ClaimFactory, EvidenceFactory, SourceFactory

pytestmark = pytest.mark.django_db

S = ConfirmationState
TEXT = (
    "The minister said the bridge would open in May. Critics said it would not open before June. "
    "Officials counted 1,200 workers on the site."
)


@pytest.fixture
def published(fact_checker, editor):
    """A claim published through the workflow, with two independent supporting reports."""
    article = ArticleFactory(text=TEXT)
    claim = services.create_claim(
        article=article,
        wording="The bridge opens in May.",
        quote="the bridge would open in May",
        author=fact_checker,
    )
    services.add_evidence(
        claim=claim, source=SourceFactory(title="Reuters"), stance="supports", author=fact_checker
    )
    services.add_evidence(
        claim=claim, source=SourceFactory(title="AFP"), stance="supports", author=fact_checker
    )
    claim = services.change_state(
        claim=claim, to_state=S.CONFIRMED, rationale="Reuters and AFP.", author=fact_checker
    )
    claim = services.submit_for_review(claim=claim, author=fact_checker)
    return services.approve(claim=claim, author=editor)


def public_view(claim) -> dict[str, bytes]:
    """What a signed-out reader gets: the claim's page, its API entry and its ClaimReview."""
    page, api = Client(), APIClient()
    views = {
        "page": page.get(reverse("claims:claim", args=[claim.pk])),
        "api": api.get(f"/api/v1/claims/{claim.pk}/"),
        "claimreview": api.get(f"/api/v1/claims/{claim.pk}/claimreview/"),
        "article": page.get(reverse("claims:article", args=[claim.article.slug])),
    }
    for name, response in views.items():
        assert response.status_code == 200, name
    return {name: _body(response) for name, response in views.items()}


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def admin_form(claim, **changes) -> dict:
    claim.refresh_from_db()
    evidence = list(Evidence.objects.filter(claim=claim).order_by("pk"))
    data = {
        "article": claim.article_id,
        "wording": claim.wording,
        "quote": claim.quote,
        "occurrence": "",
        "quote_start": claim.quote_start,
        "quote_end": claim.quote_end,
        "claimant": claim.claimant,
        "about": claim.about,
        "state": claim.state,
        "rationale": claim.rationale,
        "change_note": "",
        "assignee": "",
        "version": claim.version,
        "evidence-TOTAL_FORMS": str(len(evidence)),
        "evidence-INITIAL_FORMS": str(len(evidence)),
        "evidence-MIN_NUM_FORMS": "0",
        "evidence-MAX_NUM_FORMS": "1000",
    }
    for n, item in enumerate(evidence):
        data.update(
            {
                f"evidence-{n}-id": item.pk,
                f"evidence-{n}-claim": claim.pk,
                f"evidence-{n}-source": item.source_id,
                f"evidence-{n}-stance": item.stance,
                f"evidence-{n}-excerpt": item.excerpt,
                f"evidence-{n}-note": item.note,
            }
        )
    data.update(changes)
    return data


def api_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def etag(client, claim) -> str:
    return client.get(f"/api/v1/claims/{claim.pk}/")["ETag"]


# Each path takes the published claim and the fact-checker, changes what the claim says, and
# returns what the change was (checked on the working copy).


def by_admin_form(claim, fact_checker, client_for):
    url = reverse("admin:claims_claim_change", args=[claim.pk])
    response = client_for(fact_checker).post(
        url, admin_form(claim, wording="The bridge opens in June.", change_note="Typo.")
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return ("wording", "The bridge opens in June.")


def by_admin_inline(claim, fact_checker, client_for):
    url = reverse("admin:claims_claim_change", args=[claim.pk])
    response = client_for(fact_checker).post(
        url, admin_form(claim, **{"evidence-0-stance": "contradicts"})
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return ("evidence", "contradicts")


def by_bulk_action(claim, fact_checker, client_for):
    response = client_for(fact_checker).post(
        reverse("admin:claims_claim_changelist"),
        {
            "action": "change_state_action",
            ACTION_CHECKBOX_NAME: [claim.pk],
            "apply": "1",
            "state": "disputed",
            "rationale": "The Pentagon denies it.",
        },
        follow=True,
    )
    assert "Changed the state of 1 claim" in response.content.decode()
    return ("state", "disputed")


def by_api_put(claim, fact_checker, client_for):
    client = api_for(fact_checker)
    body = {
        "article": claim.article_id,
        "wording": "The bridge opens in June.",
        "quote": claim.quote,
        "claimant": "",
        "rationale": claim.rationale,
    }
    response = client.put(
        f"/api/v1/claims/{claim.pk}/", body, format="json", HTTP_IF_MATCH=etag(client, claim)
    )
    assert response.status_code == 200, response.json()
    return ("wording", "The bridge opens in June.")


def by_api_patch_quote(claim, fact_checker, client_for):
    client = api_for(fact_checker)
    response = client.patch(
        f"/api/v1/claims/{claim.pk}/",
        {"quote": "the bridge would open", "claimant": "The minister"},
        format="json",
        HTTP_IF_MATCH=etag(client, claim),
    )
    assert response.status_code == 200, response.json()
    return ("claimant", "The minister")


def by_api_move_to_another_article(claim, fact_checker, client_for):
    other = ArticleFactory(text="A draft nobody approved: " + TEXT, headline="Unapproved")
    client = api_for(fact_checker)
    response = client.patch(
        f"/api/v1/claims/{claim.pk}/",
        {"article": other.pk},
        format="json",
        HTTP_IF_MATCH=etag(client, claim),
    )
    assert response.status_code == 200, response.json()
    # The other article's text stays private: nothing of it was approved.
    assert APIClient().get(f"/api/v1/articles/{other.pk}/").status_code == 404
    assert Client().get(reverse("claims:article", args=[other.slug])).status_code == 404
    return ("article_id", other.pk)


def by_api_state(claim, fact_checker, client_for):
    response = api_for(fact_checker).post(
        f"/api/v1/claims/{claim.pk}/state/",
        {
            "state": "refuted",
            "reason": "The ministry's statement.",
            "rationale": "The ministry says June.",
            "change_note": "The ministry's statement of 8 January says June.",
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    return ("state", "refuted")


def by_api_evidence_added(claim, fact_checker, client_for):
    source = SourceFactory(title="The Pentagon's denial")
    response = api_for(fact_checker).post(
        "/api/v1/evidence/",
        {"claim": claim.pk, "source": source.pk, "stance": "contradicts"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    return ("evidence", "contradicts")


def by_api_evidence_reweighed(claim, fact_checker, client_for):
    client = api_for(fact_checker)
    evidence = Evidence.objects.filter(claim=claim).order_by("pk").first()
    url = f"/api/v1/evidence/{evidence.pk}/"
    response = client.patch(
        url, {"stance": "contradicts"}, format="json", HTTP_IF_MATCH=client.get(url)["ETag"]
    )
    assert response.status_code == 200, response.json()
    return ("evidence", "contradicts")


PATHS = [
    by_admin_form,
    by_admin_inline,
    by_bulk_action,
    by_api_put,
    by_api_patch_quote,
    by_api_move_to_another_article,
    by_api_state,
    by_api_evidence_added,
    by_api_evidence_reweighed,
]


@pytest.mark.parametrize("path", PATHS, ids=[p.__name__ for p in PATHS])
def test_a_change_to_a_published_claim_waits_for_an_editor(
    path, published, fact_checker, editor, client_for
):
    before = public_view(published)
    field, value = path(published, fact_checker, client_for)

    claim = Claim.objects.get(pk=published.pk)
    if field == "evidence":
        assert Evidence.objects.filter(claim=claim, stance=value).exists()
    else:
        assert getattr(claim, field) == value
    assert claim.review_state == ReviewState.IN_REVIEW
    assert claim.live_version.number == 1
    # The desk is told what differs from the public version.
    differs = api_for(editor).get(f"/api/v1/claims/{claim.pk}/").json()["publication"]["differs"]
    assert {"article_id": "article"}.get(field, field) in differs
    # The public keeps the approved version, online, byte for byte.
    assert public_view(published) == before

    if field in ("state", "evidence"):  # the verdict or its reasons changed: a note is due
        with pytest.raises(ValidationError, match="correction note"):
            services.approve(claim=claim, author=editor, override_reason="Checked.")
    claim = services.approve(
        claim=Claim.objects.get(pk=published.pk),
        author=editor,
        override_reason="Checked.",
        correction="Corrected after the ministry's statement of 8 January.",
    )
    after = public_view(claim)
    assert after["page"] != before["page"]
    page = after["page"].decode()
    assert "Corrected after the ministry&#x27;s statement of 8 January." in page
    review = json.loads(after["claimreview"])
    assert review["dateModified"] == claim.live_version.approved_at.date().isoformat()
    entry = json.loads(after["api"])
    assert entry["publication"]["version"] == 2
    assert entry["publication"]["correction"].startswith("Corrected after")


def test_an_article_edit_waits_for_an_editor(published, fact_checker, editor, client_for):
    article = published.article
    before = public_view(published)
    url = reverse("admin:claims_article_change", args=[article.pk])
    response = client_for(fact_checker).post(
        url,
        {
            "headline": "A headline nobody approved",
            "slug": article.slug,
            "byline": article.byline,
            "outlet": article.outlet_id,
            "url": article.url,
            "published_on": "",
            "text": "Breaking: " + article.text,
        },
        follow=True,
    )
    assert "The public keeps reading the article as it was approved" in response.content.decode()
    assert public_view(published) == before
    assert b"A headline nobody approved" not in APIClient().get("/api/v1/articles/").content
    with pytest.raises(Exception, match="permission"):
        services.publish_article(article=article, author=fact_checker)
    services.publish_article(article=article, author=editor)
    assert (
        "A headline nobody approved"
        in Client().get(reverse("claims:article", args=[article.slug])).content.decode()
    )


def test_withdrawal_leaves_a_public_notice_and_leaves_the_feed(published, editor):
    services.withdraw(claim=published, author=editor, reason="Anchored to the wrong article.")
    page = Client().get(reverse("claims:claim", args=[published.pk]))
    assert page.status_code == 200
    assert "This verdict was withdrawn on" in page.content.decode()
    assert "Anchored to the wrong article." in page.content.decode()
    assert (
        not Client()
        .get(reverse("claims:claim", args=[published.pk]))
        .content.count(b"application/ld+json")
    )
    feed = json.loads(_body(APIClient().get("/api/v1/claimreview/")))
    assert feed["dataFeedElement"] == []
    assert APIClient().get(f"/api/v1/claims/{published.pk}/claimreview/").status_code == 404
    entry = APIClient().get(f"/api/v1/claims/{published.pk}/").json()
    assert entry["publication"]["withdrawn"] is True
    versions = APIClient().get(f"/api/v1/claims/{published.pk}/versions/").json()
    assert [(v["number"], v["kind"]) for v in versions] == [(1, "approval"), (2, "withdrawal")]


def test_a_domain_model_saved_outside_the_services_is_refused():
    claim = ClaimFactory()
    claim.wording = "Changed behind the services' back."
    with pytest.raises(WriteOutsideServices, match="only through its service"):
        claim.save()
    evidence = EvidenceFactory(claim=claim)
    with pytest.raises(WriteOutsideServices):
        evidence.delete()
    assert Claim.objects.get(pk=claim.pk).wording != "Changed behind the services' back."


def test_a_write_that_changes_nothing_changes_nothing(published, fact_checker):
    client = api_for(fact_checker)
    url = f"/api/v1/claims/{published.pk}/"
    tag = etag(client, published)
    response = client.patch(url, {"wording": published.wording}, format="json", HTTP_IF_MATCH=tag)
    assert response.status_code == 200
    assert response["ETag"] == tag
    assert Claim.objects.get(pk=published.pk).review_state == ReviewState.PUBLISHED


@pytest.mark.parametrize(
    ("body", "field", "says"),
    [
        ({"state": "confirmed"}, "state", "claims/<id>/state/"),
        ({"review_state": "published"}, "review_state", "claims/<id>/review/"),
        ({"version": 9}, "version", "If-Match"),
        ({"colour": "red"}, "colour", "colour is not a field this endpoint takes"),
        ({"id": 5}, "id", "id is not a field this endpoint takes"),
    ],
)
def test_patching_a_field_that_cannot_be_written_is_a_400_naming_it(
    published, fact_checker, body, field, says
):
    client = api_for(fact_checker)
    url = f"/api/v1/claims/{published.pk}/"
    tag = etag(client, published)
    response = client.patch(url, body, format="json", HTTP_IF_MATCH=tag)
    assert response.status_code == 400
    assert says in " ".join(response.json()["errors"][field])
    assert etag(client, published) == tag  # nothing changed, not even the version


def test_a_state_change_over_the_api_runs_fourteen_statements_or_fewer(
    published, fact_checker, django_assert_max_num_queries
):
    """The write's transaction, which the answer is read in too (claims.api.views'
    answered_in_its_transaction: here a savepoint inside the test's own transaction, in
    production BEGIN IMMEDIATE and COMMIT on SQLite), the service's savepoint inside it (two
    statements each), the claim locked and read
    once with its article and public version, its update, its field history, the state change,
    and the desk's independence block stored again (the claim's evidence, the lineages of its
    sources, the upsert: claims.independence); then the response's claim (with its stored
    block), evidence with sources and origins, and frozen evidence. No second lock or read, no
    savepoint beyond those two, no representation built to hash an ETag."""
    client = api_for(fact_checker)
    claim = services.change_state(
        claim=published, to_state=S.DISPUTED, rationale="Denied.", author=fact_checker
    )
    # Warm the permission cache as a real token's user would be on its first write.
    fact_checker.has_perm("claims.change_claim")
    with django_assert_max_num_queries(14) as captured:
        response = client.post(
            f"/api/v1/claims/{claim.pk}/state/",
            {
                "state": "refuted",
                "reason": "The ministry's statement.",
                "rationale": "The ministry says June.",
                "change_note": "The ministry's statement of 8 January says June.",
            },
            format="json",
        )
    assert response.status_code == 200, response.json()
    savepoints = [q for q in captured.captured_queries if q["sql"].startswith("SAVEPOINT")]
    assert len(savepoints) == 2


def test_the_public_sees_the_desk_never_its_staff(published, fact_checker, editor, settings):
    fact_checker.first_name, fact_checker.last_name = "Fiona", "Checker"
    editor.first_name, editor.last_name = "Eddie", "Editor"
    fact_checker.save()
    editor.save()
    Claim.objects.filter(pk=published.pk).update(assignee=fact_checker)
    names = [
        fact_checker.username,
        editor.username,
        "Fiona",
        "Checker",
        "Eddie",
        "Editor",
        "test-desk-author",
    ]
    page, api = Client(), APIClient()
    responses = [
        page.get("/"),
        page.get(reverse("claims:article", args=[published.article.slug])),
        page.get(reverse("claims:claim", args=[published.pk])),
        api.get("/api/v1/claims/"),
        api.get(f"/api/v1/claims/{published.pk}/"),
        api.get(f"/api/v1/claims/{published.pk}/history/"),
        api.get(f"/api/v1/claims/{published.pk}/versions/"),
        api.get(f"/api/v1/claims/{published.pk}/claimreview/"),
        api.get("/api/v1/claimreview/"),
        api.get("/api/v1/articles/"),
        api.get("/api/v1/evidence/"),
        api.get("/api/v1/sources/"),
        api.get("/api/v1/outlets/"),
    ]
    for response in responses:
        assert response.status_code == 200
        text = _body(response).decode()
        for name in names:
            assert name not in text, (response.request["PATH_INFO"], name)
    assert (
        "an editor of Claim Tracker"
        in api.get(f"/api/v1/claims/{published.pk}/versions/").content.decode()
    )
    # A desk that publishes bylines says so in one setting.
    settings.PUBLIC_BYLINES = True
    assert "Eddie Editor" in api.get(f"/api/v1/claims/{published.pk}/versions/").content.decode()


def test_evidence_stance_flip_keeps_the_public_verdict(published, fact_checker):
    """The trial's case: a claim still showed "Confirmed" after its evidence turned to
    "contradicts" — the public now keeps the approved evidence with the approved verdict."""
    evidence = Evidence.objects.filter(claim=published).first()
    evidence.stance = Stance.CONTRADICTS
    services.change_evidence(evidence=evidence, author=fact_checker)
    entry = APIClient().get(f"/api/v1/claims/{published.pk}/").json()
    assert entry["state"] == "confirmed"
    assert {e["stance"] for e in entry["evidence"]} == {"supports"}


def test_a_long_reason_is_kept_whole_in_the_field_history(published, fact_checker):
    """A rationale of several sentences is the reason of its field-history row, whole (on
    PostgreSQL a 100-character column refused it: found by Schemathesis)."""
    reason = "The ministry's statement of 8 January says June, not May. " * 6
    api_for(fact_checker).post(
        f"/api/v1/claims/{published.pk}/state/",
        {
            "state": "refuted",
            "reason": reason.strip(),
            "rationale": "The ministry says June.",
            "change_note": "June.",
        },
        format="json",
    )
    latest = Claim.history.filter(id=published.pk).order_by("-history_id").first()
    assert latest.history_change_reason == reason.strip()
