"""The editor's review in Chromium: the queue says who sent each claim, when, and what kind of
review it is; its link opens the status page at the review box, where a correction is compared
word by word with the public version."""

import pytest

from claims import services
from claims.models import Claim, ConfirmationState, Stance
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

TEXT = (
    "The minister said the bridge would open in May, two reports agree. "
    "The ministry said the budget was 40 million."
)


def _desk(desk_member):
    checker = desk_member("fiona", "Fact-checkers", first_name="Fiona", last_name="Ruiz")
    desk_member("eddie", "Editors", first_name="Eddie", last_name="Okafor")
    article = ArticleFactory(text=TEXT, headline="Bridge and budget")
    corrected = ClaimFactory(
        article=article, quote="the bridge would open in May", wording="The bridge opens in May."
    )
    herald = EvidenceFactory(
        claim=corrected, source=SourceFactory(title="Herald report"), excerpt="It opens in May."
    )
    EvidenceFactory(claim=corrected, source=SourceFactory(title="Gazette report"))
    make_public(corrected, ConfirmationState.CONFIRMED, rationale="Two reports say May.")
    corrected = Claim.objects.get(pk=corrected.pk)
    services.edit_claim(
        claim=corrected,
        author=checker,
        wording="The bridge opens in June.",
        state=ConfirmationState.PARTLY_CONFIRMED,
        rationale="One report now says June, not May; the ministry's timetable says July.",
        reason="The Gazette corrected its report.",
    )
    services.remove_evidence(
        evidence=corrected.evidence.get(source__title="Gazette report"), author=checker
    )
    services.add_evidence(
        claim=corrected,
        source=SourceFactory(title="Ministry timetable"),
        stance=Stance.CONTRADICTS,
        excerpt="Opening: 1 July.",
        author=checker,
    )
    herald.excerpt = "It opens in June."
    herald.own_reporting = True
    services.change_evidence(evidence=herald, author=checker)

    new = ClaimFactory(
        article=article, quote="the budget was 40 million", wording="The budget is 40 million."
    )
    EvidenceFactory(claim=new, source=SourceFactory(title="Budget statement"))
    services.change_state(
        claim=new, to_state=ConfirmationState.CONFIRMED, rationale="The statement.", author=checker
    )
    services.submit_for_review(claim=new, author=checker, comment="Only the statement so far.")
    return Claim.objects.get(pk=corrected.pk), new


@pytest.mark.parametrize("width", [1366, 390])
def test_the_editor_goes_from_the_queue_to_the_comparison(
    live_server, new_page, console, shot, width, sign_in, desk_member
):
    corrected, _ = _desk(desk_member)
    page = new_page(width=width)
    sign_in(page, "eddie")
    queue = page.locator("section.queue", has=page.locator("h2", has_text="Awaiting your review"))
    items = queue.locator("li")
    assert items.count() == 2
    correction = items.filter(has_text="The bridge opens in June.")
    assert "A correction of the public verdict" in correction.inner_text()
    assert "Changed after publication by Fiona Ruiz" in correction.inner_text()
    assert "The Gazette corrected its report." in correction.inner_text()
    fresh = items.filter(has_text="The budget is 40 million.")
    assert "A new verdict" in fresh.inner_text()
    assert "Sent by Fiona Ruiz" in fresh.inner_text()
    assert "⚠ Stronger than its evidence" in fresh.inner_text()  # confirmed on one source
    shot(page, f"admin-review-queue-{width}")

    correction.get_by_role("link", name="Review on the status page").click()
    page.wait_for_url(f"**/claims/{corrected.pk}/#review")
    assert page.locator("#review").is_visible()
    comparison = page.locator("#comparison")
    assert comparison.locator("del", has_text="May").first.is_visible()
    assert comparison.locator("ins", has_text="June").first.is_visible()
    text = comparison.inner_text()
    assert "Added: “Ministry timetable”" in text
    assert "Removed: “Gazette report”" in text
    assert "Re-weighed: “Herald report”" in text
    assert "carried by: all its origins → its own reporting" in text
    # Nothing on the page is wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    comparison.scroll_into_view_if_needed()
    shot(page, f"status-comparison-{width}", full_page=False)

    # The admin's claim page shows the same comparison.
    page.goto(f"{live_server.url}/admin/claims/claim/{corrected.pk}/change/")
    assert "Re-weighed: “Herald report”" in page.locator("#comparison").inner_text()
    page.locator("#comparison").scroll_into_view_if_needed()
    shot(page, f"admin-comparison-{width}", full_page=False)
    assert console.errors == []
