"""The status pages in a real browser: highlights, keyboard, sign-in and approval, drafts."""

import re

import pytest
from django.urls import reverse

from claims import services
from claims.models import Article, Claim, ReviewState
from common.writes import writing_outside_services
from tests.factories import PASSWORD

SEED_SLUG = "washington-failed-to-brief-anti-isis-partners-iraq-exit-plan"

# serialized_rollback: a transactional test empties the tables when it ends; this restores what
# the migrations made (the role groups) for the tests that follow.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def assert_clean(console, live_server):
    assert console.csp_violations == []
    assert console.errors == []
    assert console.failed == []  # every stylesheet found
    outside = [u for u in console.requests if not u.startswith((live_server.url, "data:"))]
    assert outside == []  # no CDN, no web font, nothing from elsewhere


def test_the_seed_article_shows_every_claim_highlighted_with_its_state(
    live_server, seed, new_page, console, shot
):
    page = new_page()
    page.goto(live_server.url + "/")
    shot(page, "dashboard")
    page.get_by_role("link", name=re.compile("Washington Failed to Brief")).click()
    page.wait_for_url(f"**/articles/{SEED_SLUG}/")
    assert page.locator("h1").inner_text().startswith("Washington Failed to Brief")
    assert page.locator("h1").count() == 1

    published = list(Claim.objects.filter(article__slug=SEED_SLUG).published())
    assert len(published) == 21
    assert page.locator("mark.claim[tabindex='0']").count() == 21
    for claim in published:
        mark = page.locator(f"#mark-{claim.pk}")
        assert mark.is_visible()
        assert f"claim--{claim.state}" in mark.get_attribute("class")
        # (its own label: a passage may hold another claim's, as the pause holds its framing's)
        label = page.locator(f"mark[data-claim='{claim.pk}'] > .claim__label")
        assert label.inner_text().strip().lower() == claim.state_choice.label.lower()
        # The passage's own words, and the state's colour from states.css.
        assert claim.quote.split()[0] in mark.inner_text()
        colour = mark.evaluate("m => getComputedStyle(m).backgroundColor")
        assert colour not in ("rgba(0, 0, 0, 0)", "transparent")
    assert page.get_by_role("img", name=re.compile("Claims by confirmation state")).is_visible()
    assert page.locator(".legend mark").count() == 7
    shot(page, "article")
    assert_clean(console, live_server)


def test_keyboard_focus_on_a_highlight_shows_its_summary(
    live_server, seed, new_page, console, shot
):
    page = new_page()
    page.goto(f"{live_server.url}/articles/{SEED_SLUG}/")
    # The first Tab reaches the skip link, which takes the keyboard to the content.
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to the content")
    assert skip.evaluate("e => e === document.activeElement")
    assert skip.is_visible()

    first = Claim.objects.filter(article__slug=SEED_SLUG).published().order_by("quote_start")[0]
    summary = page.locator(f"#summary-{first.pk}")
    assert summary.is_hidden()
    for _ in range(40):  # Tab through the links before the text to its first highlight
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.tagName") == "MARK":
            break
    assert page.evaluate("document.activeElement.id") == f"mark-{first.pk}"
    assert summary.is_visible()
    text = summary.inner_text()
    assert first.state_choice.label in text
    assert first.rationale.splitlines()[0][:60] in text
    assert re.search(r"\d+ independent origins? for, \d+ against", text)
    shot(page, "article-focus", full_page=False)

    # The next Tab moves on: the first summary hides, the next shows.
    page.keyboard.press("Tab")
    assert summary.is_hidden()
    second_id = page.evaluate("document.activeElement.id")
    assert second_id.startswith("mark-")
    assert page.locator(f"#summary-{second_id.removeprefix('mark-')}").is_visible()

    # Hovering shows a summary too.
    page.locator(f"#mark-{first.pk}").hover()
    assert summary.is_visible()
    assert_clean(console, live_server)


def test_an_editor_signs_in_approves_a_claim_and_sees_the_change(
    live_server, seed, editor, new_page, console, shot
):
    # The one verdict the seed file's desk left in review.
    claim = Claim.objects.get(article__slug=SEED_SLUG, quote__contains="sought out reporters")
    assert claim.review_state == ReviewState.IN_REVIEW
    page = new_page()
    page.goto(f"{live_server.url}/articles/{SEED_SLUG}/")
    page.get_by_role("link", name="Sign in").click()
    page.fill("#id_username", editor.username)
    page.fill("#id_password", PASSWORD)
    shot(page, "sign-in")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"**/articles/{SEED_SLUG}/")
    assert page.get_by_text(f"Signed in as {editor.username}").is_visible()
    # Staff see every claim, the unpublished ones marked as such.
    assert page.locator("mark.claim[tabindex='0']").count() == 23
    assert page.locator("mark.claim--draft[tabindex='0']").count() == 2

    page.locator(f"#claim-{claim.pk}").get_by_role(
        "link", name=re.compile("Sources, provenance")
    ).click()
    page.wait_for_url(f"**/claims/{claim.pk}/")
    assert page.get_by_text("Not public: this claim is in review.").is_visible()
    shot(page, "claim-in-review")
    page.fill("#approve-comment", "Checked his remarks and the three reports.")
    page.get_by_role("button", name="Approve and publish").click()
    page.wait_for_url(f"**/claims/{claim.pk}/")

    message = page.locator(".message--success")
    assert f"Claim #{claim.pk} is approved and published" in message.inner_text()
    assert page.locator(".claim-header__status .review").inner_text() == "Published"
    assert page.get_by_role("button", name="Approve and publish").count() == 0
    assert page.get_by_text("Not public").count() == 0
    shot(page, "claim-approved")
    claim.refresh_from_db()
    assert claim.review_state == ReviewState.PUBLISHED

    # The public sees it now, on its page and marked in the article.
    visitor = new_page()
    response = visitor.goto(f"{live_server.url}/claims/{claim.pk}/")
    assert response.status == 200
    visitor.goto(f"{live_server.url}/articles/{SEED_SLUG}/")
    assert visitor.locator(f"#mark-{claim.pk}").is_visible()
    assert_clean(console, live_server)


def test_anonymous_visitors_do_not_see_drafts(live_server, seed, new_page, console, shot):
    hidden = list(Claim.objects.filter(article__slug=SEED_SLUG, live_version__isnull=True))
    assert len(hidden) == 2
    page = new_page()
    for claim in hidden:
        response = page.goto(f"{live_server.url}/claims/{claim.pk}/")
        assert response.status == 404
    shot(page, "draft-claim-404")
    page.goto(f"{live_server.url}/articles/{SEED_SLUG}/")
    body = page.locator("body").inner_text()
    for claim in hidden:
        assert page.locator(f"[data-claim='{claim.pk}']").count() == 0
        assert claim.wording not in body
    assert "In review" not in body
    assert "Not public" not in body
    # An article none of whose verdicts is published is not public at all.
    with writing_outside_services():
        Article.objects.create(headline="Nothing public yet", slug="nothing-public", text="Text.")
    assert page.goto(f"{live_server.url}/articles/nothing-public/").status == 404
    assert_clean(console, live_server)


def corrected_claim(fact_checker, editor) -> Claim:
    """A seed claim whose verdict the desk corrects during the test (a real event of the test,
    never part of the seed): its public page then carries the correction note."""
    claim = (
        Claim.objects.filter(article__slug=SEED_SLUG, state="partly_confirmed")
        .exclude(live_version__isnull=True)
        .order_by("pk")
        .first()
    )
    claim = services.change_state(
        claim=claim,
        to_state="disputed",
        rationale="Test correction: the sources conflict on this detail.",
        author=fact_checker,
    )
    return services.approve(
        claim=claim,
        author=editor,
        override_reason="Test.",
        correction="Test correction: the verdict changed from partly confirmed to disputed.",
    )


def test_a_published_claim_page_with_its_claimreview(
    live_server, seed, new_page, console, shot, fact_checker, editor
):
    claim = corrected_claim(fact_checker, editor)
    page = new_page()
    page.goto(f"{live_server.url}{reverse('claims:claim', args=[claim.pk])}")
    data = page.locator('head script[type="application/ld+json"]').text_content()
    assert '"@type": "ClaimReview"' in data
    assert page.locator(".corrections").is_visible()
    assert '"dateModified"' in data
    assert page.locator("svg.provenance-graph").count() == claim.evidence.count()
    shot(page, "claim")
    assert_clean(console, live_server)


@pytest.mark.parametrize("name", ["dashboard", "article", "claim"])
def test_readable_at_phone_width_and_in_print(
    live_server, seed, new_page, console, shot, name, fact_checker, editor
):
    claim = corrected_claim(fact_checker, editor)
    path = {
        "dashboard": reverse("claims:dashboard"),
        "article": reverse("claims:article", args=[SEED_SLUG]),
        "claim": reverse("claims:claim", args=[claim.pk]),
    }[name]
    page = new_page(width=390, height=844)
    assert page.goto(live_server.url + path).status == 200
    # Nothing wider than the screen: no sideways scrolling at phone width.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, f"{name}-phone")
    page.emulate_media(media="print")
    assert page.locator(".site-nav").is_hidden()
    if name == "dashboard":
        # Both of its forms (the claim search and the articles' filters) stay off paper.
        forms = page.locator("form.filters").all()
        assert len(forms) == 2
        assert all(form.is_hidden() for form in forms)
    if name == "article":
        assert page.locator(".claim__label").first.is_visible()  # marks keep their names
    shot(page, f"{name}-print")
    assert_clean(console, live_server)


def test_the_agencies_claim_reads_as_two_lines_of_reporting(
    live_server, seed, new_page, console, shot
):
    # The claim whose five reports are two lines of reporting: AFP's for it (U.S. and Iraqi
    # sources), Reuters' against its "both" (an Iraqi source only).
    claim = Claim.objects.get(article__slug=SEED_SLUG, quote__contains="Reuters and Agence")
    page = new_page()
    page.goto(f"{live_server.url}{reverse('claims:claim', args=[claim.pk])}")
    assert page.locator(".lines--supports").text_content() == (
        "For: 1 line of reporting: AFP's report on the letter (2 relays)."
    )
    assert page.locator(".lines--contradicts").text_content() == (
        "Against: 1 line of reporting: Reuters' report on the letter (3 relays)."
    )
    shot(page, "claim-lines-of-reporting")
    assert_clean(console, live_server)
