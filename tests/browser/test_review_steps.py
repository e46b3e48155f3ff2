"""Review steps in Chromium, as an editor clicks them: a public verdict that a fact-checker took
back to "in progress" is still withdrawn from its admin page (the button was missing, and the
service refused "is a draft" while the old verdict stayed public and in the feed)."""

import pytest

from claims import services
from claims.models import ConfirmationState, ReviewState
from tests.factories import ClaimFactory, EvidenceFactory, SourceFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_an_editor_withdraws_a_public_verdict_that_was_reopened_to_in_progress(
    live_server, new_page, console, shot, sign_in, desk_member
):
    checker, editor = desk_member("fiona", "Fact-checkers"), desk_member("eddie", "Editors")
    claim = ClaimFactory()
    EvidenceFactory(claim=claim, source=SourceFactory(title="Reuters"))
    EvidenceFactory(claim=claim, source=SourceFactory(title="AFP"))
    claim = services.change_state(
        claim=claim,
        to_state=ConfirmationState.CONFIRMED,
        rationale="Reuters and AFP both report it.",
        author=checker,
    )
    claim = services.submit_for_review(claim=claim, author=checker)
    claim = services.approve(claim=claim, author=editor)
    claim = services.change_state(
        claim=claim,
        to_state=ConfirmationState.IN_PROGRESS,
        rationale="The ministry now denies it; checking again.",
        author=checker,
    )
    assert claim.review_state == ReviewState.DRAFT

    page = new_page(width=1366)
    sign_in(page, "eddie")
    page.goto(f"{live_server.url}/admin/claims/claim/{claim.pk}/change/")
    page.fill("#review-withdraw-comment", "The ministry denies it: we are checking again.")
    shot(page, "admin-claim-withdraw-reopened-1366")
    page.get_by_role("button", name="Withdraw").click()
    page.wait_for_load_state()
    assert "is now a draft." in page.locator(".messagelist").inner_text()

    # The public reads the withdrawal notice, and the feed no longer carries the verdict.
    reader = new_page(width=390)
    reader.goto(f"{live_server.url}/claims/{claim.pk}/")
    assert "The ministry denies it: we are checking again." in reader.content()
    shot(reader, "status-claim-withdrawn-390")
    feed = reader.request.get(f"{live_server.url}/api/v1/claimreview/").json()
    assert not [e for e in feed["dataFeedElement"] if e["url"].endswith(f"/claims/{claim.pk}/")]
    assert console.errors == []
