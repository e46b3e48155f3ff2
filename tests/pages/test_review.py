"""Approving and sending back from the claim page: editors only, through the services, with
CSRF, and every refusal shown as a message rather than a server error."""

import pytest
from django.test import Client
from django.urls import reverse

from claims.models import Claim, ReviewAction, ReviewEvent, ReviewState, Stance
from sources.models import SourceKind
from tests.factories import ArticleFactory, ClaimFactory, EvidenceFactory, SourceFactory

from .conftest import publish

pytestmark = pytest.mark.django_db

APPROVE_BUTTON = "Approve and publish</button>"
SEND_BACK_BUTTON = "Send back</button>"


def page_url(claim) -> str:
    return reverse("claims:claim", args=[claim.pk])


def action_url(claim) -> str:
    return reverse("claims:claim-review", args=[claim.pk])


def in_review(*, primary: bool = True) -> Claim:
    """A confirmed claim waiting for an editor. With ``primary`` its evidence bears it out (an
    on-record official statement); without, it rests on one news report: stronger than its
    evidence."""
    claim = ClaimFactory(article=ArticleFactory())
    Claim.objects.filter(pk=claim.pk).update(
        state="confirmed", rationale="The ministry said so.", review_state=ReviewState.IN_REVIEW
    )
    kind = SourceKind.OFFICIAL_STATEMENT if primary else SourceKind.NEWS_REPORT
    EvidenceFactory(claim=claim, source=SourceFactory(kind=kind), stance=Stance.SUPPORTS)
    claim.refresh_from_db()
    return claim


def post(client, claim, **data):
    return client.post(action_url(claim), {"version": claim.version, **data})


def test_an_editor_sees_the_review_buttons_on_a_claim_in_review(client_for, editor):
    claim = in_review()
    page = client_for(editor).get(page_url(claim)).text
    assert APPROVE_BUTTON in page
    assert SEND_BACK_BUTTON in page
    assert f'<form method="post" action="{action_url(claim)}"' in page
    assert 'name="csrfmiddlewaretoken"' in page
    assert f'<input type="hidden" name="version" value="{claim.version}">' in page
    assert 'name="override_reason"' not in page  # the evidence bears the verdict out


@pytest.mark.parametrize("persona", ["fact_checker", "outsider", None])
def test_nobody_else_sees_them(request, client, client_for, persona):
    claim = in_review()
    if persona:
        client = client_for(request.getfixturevalue(persona))
    response = client.get(page_url(claim))
    # Fact-checkers see the claim (staff), outsiders and anonymous visitors a 404 (not public).
    assert response.status_code == (200 if persona == "fact_checker" else 404)
    assert APPROVE_BUTTON not in response.text
    assert SEND_BACK_BUTTON not in response.text


@pytest.mark.parametrize("review_state", [ReviewState.DRAFT, ReviewState.PUBLISHED])
def test_no_buttons_on_a_claim_not_in_review(client_for, editor, review_state):
    claim = in_review()
    if review_state == ReviewState.PUBLISHED:
        publish(claim)
    else:
        Claim.objects.filter(pk=claim.pk).update(review_state=review_state)
    page = client_for(editor).get(page_url(claim)).text
    assert APPROVE_BUTTON not in page
    assert SEND_BACK_BUTTON not in page


def test_an_editor_approves_and_sees_the_change(client_for, editor):
    claim = in_review()
    client = client_for(editor)
    response = post(client, claim, action="approve", comment="Good work.")
    assert response.status_code == 302
    assert response["Location"] == page_url(claim)
    claim.refresh_from_db()
    assert claim.review_state == ReviewState.PUBLISHED
    event = ReviewEvent.objects.get(claim=claim)
    assert (event.action, event.author, event.comment) == (
        ReviewAction.APPROVE,
        editor,
        "Good work.",
    )
    page = client.get(page_url(claim)).text
    assert f"Claim #{claim.pk} is approved and published: the public sees it now." in page
    assert APPROVE_BUTTON not in page
    assert '<script type="application/ld+json">' in page
    assert Client().get(page_url(claim)).status_code == 200  # public now


def test_sending_back_needs_a_comment_and_says_so(client_for, editor):
    claim = in_review()
    client = client_for(editor)
    refused = post(client, claim, action="send_back", comment="  ")
    assert refused.status_code == 400
    assert "sending a claim back needs a comment" in refused.text
    claim.refresh_from_db()
    assert claim.review_state == ReviewState.IN_REVIEW
    done = post(client, claim, action="send_back", comment="Find a second source.")
    assert done.status_code == 302
    assert f"Claim #{claim.pk} is sent back to its fact-checker" in client.get(page_url(claim)).text
    claim.refresh_from_db()
    assert claim.review_state == ReviewState.DRAFT
    assert ReviewEvent.objects.get(claim=claim).comment == "Find a second source."


def test_a_verdict_stronger_than_its_evidence_needs_a_reason_to_publish(client_for, editor):
    claim = in_review(primary=False)
    client = client_for(editor)
    page = client.get(page_url(claim)).text
    assert "Stronger than its evidence" in page
    assert 'name="override_reason"' in page
    refused = post(client, claim, action="approve", comment="Looks right.")
    assert refused.status_code == 400
    assert "Give a reason to publish it as it is." in refused.text
    assert ">Looks right.</textarea>" in refused.text  # what was typed is kept
    done = post(
        client, claim, action="approve", override_reason="The ministry confirmed it to us by phone."
    )
    assert done.status_code == 302
    event = ReviewEvent.objects.get(claim=claim)
    assert event.override_reason == "The ministry confirmed it to us by phone."


def test_a_stale_version_is_refused_with_a_message_and_nothing_is_lost(client_for, editor):
    claim = in_review()
    client = client_for(editor)
    stale = claim.version
    Claim.objects.filter(pk=claim.pk).update(version=stale + 1)
    response = client.post(
        action_url(claim), {"version": stale, "action": "send_back", "comment": "Please redo."}
    )
    assert response.status_code == 409
    assert "while you were working on it" in response.text
    assert ">Please redo.</textarea>" in response.text
    assert f'name="version" value="{stale + 1}"' in response.text  # ready to try again
    claim.refresh_from_db()
    assert claim.review_state == ReviewState.IN_REVIEW


def test_a_claim_no_longer_in_review_is_refused_with_a_message(client_for, editor):
    claim = in_review()
    Claim.objects.filter(pk=claim.pk).update(review_state=ReviewState.DRAFT)
    claim.refresh_from_db()
    response = post(client_for(editor), claim, action="approve")
    assert response.status_code == 400
    assert "only a claim that is in review can be approved and published" in response.text


def test_a_malformed_post_is_a_400_not_a_500(client_for, editor):
    claim = in_review()
    client = client_for(editor)
    assert client.post(action_url(claim), {"action": "delete", "version": 1}).status_code == 400
    assert client.post(action_url(claim), {"action": "approve", "version": "x"}).status_code == 400
    missing = reverse("claims:claim-review", args=[987654])
    assert client.post(missing, {"action": "approve", "version": 1}).status_code == 404


@pytest.mark.parametrize("persona", ["fact_checker", "outsider"])
def test_a_forged_post_by_anyone_but_an_editor_is_refused(request, client_for, persona):
    claim = in_review()
    client = client_for(request.getfixturevalue(persona))
    response = post(client, claim, action="approve")
    assert response.status_code == 403
    assert post(client, claim, action="send_back", comment="x").status_code == 403
    claim.refresh_from_db()
    assert claim.review_state == ReviewState.IN_REVIEW


def test_anonymous_posts_go_to_the_sign_in_page(client):
    claim = in_review()
    response = post(client, claim, action="approve")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login") + "?next=")
    assert Claim.objects.get(pk=claim.pk).review_state == ReviewState.IN_REVIEW


def test_a_post_without_the_csrf_token_is_refused(editor):
    claim = in_review()
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    assert post(client, claim, action="approve").status_code == 403
    assert Claim.objects.get(pk=claim.pk).review_state == ReviewState.IN_REVIEW


def test_only_post(client_for, editor):
    claim = in_review()
    assert client_for(editor).get(action_url(claim)).status_code == 405


def test_sign_in_and_sign_out_come_back_to_the_page(client_for, editor, client):
    claim = publish(in_review())
    anonymous = client.get(page_url(claim)).text
    assert f'href="{reverse("admin:login")}?next=/claims/{claim.pk}/"' in anonymous
    signed_in = client_for(editor)
    page = signed_in.get(page_url(claim)).text
    assert f'<form method="post" action="{reverse("admin:logout")}"' in page
    response = signed_in.post(reverse("admin:logout"), {"next": page_url(claim)})
    assert response.status_code == 302
    assert response["Location"] == page_url(claim)
