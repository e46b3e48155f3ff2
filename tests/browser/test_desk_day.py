"""A desk's day in Chromium: claims made by selecting text, anchors that survive an edit, the
state's meaning following the form, at desktop and phone widths, with nothing blocked."""

import pytest

from claims.models import AnchorEvent, Claim
from tests.factories import ArticleFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TEXT = (
    "On Tuesday the minister said “the bridge would open in May”. "
    "Critics said the bridge would open in May only on paper 🚧. "
    "Officials counted 1,200 workers on the site."
)

SELECT = """([start, end]) => {
  // Select characters start..end (code points) of the article text, across its marks.
  const root = document.getElementById("article-source");
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  let seen = 0, node;
  while ((node = walker.nextNode())) {
    const units = node.textContent;
    let points = 0;
    for (let i = 0; i <= units.length; ) {
      if (seen + points === start) range.setStart(node, i);
      if (seen + points === end) { range.setEnd(node, i); }
      if (i === units.length) break;
      const cp = units.codePointAt(i);
      i += cp > 0xffff ? 2 : 1;
      points += 1;
    }
    seen += points;
  }
  const selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
  document.dispatchEvent(new Event("selectionchange"));
}"""


def test_claims_made_by_selecting_text_survive_an_edit_of_the_first_sentence(
    live_server, new_page, console, shot, sign_in, desk_member, fits
):
    desk_member("fiona", "Fact-checkers")
    article = ArticleFactory(text=TEXT)
    page = new_page(width=1366)
    sign_in(page, "fiona")
    article_url = f"{live_server.url}/admin/claims/article/{article.pk}/change/"

    # The second "the bridge would open in May" (after an emoji-free stretch) and a passage
    # after the emoji: offsets in code points, as Python counts them.
    second = TEXT.index("the bridge would open in May", TEXT.index("Critics"))
    workers = TEXT.index("1,200 workers")
    page.goto(article_url)
    for n, (start, end) in enumerate(
        [(second, second + len("the bridge would open in May")), (workers, workers + 13)]
    ):
        # The claim panel beside the text takes the selection; saving marks it in the text.
        page.evaluate(SELECT, [start, end])
        assert page.input_value("#claim-panel-quote") == TEXT[start:end]
        assert f"Characters {start}–{end}" in page.locator("#selection-status").inner_text()
        page.fill("#claim-panel-wording", f"Claim {n}")
        page.get_by_role("button", name="Save the claim").click()
        page.wait_for_function(
            "n => document.querySelectorAll('#article-source mark').length === n", arg=n + 1
        )
        assert page.locator("#article-source mark").nth(n).inner_text() == TEXT[start:end]
    first, last = Claim.objects.order_by("pk")
    assert (first.quote_start, first.quote_end) == (second, second + 28)
    assert (last.quote_start, last.quote) == (workers, "1,200 workers")
    shot(page, "desk-claims-1366")

    # What is typed in the panel goes on to the full claim form (state, evidence) when asked.
    first_said = TEXT.index("the bridge would open in May")
    page.evaluate(SELECT, [first_said, first_said + 28])
    page.fill("#claim-panel-wording", "The minister said the bridge would open in May.")
    page.fill("#claim-panel-claimant", "The minister")
    page.get_by_role("link", name="Continue in the full claim form").click()
    page.wait_for_url("**/admin/claims/claim/add/**")
    assert page.input_value("#id_quote") == "the bridge would open in May"
    assert page.input_value("#id_wording") == "The minister said the bridge would open in May."
    assert page.input_value("#id_claimant") == "The minister"
    # The passage where it was selected (the first of the two), marked, shown in its context.
    assert page.locator(".passage-preview mark").inner_text() == "the bridge would open in May"
    assert "On Tuesday the minister said" in page.locator(".passage-preview__text").inner_text()

    # On the claim's page, what the state means follows the state chosen in the form.
    page.goto(f"{live_server.url}/admin/claims/claim/{first.pk}/change/")
    page.select_option("#id_state", "in_progress")
    assert page.locator('[data-meaning-for="in_progress"]').is_visible()
    assert not page.locator('[data-meaning-for="unverified"]').is_visible()

    # Edit the first sentence: every claim is still anchored, and says so in its history.
    page.goto(article_url)
    page.fill("#id_text", TEXT.replace("On Tuesday", "On Monday morning"))
    page.click("input[name=_continue]")
    page.wait_for_load_state()
    assert page.get_by_text("moved with their passage").count() == 1
    for claim in Claim.objects.all():
        claim.refresh_from_db()
        article.refresh_from_db()
        assert article.text[claim.quote_start : claim.quote_end] == claim.quote
    assert AnchorEvent.objects.filter(outcome="moved").count() == 2
    shot(page, "desk-article-1366")
    page.goto(f"{live_server.url}/admin/claims/claim/{first.pk}/change/")
    assert page.get_by_text("Anchor moved").count() >= 1

    # Phone width: the pages fit without scrolling sideways.
    phone = new_page(width=390)
    sign_in(phone, "fiona")
    for path, name in [
        ("/admin/", "desk-home-390"),
        (f"/admin/claims/article/{article.pk}/change/", "desk-article-390"),
        (f"/admin/claims/claim/{first.pk}/change/", "desk-claim-390"),
        (f"/claims/{first.pk}/", "desk-status-claim-390"),
    ]:
        phone.goto(live_server.url + path)
        shot(phone, name)
        fits(phone, 390)
    assert console.csp_violations == []
    assert console.errors == []
    assert console.failed == []


def test_a_quote_typed_by_hand_is_shown_in_its_article_before_saving(
    live_server, new_page, console, shot, sign_in, desk_member, fits
):
    desk_member("fiona", "Fact-checkers")
    article = ArticleFactory(text=TEXT, headline="Bridge opening doubted")
    for width in (1366, 390):
        page = new_page(width=width)
        sign_in(page, "fiona")
        page.goto(f"{live_server.url}/admin/claims/claim/add/")
        preview = page.locator(".passage-preview")
        assert "Choose the article and paste the passage" in preview.inner_text()
        # Straight quotes pasted into a text with curly ones, before the article is chosen.
        page.fill("#id_quote", 'said "the bridge would open in May"')
        # The article, picked in its autocomplete.
        page.click(".field-article .select2-selection")
        page.fill(".select2-search__field", "Bridge opening")
        page.click(".select2-results__option >> text=Bridge opening doubted")
        mark = preview.locator("mark")
        mark.wait_for()
        assert mark.inner_text() == "said “the bridge would open in May”"
        assert "On Tuesday the minister" in preview.inner_text()
        assert "Found at characters 24–59 of the article text." in preview.inner_text()
        # A passage that stands twice, then one that is not there: said in words.
        page.fill("#id_quote", "the bridge would open in May")
        page.get_by_text("This passage stands 2 times in the article text.").wait_for()
        assert preview.locator("li").count() == 2
        page.fill("#id_occurrence", "2")
        page.get_by_text("Found at characters 74–102").wait_for()
        page.fill("#id_occurrence", "")
        page.fill("#id_quote", "the tunnel would open in June")
        page.get_by_text("This passage does not stand in the article text.").wait_for()
        shot(page, f"desk-claim-add-typed-{width}")
        fits(page, width)
    assert article.claims.count() == 0
    assert console.csp_violations == []
    assert console.errors == []
    assert console.failed == []
