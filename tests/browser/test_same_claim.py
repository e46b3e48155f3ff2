""" "Same claim" and "Cite as evidence" from the claim form's "said before" box, in Chromium:
the links and the evidence are saved by fetch while the claim form, with what was typed in it,
stays as it was and still saves."""

import pytest

from claims.models import Claim, Evidence
from matching import services
from matching.models import ClaimLink, FactCheckLink
from sources.models import SourceKind
from tests.factories import ArticleFactory, ClaimFactory
from tests.matching.test_import import PAGE

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TEXT = "Officials said the harbour ferry carried two million passengers last year."
QUOTE = "the harbour ferry carried two million passengers last year"


def test_same_claim_and_cite_as_evidence_keep_the_claim_form(
    live_server, new_page, console, shot, sign_in, desk_member
):
    checker = desk_member("fiona", "Fact-checkers")
    services.import_page(content=PAGE, url="https://factcheck.example.org/ferry", author=checker)
    earlier = ClaimFactory(
        article=ArticleFactory(headline="Ferry figures questioned", text=TEXT),
        quote=QUOTE,
        wording="The harbour ferry carried two million passengers last year.",
    )
    claim = ClaimFactory(
        article=ArticleFactory(headline="Ferry again", text=TEXT),
        quote=QUOTE,
        wording="Two million rode the ferry.",
    )

    page = new_page(width=1366)
    sign_in(page, "fiona")
    change = f"/admin/claims/claim/{claim.pk}/change/"
    page.goto(live_server.url + change)
    typed = "Did two million passengers ride the harbour ferry last year?"
    # The box answers the typed wording (after its pause): the rows clicked below are that
    # answer's, not the first one's, which it would replace under the clicks.
    with page.expect_response(lambda response: "text=Did" in response.url):
        page.fill("#id_wording", typed)
    page.locator(".similar-claims[aria-busy=false]").wait_for()
    box = page.locator(".similar-claims")
    desk_row = box.locator(".similar-claims__item--claim").first
    desk_row.wait_for()
    desk_row.get_by_role("button", name="Same claim").click()
    desk_row.get_by_text("Same claim ✓").wait_for()
    fact_check_row = box.locator(".similar-claims__item--external", has_text="ferry").first
    fact_check_row.get_by_role("button", name="Same claim").click()
    fact_check_row.get_by_text("Same claim ✓").wait_for()
    fact_check_row.get_by_role("button", name="Cite as evidence").click()
    fact_check_row.get_by_text("Cited as evidence").wait_for()
    shot(page, "claim-same-1366")
    page.set_viewport_size({"width": 390, "height": 900})
    shot(page, "claim-same-390")

    assert page.url.endswith(change)  # nothing was submitted
    assert page.input_value("#id_wording") == typed
    low, high = sorted((claim.pk, earlier.pk))
    assert ClaimLink.objects.filter(claim_a_id=low, claim_b_id=high).exists()
    assert FactCheckLink.objects.filter(claim=claim).count() == 1
    cited = Evidence.objects.get(claim=claim)
    assert cited.source.kind == SourceKind.FACT_CHECK
    assert "checked by Example Checks on 4 March 2026: Mostly false" in cited.note

    # The form, sent after the cite, saves what was typed (its version followed the cite).
    page.locator("input[name=_continue]").last.click()
    page.wait_for_url(f"**{change}")
    assert Claim.objects.get(pk=claim.pk).wording == typed
    assert page.locator(".same-claims").get_by_text("checked by Example Checks").count() == 1
    page.goto(live_server.url + f"/admin/claims/claim/{earlier.pk}/change/")
    assert page.locator(".same-claims").get_by_text(typed).count() == 1
    assert console.errors == []
    assert console.csp_violations == []
