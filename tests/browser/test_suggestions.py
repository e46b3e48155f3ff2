"""The suggested sentences of an article's page, in Chromium: ranked with their reasons,
highlighted in the text on hover, Accept making a claim anchored to exactly the sentence (or to a
selection inside it) through the claim panel, Dismiss remembered after a reload with who and when.
At 1366 px, then at phone width."""

import pytest

from claims.models import Claim
from suggestions.models import DismissedSuggestion
from tests.browser.test_desk_day import SELECT
from tests.factories import ArticleFactory, ClaimFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# An emoji (two UTF-16 units, one code point) before the sentences: the offsets stay Python's.
HEADLINE_LINE = "🚧 Harbour bridge delayed"
COST = "The bridge's cost has risen from £48 million to £61 million, the council said in March."
MAY = "Anne Moray said the bridge would open in May, the earliest date the contractor gave."
CRACKS = "Ms Moray said the contractor found cracks in two of the eleven piers in 2024."
THANKS = "Thank you."
COVERED = "Opposition councillors called for an inquiry into the overrun."
TEXT = "\n\n".join([HEADLINE_LINE, f"{COST} {MAY}", f"{CRACKS} {THANKS}", COVERED])
NARROWED = "the contractor found cracks in two of the eleven piers"


def _item(page, sentence):
    return page.locator(".suggestion", has_text=sentence[:40])


def _listed(page) -> list[str]:
    return page.locator(".suggestion__text").all_inner_texts()


def _highlighted(page) -> str:
    return page.evaluate(
        "() => { const h = CSS.highlights.get('suggestion'); return h ? [...h][0].toString() : ''; }"
    )


def _accept_and_save(page, sentence, wording):
    _item(page, sentence).get_by_role("button", name="Accept").click()
    page.wait_for_function(
        "q => document.getElementById('claim-panel-quote').value === q", arg=sentence
    )
    page.fill("#claim-panel-wording", wording)


def _save(page, marks):
    page.get_by_role("button", name="Save the claim").click()
    page.locator(".claim-panel__message", has_text="Claim #").wait_for()
    page.wait_for_function(
        "n => document.querySelectorAll('#article-source mark').length === n", arg=marks
    )


def test_a_suggestion_accepted_becomes_a_claim_and_one_dismissed_stays_gone(
    live_server, new_page, console, shot, sign_in, desk_member, fits
):
    checker = desk_member("fiona", "Fact-checkers")
    article = ArticleFactory(text=TEXT)
    ClaimFactory(article=article, quote=COVERED)
    page = new_page(width=1366, height=900)
    sign_in(page, "fiona")
    page.goto(f"{live_server.url}/admin/claims/article/{article.pk}/change/")

    # Ranked, with their reasons in words; the sentence a claim covers is not listed.
    listed = _listed(page)
    assert f"“{COST}”" in listed
    assert f"“{COVERED}”" not in listed
    assert listed[-1] == f"“{THANKS}”"
    assert listed.index(f"“{COST}”") < listed.index(f"“{MAY}”")
    reasons = _item(page, COST).locator(".suggestion__reasons").inner_text()
    assert reasons.startswith("a figure, a quantity change, an amount of money")
    assert "less likely: a greeting or thanks" in _item(page, THANKS).inner_text()

    # Hovering a suggestion highlights its sentence in the text.
    _item(page, MAY).hover()
    assert _highlighted(page) == MAY
    shot(page, "suggestions-hover-1366", full_page=False)

    # Accept: the panel takes the whole sentence; saving anchors the claim to exactly it.
    _accept_and_save(page, COST, "The bridge's cost rose from £48m to £61m.")
    start = TEXT.index(COST)
    assert page.input_value("#claim-panel-quote_start") == str(start)
    assert page.input_value("#claim-panel-quote_end") == str(start + len(COST))
    assert page.evaluate("document.activeElement.id") == "claim-panel-wording"
    shot(page, "suggestions-accepted-1366", full_page=False)
    _save(page, 2)
    claim = Claim.objects.get(wording="The bridge's cost rose from £48m to £61m.")
    assert (claim.quote_start, claim.quote_end, claim.quote) == (start, start + len(COST), COST)
    assert f"“{COST}”" not in _listed(page)  # covered now

    # Accept, then narrow the passage by selecting inside the sentence in the text.
    _item(page, CRACKS).get_by_role("button", name="Accept").click()
    page.wait_for_function(
        "q => document.getElementById('claim-panel-quote').value === q", arg=CRACKS
    )
    narrowed_start = TEXT.index(NARROWED)
    page.evaluate(SELECT, [narrowed_start, narrowed_start + len(NARROWED)])
    assert page.input_value("#claim-panel-quote") == NARROWED
    page.fill("#claim-panel-wording", "Cracks were found in two of the eleven piers.")
    _save(page, 3)
    narrowed = Claim.objects.get(wording="Cracks were found in two of the eleven piers.")
    assert (narrowed.quote_start, narrowed.quote_end) == (
        narrowed_start,
        narrowed_start + len(NARROWED),
    )
    assert f"“{CRACKS}”" not in _listed(page)

    # Dismiss: gone at once, and after a reload; the row says who and when.
    _item(page, THANKS).get_by_role("button", name="Dismiss").click()
    _item(page, THANKS).wait_for(state="detached")
    page.reload()
    assert f"“{THANKS}”" not in _listed(page)
    assert f"“{MAY}”" in _listed(page)
    dismissal = DismissedSuggestion.objects.get()
    thanks_start = TEXT.index(THANKS)
    assert (dismissal.article_id, dismissal.start, dismissal.end) == (
        article.pk,
        thanks_start,
        thanks_start + len(THANKS),
    )
    assert dismissal.dismissed_by == checker
    assert dismissal.dismissed_at is not None
    shot(page, "suggestions-after-1366")
    fits(page, 1366)

    # On a phone: the list above the text, Accept opens the panel's sheet with the sentence.
    phone = new_page(width=390, height=844)
    sign_in(phone, "fiona")
    phone.goto(f"{live_server.url}/admin/claims/article/{article.pk}/change/")
    shot(phone, "suggestions-390", full_page=False)
    fits(phone, 390)
    _item(phone, MAY).get_by_role("button", name="Accept").click()
    phone.wait_for_function(
        "q => document.getElementById('claim-panel-quote').value === q", arg=MAY
    )
    assert phone.locator("#claim-panel-wording").is_visible()
    shot(phone, "suggestions-accepted-390", full_page=False)
    fits(phone, 390)

    assert console.errors == []
    assert console.csp_violations == []
    assert console.failed == []
