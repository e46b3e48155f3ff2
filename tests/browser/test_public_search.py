"""The dashboard's claim search in a real browser: typed in its box, sent by its button."""

import re

import pytest

from claims import public

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.mark.parametrize("width", [1366, 390])
def test_a_reader_searches_the_published_claims_by_what_they_say(
    live_server, seed, new_page, console, shot, width
):
    public.rebuild()  # the copied seed's rows, as their approvals wrote them
    page = new_page(width=width)
    page.goto(live_server.url + "/")
    page.get_by_label("Search the published claims by what they say").fill(
        "who confirmed that the letter is authentic?"
    )
    page.get_by_role("button", name="Search claims").click()
    page.wait_for_url(re.compile(r".*\?said=.*"))
    results = page.get_by_role("region", name=re.compile("Published claims most like"))
    first = results.locator(".claim-match").first
    assert "letter's authenticity" in first.locator(".claim-match__wording").inner_text()
    assert first.locator(".state").count() == 1  # its state, in words
    assert first.get_by_role("link", name=re.compile("Washington Failed to Brief")).count() == 1
    shot(page, f"dashboard-claim-search-{width}")
    first.locator(".claim-match__wording").click()
    page.wait_for_url(re.compile(r".*/claims/\d+/$"))
    assert "letter's authenticity" in page.locator("main").inner_text()
    assert console.errors == []
    assert console.failed == []
