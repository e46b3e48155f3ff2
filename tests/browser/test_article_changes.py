"""Approving a claim whose article has pending changes, in Chromium: the status page and the
admin list the changes beside "Approve and publish", and the approval goes through only once the
editor ticked "Publish these article changes too"."""

import pytest

from claims import services
from claims.models import Article, ConfirmationState
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


def _claim_with_pending_article_changes(desk_member):
    checker = desk_member("fiona", "Fact-checkers")
    desk_member("eddie", "Editors")
    article = ArticleFactory(text=TEXT, headline="Bridge opens in May")
    published = ClaimFactory(article=article, quote="the bridge would open in May")
    EvidenceFactory(claim=published, source=SourceFactory())
    make_public(published, ConfirmationState.CONFIRMED)
    article = Article.objects.get(pk=article.pk)
    article.headline = "Bridge opens in June"
    services.save_article(article=article, author=checker)
    claim = ClaimFactory(article=article, quote="The budget was 40 million")
    EvidenceFactory(claim=claim, source=SourceFactory())
    EvidenceFactory(claim=claim, source=SourceFactory())
    claim = services.change_state(
        claim=claim, to_state=ConfirmationState.CONFIRMED, rationale="Two.", author=checker
    )
    return services.submit_for_review(claim=claim, author=checker)


def _live_headline(claim) -> str:
    return (
        Article.objects.select_related("live_version")
        .get(pk=claim.article_id)
        .live_version.headline
    )


@pytest.mark.parametrize("width", [1366, 390])
def test_the_status_page_asks_before_publishing_the_articles_changes(
    live_server, new_page, console, shot, width, sign_in, desk_member
):
    claim = _claim_with_pending_article_changes(desk_member)
    page = new_page(width=width)
    sign_in(page, "eddie")
    page.goto(f"{live_server.url}/claims/{claim.pk}/#review")
    box = page.locator("#review .article-changes")
    assert "Approving also publishes the article's pending changes" in box.inner_text()
    assert box.locator("del", has_text="May").is_visible()
    assert box.locator("ins", has_text="June").is_visible()
    box.scroll_into_view_if_needed()
    shot(page, f"status-approve-article-changes-{width}", full_page=False)
    approve = page.get_by_role("button", name="Approve and publish")
    approve.click()  # not confirmed: the browser keeps the form (the box is required)
    assert page.url.endswith(f"/claims/{claim.pk}/#review")
    assert _live_headline(claim) == "Bridge opens in May"
    page.get_by_label("Publish these article changes too").check()
    approve.click()
    page.wait_for_load_state()
    assert "is approved and published" in page.content()
    assert _live_headline(claim) == "Bridge opens in June"
    assert console.errors == []


def test_the_admin_asks_before_publishing_the_articles_changes(
    live_server, new_page, console, shot, sign_in, desk_member
):
    claim = _claim_with_pending_article_changes(desk_member)
    page = new_page(width=1366)
    sign_in(page, "eddie")
    page.goto(f"{live_server.url}/admin/claims/claim/{claim.pk}/change/")
    box = page.locator(".article-changes")
    assert "Approving also publishes the article's pending changes" in box.inner_text()
    box.scroll_into_view_if_needed()
    shot(page, "admin-approve-article-changes-1366", full_page=False)
    page.get_by_role("button", name="Approve and publish").click()
    page.wait_for_load_state()
    assert (
        "also publishes its article's pending changes (headline)"
        in page.locator(".messagelist").inner_text()
    )
    assert _live_headline(claim) == "Bridge opens in May"
    page.get_by_label("Publish these article changes too").check()
    page.get_by_role("button", name="Approve and publish").click()
    page.wait_for_load_state()
    assert "is now published" in page.locator(".messagelist").inner_text()
    assert _live_headline(claim) == "Bridge opens in June"
    assert console.errors == []
