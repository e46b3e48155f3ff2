"""A source edit in the admin, in Chromium: the fact-checker saves the source's form, the
published verdict citing it goes back to review (the public keeps the approved copy), and the
editor's "Approve and publish" on the claim's status page publishes the source as it now stands
(claims.services.review.reopen_for_source_edits)."""

import pytest

from claims.models import Claim, ConfirmationState
from tests.factories import (
    ArticleFactory,
    ClaimFactory,
    EvidenceFactory,
    SourceFactory,
    make_public,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TEXT = "The minister said the bridge would open in May. The budget was 40 million."


@pytest.mark.parametrize("width", [1366, 390])
def test_a_source_saved_in_the_admin_reaches_the_public_once_an_editor_approves(
    live_server, new_page, console, shot, width, sign_in, desk_member, client
):
    desk_member("fiona", "Fact-checkers")
    desk_member("eddie", "Editors")
    claim = ClaimFactory(article=ArticleFactory(text=TEXT), quote="the bridge would open in May")
    source = SourceFactory(title="Ministry statement, 3 May")
    EvidenceFactory(claim=claim, source=source)
    make_public(claim, ConfirmationState.CONFIRMED)

    page = new_page(width=width)
    sign_in(page, "fiona")
    page.goto(f"{live_server.url}/admin/sources/source/{source.pk}/change/")
    page.get_by_label("Title").fill("Ministry statement, 4 May")
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_load_state()
    assert "was changed successfully" in page.locator(".messagelist").inner_text()
    assert Claim.objects.get(pk=claim.pk).review_state == "in_review"
    assert "Ministry statement, 3 May" in client.get(f"/claims/{claim.pk}/").text
    assert "Ministry statement, 4 May" not in client.get(f"/claims/{claim.pk}/").text

    page.context.clear_cookies()
    sign_in(page, "eddie")
    page.goto(f"{live_server.url}/claims/{claim.pk}/")
    assert "A source the public version shows was edited" in page.content()
    comparison = page.locator("#comparison")
    assert comparison.locator("ins", has_text="4").first.is_visible()
    page.goto(f"{live_server.url}/claims/{claim.pk}/#review")
    shot(page, f"status-source-edit-in-review-{width}", full_page=False)
    page.get_by_label("Reason to publish a verdict stronger than its evidence").fill(
        "The ministry's own statement is the record of what it announced."
    )
    page.get_by_role("button", name="Approve and publish").click()
    page.wait_for_load_state()
    assert "is approved and published" in page.content()
    assert Claim.objects.get(pk=claim.pk).review_state == "published"
    public_page = client.get(f"/claims/{claim.pk}/").text
    assert "Ministry statement, 4 May" in public_page
    assert "Ministry statement, 3 May" not in public_page
    assert console.errors == []
