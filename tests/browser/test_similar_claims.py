"""Writing a claim shows what was checked before: the desk's claims of every article and other
desks' imported fact-checks, in Chromium, as the wording is typed."""

import json

import pytest

from matching import services
from tests.factories import ArticleFactory, ClaimFactory
from tests.matching.test_import import FEED, PAGE

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TEXT = "Officials said the harbour ferry carried two million passengers last year."


def test_the_claim_form_shows_earlier_claims_and_fact_checks_as_the_wording_is_typed(
    live_server, new_page, console, shot, sign_in, desk_member
):
    checker = desk_member("fiona", "Fact-checkers")
    services.import_page(content=PAGE, url="https://factcheck.example.org/ferry", author=checker)
    services.import_feed(content=json.dumps(FEED).encode(), author=checker)
    earlier = ClaimFactory(
        article=ArticleFactory(headline="Ferry figures questioned", text=TEXT),
        quote="the harbour ferry carried two million passengers last year",
        wording="The harbour ferry carried two million passengers last year.",
    )

    page = new_page(width=1366)
    sign_in(page, "fiona")
    page.goto(live_server.url + "/admin/claims/claim/add/")
    page.fill("#id_wording", "Did two million passengers ride the ferry?")
    box = page.locator(".similar-claims")
    box.locator("li").first.wait_for()
    items = box.locator("li").all_inner_texts()
    assert any(
        "The harbour ferry carried two million passengers last year." in item
        and "Unverified" in item
        and "Ferry figures questioned" in item
        for item in items
    ), items
    assert any(
        "checked by Example Checks on 4 March 2026: Mostly false" in item for item in items
    ), items
    assert not any("coalition" in item for item in items)
    shot(page, "claim-similar-1366")

    box.locator(".similar-claims__item--claim").get_by_role("link", name=earlier.wording).click()
    page.wait_for_url(f"**/admin/claims/claim/{earlier.pk}/change/")
    # On the earlier claim's own page, it is not listed as like itself.
    page.locator(".similar-claims li").first.wait_for()
    assert page.locator(".similar-claims .similar-claims__item--claim").count() == 0
    assert "Mostly false" in page.locator(".similar-claims").inner_text()
    assert console.errors == []
    assert console.csp_violations == []
