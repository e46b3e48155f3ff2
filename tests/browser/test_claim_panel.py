"""A 12-claim article entered as a desk enters it, in Chromium: its text pasted, saved, then
taken apart claim by claim from the claim panel beside the marked text, counting every full page
load (a claim costs none: the panel saves with fetch). At 1366 px, then at phone width."""

import pytest

from claims.models import Article, Claim
from tests.browser.test_desk_day import SELECT

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# What the issue allows for a 12-claim article, from signing in to the last claim.
PAGE_LOAD_BUDGET = 16

PARAGRAPHS = [
    "The harbour bridge will open to traffic in the autumn at the earliest, the council leader, "
    "Anne Moray, told councillors on Tuesday.",
    "The bridge was due to open in May. Its cost has risen from £48 million to £61 million, "
    "according to figures the council published last week.",
    "Ms Moray said the contractor had found cracks in two of the bridge's eleven piers in March.",
    "The contractor, Forth Steelworks, said in a statement that the cracks were repaired by June.",
    "About 1,200 workers are on the site each day, the council said.",
    "The transport minister, Ian Shaw, said the government would not pay any of the extra cost.",
    "Mr Shaw told the BBC that the bridge would carry 30,000 vehicles a day once open.",
    "Local businesses say the delay has cost them custom: the chamber of commerce estimates its "
    "members lost £2 million in sales this summer.",
    "The ferry that the bridge replaces carried 400,000 passengers last year.",
    "Opposition councillors called for an independent inquiry into the overrun.",
]
# (passage, wording, claimant, about): twelve claims of the text above.
CLAIMS = [
    ("will open to traffic in the autumn at the earliest", "The bridge will open in the autumn at the earliest.", "Anne Moray", "said"),
    ("The bridge was due to open in May", "The bridge was due to open in May.", "", "event"),
    ("Its cost has risen from £48 million to £61 million", "The cost rose from £48m to £61m.", "", "event"),
    ("the contractor had found cracks in two of the bridge's eleven piers in March", "Cracks were found in two piers in March.", "Anne Moray", "said"),
    ("the cracks were repaired by June", "The cracks were repaired by June.", "Forth Steelworks", "said"),
    ("About 1,200 workers are on the site each day", "About 1,200 people work on the site each day.", "", "event"),
    ("the government would not pay any of the extra cost", "The government will not pay the extra cost.", "Ian Shaw", "said"),
    ("the bridge would carry 30,000 vehicles a day once open", "The bridge will carry 30,000 vehicles a day.", "Ian Shaw", "said"),
    ("the chamber of commerce estimates its members lost £2 million in sales this summer", "Local businesses lost £2m in sales this summer.", "The chamber of commerce", "said"),
    ("carried 400,000 passengers last year", "The ferry carried 400,000 passengers last year.", "", "event"),
    ("Opposition councillors called for an independent inquiry", "Opposition councillors called for an inquiry.", "", "event"),
    ("bridge's eleven piers", "The bridge has eleven piers.", "", "event"),
]  # fmt: skip
TEXT = "\n\n".join(PARAGRAPHS)
FOLLOWS = 4  # Node.DOCUMENT_POSITION_FOLLOWING: the second node comes after the first


def _count_loads(page) -> list[str]:
    """Every full page load of the page's main frame (a fetch is none)."""
    loads: list[str] = []
    page.on("load", lambda loaded: loads.append(loaded.url))
    return loads


def _where(page) -> dict:
    return page.evaluate(
        "({text: document.getElementById('article-source').scrollTop, page: window.scrollY})"
    )


def _select(page, quote: str) -> None:
    start = TEXT.index(quote)
    page.evaluate(SELECT, [start, start + len(quote)])


def _save_and_wait(page, saved_before: int) -> dict:
    """Save the panel's claim; where the reader was as they clicked (the button in view)."""
    button = page.get_by_role("button", name="Save the claim")
    button.scroll_into_view_if_needed()
    where = _where(page)
    button.click()
    page.locator(".claim-panel__message", has_text="Claim #").wait_for()
    page.wait_for_function(
        "n => document.querySelectorAll('#article-source mark').length === n", arg=saved_before + 1
    )
    return where


def test_a_twelve_claim_article_from_pasted_text_within_the_page_load_budget(
    live_server, new_page, console, shot, sign_in, desk_member, fits
):
    desk_member("fiona", "Fact-checkers")
    page = new_page(width=1366, height=900)
    loads = _count_loads(page)
    sign_in(page, "fiona")

    # The article, from its pasted text.
    page.get_by_role("link", name="Articles", exact=True).first.click()
    page.get_by_role("link", name="New article from a web address").click()
    page.fill("#id_paste-text", TEXT)
    page.get_by_role("button", name="Use this text").click()
    page.get_by_role("heading", name="Check the article and save it").wait_for()
    page.fill("#id_headline", "Harbour bridge opening delayed to autumn")
    page.fill("#id_slug", "harbour-bridge-delayed")
    page.get_by_role("button", name="Save the article").click()
    page.wait_for_url("**/admin/claims/article/*/change/")
    article = Article.objects.get()
    assert article.text == TEXT
    # The marked text first, the article's form after it, its Save at the top of the form too.
    order = page.evaluate(
        """() => {
          const text = document.getElementById('article-source');
          const form = document.getElementById('article_form');
          return [text.compareDocumentPosition(form) & Node.DOCUMENT_POSITION_FOLLOWING,
                  form.querySelectorAll('input[name=_save]').length,
                  document.querySelectorAll('form form').length,
                  form.contains(document.getElementById('claim-panel-form'))];
        }"""
    )
    assert order == [FOLLOWS, 2, 0, False]
    assert page.locator("#claim-panel").is_visible()
    shot(page, "claim-panel-empty-1366", full_page=False)

    # Ten claims by selecting their passage; the first one saved without its wording is
    # refused beside the field, with nothing lost.
    for n, (quote, wording, claimant, about) in enumerate(CLAIMS[:10]):
        _select(page, quote)
        assert page.input_value("#claim-panel-quote") == quote
        if claimant:
            page.fill("#claim-panel-claimant", claimant)
        page.select_option("#claim-panel-about", about)
        if n == 0:
            page.get_by_role("button", name="Save the claim").click()
            wording_field = page.locator(".claim-panel__field.field-wording")
            wording_field.locator(".errorlist").wait_for()
            assert "This field is required." in wording_field.inner_text()
            assert page.input_value("#claim-panel-quote") == quote
            assert page.input_value("#claim-panel-claimant") == claimant
            assert page.evaluate("document.activeElement.id") == "claim-panel-wording"
            shot(page, "claim-panel-error-1366", full_page=False)
        page.fill("#claim-panel-wording", wording)
        if n == 6:
            # The reader scrolled down the text: the save leaves them where they were.
            page.evaluate(
                "document.getElementById('article-source').scrollTop = 200; window.scrollTo(0, 120)"
            )
            _select(page, quote)
        before = _save_and_wait(page, n)
        assert _where(page) == before
        # Ready for the next selection: an empty form, the focus back on the text.
        assert page.input_value("#claim-panel-wording") == ""
        assert page.input_value("#claim-panel-quote") == ""
        assert page.evaluate("document.activeElement.id") == "article-source"
        assert page.locator("#claims-heading").inner_text() == (f"Claims in this article ({n + 1})")
    shot(page, "claim-panel-ten-1366", full_page=False)
    shot(page, "claim-panel-ten-1366-full")

    # The eleventh from the keyboard alone: the passage typed, Tab to the wording, Ctrl+Enter.
    quote, wording, _, _ = CLAIMS[10]
    page.locator("#claim-panel-quote").focus()
    page.keyboard.type(quote)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "claim-panel-wording"
    page.keyboard.type(wording)
    page.keyboard.press("Control+Enter")
    page.wait_for_function("() => document.querySelectorAll('#article-source mark').length === 11")

    # The twelfth on a phone: the panel is a bar at the foot of the screen, then a sheet.
    phone = new_page(width=390, height=844)
    phone_loads = _count_loads(phone)
    sign_in(phone, "fiona")
    phone.goto(f"{live_server.url}/admin/claims/article/{article.pk}/change/")
    assert not phone.locator("#claim-panel-wording").is_visible()
    shot(phone, "claim-panel-bar-390", full_page=False)
    quote, wording, claimant, about = CLAIMS[11]
    _select(phone, quote)
    phone.get_by_role("button", name="Make a claim").click()
    assert phone.evaluate("document.activeElement.id") == "claim-panel-wording"
    phone.fill("#claim-panel-wording", wording)
    shot(phone, "claim-panel-sheet-390", full_page=False)
    fits(phone, 390)
    # The passage stands inside claim 4's: saved, and the text keeps the earlier mark.
    phone.get_by_role("button", name="Save the claim").click()
    phone.locator(".claim-panel__message", has_text="overlaps an earlier claim").wait_for()
    assert not phone.locator("#claim-panel-wording").is_visible()
    shot(phone, "claim-panel-saved-390")
    fits(phone, 390)

    claims = list(Claim.objects.order_by("pk"))
    assert [c.quote for c in claims] == [quote for quote, *_ in CLAIMS]
    for claim, (_, wording, claimant, about) in zip(claims, CLAIMS, strict=True):
        assert TEXT[claim.quote_start : claim.quote_end] == claim.quote
        assert (claim.wording, claim.claimant, claim.about) == (wording, claimant, about)
        assert claim.history.count() == 1  # one write a claim, as the service makes it

    # The claim's own page, in the order of the work, Save at its top as well as its foot, the
    # rest folded away.
    page.goto(f"{live_server.url}/admin/claims/claim/{claims[0].pk}/change/")
    headings = page.locator("#claim_form h2").all_inner_texts()
    work = [
        h.lower() for h in headings if h.lower() in {"passage and wording", "evidence", "verdict"}
    ]
    assert work == ["passage and wording", "evidence", "verdict"]
    assert page.locator("#claim_form input[name=_save]").count() == 2
    assert page.locator("#claim_form input[name=_save]").first.is_visible()
    for folded in ("Assignment", "Publication", "Record"):
        assert page.locator("details", has_text=folded).get_attribute("open") is None
    shot(page, "claim-page-top-1366", full_page=False)
    shot(page, "claim-page-1366")
    loads.pop()  # a look at the claim's page, not part of entering the article

    total = len(loads) + len(phone_loads)
    print(f"full page loads: {len(loads)} at 1366 px + {len(phone_loads)} on the phone = {total}")
    assert total <= PAGE_LOAD_BUDGET, loads + phone_loads
    assert console.csp_violations == []
    assert console.errors == []
    # The one refused save (no wording), answered 400 with the form and its errors.
    assert console.failed == [f"400 {live_server.url}/admin/claims/article/{article.pk}/claim/"]
