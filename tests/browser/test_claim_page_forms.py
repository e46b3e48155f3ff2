"""Every form on a claim's admin page does what its button says, in Chromium: a desk comment is
kept (its form stood inside the claim's, so the browser dropped it and "Add comment" saved the
claim instead), and a review step saves the edits on screen before it is taken (an editor who
fixed the rationale and approved at once published the old text)."""

import pytest

from claims import services
from claims.models import Claim, ClaimComment, ConfirmationState, ReviewState
from tests.factories import ClaimFactory, EvidenceFactory, SourceFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _claim_in_review(checker):
    claim = ClaimFactory()
    EvidenceFactory(claim=claim, source=SourceFactory(title="Reuters"))
    EvidenceFactory(claim=claim, source=SourceFactory(title="AFP"))
    claim = services.change_state(
        claim=claim,
        to_state=ConfirmationState.CONFIRMED,
        rationale="Reuters reports it.",
        author=checker,
    )
    return services.submit_for_review(claim=claim, author=checker)


def test_a_desk_comment_is_kept_and_shown(
    live_server, new_page, console, shot, sign_in, desk_member
):
    desk_member("fiona", "Fact-checkers")
    claim = ClaimFactory()
    page = new_page(width=1366)
    sign_in(page, "fiona")
    page.goto(f"{live_server.url}/admin/claims/claim/{claim.pk}/change/")
    page.fill("#comment-body", "@eddie the ministry's statement is on its site, not in the wire.")
    page.get_by_role("button", name="Add comment").click()
    page.wait_for_load_state()

    assert "Your comment is in the claim's discussion." in page.locator(".messagelist").inner_text()
    comment = ClaimComment.objects.get(claim=claim)
    assert comment.body.startswith("@eddie the ministry's statement")
    timeline = page.locator(".desk-timeline").inner_text()
    assert "the ministry's statement is on its site" in timeline
    shot(page, "admin-claim-commented-1366")
    phone = new_page(width=390)
    sign_in(phone, "fiona")
    phone.goto(f"{live_server.url}/admin/claims/claim/{claim.pk}/change/")
    shot(phone, "admin-claim-commented-390")
    assert console.errors == []


def test_approving_right_after_an_edit_publishes_the_edit(
    live_server, new_page, console, shot, sign_in, desk_member
):
    checker = desk_member("fiona", "Fact-checkers")
    desk_member("eddie", "Editors")
    claim = _claim_in_review(checker)

    page = new_page(width=1366)
    sign_in(page, "eddie")
    page.goto(f"{live_server.url}/admin/claims/claim/{claim.pk}/change/")
    page.fill("#id_rationale", "Reuters and AFP each saw the letter.")
    page.fill("#review-approve-comment", "Good catch on AFP.")
    shot(page, "admin-claim-approve-after-edit-1366", full_page=False)
    page.get_by_role("button", name="Approve and publish").click()
    page.wait_for_load_state()

    said = page.locator(".messagelist").inner_text()
    assert "Your changes are saved." in said
    assert "is now published." in said
    claim = Claim.objects.select_related("live_version").get(pk=claim.pk)
    assert claim.review_state == ReviewState.PUBLISHED
    assert claim.live_version.rationale == "Reuters and AFP each saw the letter."
    reader = new_page(width=390)
    reader.goto(f"{live_server.url}/claims/{claim.pk}/")
    assert "Reuters and AFP each saw the letter." in reader.content()
    assert console.errors == []


def test_an_invalid_edit_is_not_approved_and_its_errors_show(
    live_server, new_page, console, sign_in, desk_member
):
    checker = desk_member("fiona", "Fact-checkers")
    desk_member("eddie", "Editors")
    claim = _claim_in_review(checker)

    page = new_page(width=1366)
    sign_in(page, "eddie")
    page.goto(f"{live_server.url}/admin/claims/claim/{claim.pk}/change/")
    page.fill("#id_wording", "")
    page.fill("#review-approve-comment", "Fine.")
    page.get_by_role("button", name="Approve and publish").click()
    page.wait_for_load_state()

    assert page.locator(".errornote").is_visible()
    assert page.locator(".field-wording .errorlist").inner_text() == "This field is required."
    assert page.input_value("#review-approve-comment") == "Fine."
    assert Claim.objects.get(pk=claim.pk).review_state == ReviewState.IN_REVIEW
    assert console.errors == []


def test_enter_in_a_field_saves_the_claim_and_takes_no_review_step(
    live_server, new_page, sign_in, desk_member
):
    checker = desk_member("fiona", "Fact-checkers")
    desk_member("eddie", "Editors")
    claim = _claim_in_review(checker)

    page = new_page(width=1366)
    sign_in(page, "eddie")
    page.goto(f"{live_server.url}/admin/claims/claim/{claim.pk}/change/")
    page.fill("#id_claimant", "The Pentagon")
    page.press("#id_claimant", "Enter")
    page.wait_for_url("**/admin/claims/claim/")  # the admin's Save: back to the list

    claim = Claim.objects.get(pk=claim.pk)
    assert (claim.claimant, claim.review_state) == ("The Pentagon", ReviewState.IN_REVIEW)
