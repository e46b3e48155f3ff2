"""Approving a claim publishes its article's pending changes too (the public reads the claim in
the article as it stands): the status page and the admin list them beside the approve button,
and the approval goes through only once the editor confirmed them."""

import re

import pytest
from django.urls import reverse

from claims import selectors, services
from claims.models import Article, ArticleVersion, Claim, ConfirmationState
from tests.factories import (
    ArticleFactory,
    ClaimFactory,
    EvidenceFactory,
    OutletFactory,
    SourceFactory,
    make_public,
)

pytestmark = pytest.mark.django_db

TEXT = "The minister said the bridge would open in May. The budget was 40 million."


@pytest.fixture
def pending(fact_checker):
    """An article the public reads, since edited (headline and outlet), with a claim in review."""
    article = ArticleFactory(text=TEXT, headline="Bridge opens in May")
    published = ClaimFactory(article=article, quote="the bridge would open in May")
    EvidenceFactory(claim=published, source=SourceFactory())
    make_public(published, ConfirmationState.CONFIRMED)
    article = Article.objects.get(pk=article.pk)
    article.headline = "Bridge opens in June <now>"
    article.outlet = OutletFactory(name="The Evening Post")
    services.save_article(article=article, author=fact_checker)
    claim = ClaimFactory(article=article, quote="The budget was 40 million")
    EvidenceFactory(claim=claim, source=SourceFactory())
    EvidenceFactory(claim=claim, source=SourceFactory())
    claim = services.change_state(
        claim=claim, to_state=ConfirmationState.CONFIRMED, rationale="Two.", author=fact_checker
    )
    return services.submit_for_review(claim=claim, author=fact_checker)


def live_headline(claim) -> str:
    return (
        Article.objects.select_related("live_version")
        .get(pk=claim.article_id)
        .live_version.headline
    )


def test_the_pending_changes_are_listed_with_the_changed_words(pending):
    changes = selectors.pending_article_changes(pending.article_id)
    assert [c.label for c in changes] == ["headline", "outlet"]
    assert changes[0].diff == "Bridge opens in <del>May</del><ins>June &lt;now&gt;</ins>"
    assert changes[1].after == "The Evening Post"
    assert selectors.article_changes_token(changes)
    assert selectors.article_changes_token([]) == ""


def test_the_service_refuses_an_approval_that_did_not_confirm_them(editor, pending):
    with pytest.raises(
        Exception, match=r"also publishes its article's pending changes \(headline, outlet\)"
    ):
        services.approve(claim=pending, author=editor, article_changes_confirmed="")
    with pytest.raises(Exception, match="changed again since you looked"):
        services.approve(claim=pending, author=editor, article_changes_confirmed="stale")
    assert live_headline(pending) == "Bridge opens in May"
    token = selectors.article_changes_token(selectors.pending_article_changes(pending.article_id))
    services.approve(claim=pending, author=editor, article_changes_confirmed=token)
    assert live_headline(pending) == "Bridge opens in June <now>"
    assert ArticleVersion.objects.filter(article_id=pending.article_id).count() == 2


def test_an_edit_made_after_the_editor_looked_is_refused(editor, fact_checker, pending):
    """The same fields pending, with other words: the token is of what the editor read, not only
    of which fields changed."""
    looked = selectors.article_changes_token(selectors.pending_article_changes(pending.article_id))
    article = Article.objects.get(pk=pending.article_id)
    article.headline = "Bridge opens in July"
    services.save_article(article=article, author=fact_checker)
    changes = selectors.pending_article_changes(pending.article_id)
    assert [c.label for c in changes] == ["headline", "outlet"]
    assert selectors.article_changes_token(changes) != looked
    with pytest.raises(Exception, match="changed again since you looked"):
        services.approve(claim=pending, author=editor, article_changes_confirmed=looked)
    assert live_headline(pending) == "Bridge opens in May"
    services.approve(
        claim=pending,
        author=editor,
        article_changes_confirmed=selectors.article_changes_token(changes),
    )
    assert live_headline(pending) == "Bridge opens in July"


def test_the_status_page_lists_them_and_approves_once_confirmed(client_for, editor, pending):
    client = client_for(editor)
    page = client.get(f"/claims/{pending.pk}/").content.decode()
    assert "Approving also publishes the article's pending changes" in page
    assert "Bridge opens in <del>May</del><ins>June &lt;now&gt;</ins>" in page
    assert "The Evening Post" in page
    token = re.search(r'name="article_changes" value="([0-9a-f]+)"', page).group(1)
    post = {"action": "approve", "version": pending.version, "comment": "", "correction": ""}
    refused = client.post(f"/claims/{pending.pk}/review/", post)
    assert refused.status_code == 400
    assert (
        "also publishes its article&#x27;s pending changes (headline, outlet)"
        in refused.content.decode()
    )
    assert Claim.objects.get(pk=pending.pk).review_state == "in_review"
    done = client.post(f"/claims/{pending.pk}/review/", {**post, "article_changes": token})
    assert done.status_code == 302
    assert Claim.objects.get(pk=pending.pk).review_state == "published"
    assert live_headline(pending) == "Bridge opens in June <now>"


def test_the_admin_lists_them_beside_approve_and_approves_once_confirmed(
    client_for, editor, pending
):
    client = client_for(editor)
    url = reverse("admin:claims_claim_change", args=[pending.pk])
    page = client.get(url).content.decode()
    assert "Approving also publishes the article's pending changes" in page
    token = re.search(r'name="review_article_changes" value="([0-9a-f]+)"', page).group(1)
    form = {
        "article": pending.article_id, "wording": pending.wording, "quote": pending.quote,
        "occurrence": "", "claimant": "", "about": pending.about, "state": pending.state,
        "rationale": pending.rationale, "assignee": "", "version": pending.version,
        "evidence-TOTAL_FORMS": "0", "evidence-INITIAL_FORMS": "0",
        "evidence-MIN_NUM_FORMS": "0", "evidence-MAX_NUM_FORMS": "1000",
        "_review_step": "approve",
    }  # fmt: skip
    refused = client.post(url, form, follow=True).content.decode()
    assert "also publishes its article&#x27;s pending changes (headline, outlet)" in refused
    assert Claim.objects.get(pk=pending.pk).review_state == "in_review"
    form["version"] = Claim.objects.get(pk=pending.pk).version
    client.post(url, {**form, "review_article_changes": token}, follow=True)
    assert Claim.objects.get(pk=pending.pk).review_state == "published"
    assert live_headline(pending) == "Bridge opens in June <now>"


def test_nothing_to_confirm_when_the_article_is_as_the_public_reads_it(
    client_for, editor, fact_checker
):
    claim = ClaimFactory(article=ArticleFactory(text=TEXT), quote="The budget was 40 million")
    EvidenceFactory(claim=claim, source=SourceFactory())
    EvidenceFactory(claim=claim, source=SourceFactory())
    claim = services.change_state(
        claim=claim, to_state=ConfirmationState.CONFIRMED, rationale="Two.", author=fact_checker
    )
    claim = services.submit_for_review(claim=claim, author=fact_checker)
    client = client_for(editor)
    assert "article-changes" not in client.get(f"/claims/{claim.pk}/").content.decode()
    done = client.post(
        f"/claims/{claim.pk}/review/", {"action": "approve", "version": claim.version}
    )
    assert done.status_code == 302


def test_the_admins_bulk_approval_lists_them_and_its_button_confirms_them(
    client_for, editor, pending
):
    from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME

    client = client_for(editor)
    listing = reverse("admin:claims_claim_changelist")
    chosen = {"action": "approve_action", ACTION_CHECKBOX_NAME: [pending.pk]}
    page = client.post(listing, chosen).content.decode()
    assert "Also publishes its article&#x27;s pending changes: headline, outlet." in page
    token = re.search(rf'name="article_changes_{pending.pk}" value="([0-9a-f]+)"', page).group(1)
    refused = client.post(listing, {**chosen, "apply": "1"}, follow=True).content.decode()
    assert f"Not changed: #{pending.pk}" in refused
    assert Claim.objects.get(pk=pending.pk).review_state == "in_review"
    client.post(
        listing, {**chosen, "apply": "1", f"article_changes_{pending.pk}": token}, follow=True
    )
    assert Claim.objects.get(pk=pending.pk).review_state == "published"
    assert live_headline(pending) == "Bridge opens in June <now>"


def test_the_article_admin_names_the_pending_changes_as_the_approve_step_does(
    client_for, editor, fact_checker, pending
):
    import datetime

    article = Article.objects.get(pk=pending.article_id)
    article.url = "https://example.org/bridge-june"
    article.published_on = datetime.date(2026, 1, 9)
    services.save_article(article=article, author=fact_checker)
    labels = [c.label for c in selectors.pending_article_changes(article.pk)]
    assert labels == ["headline", "outlet", "web address", "publication date"]
    url = reverse("admin:claims_article_change", args=[article.pk])
    page = client_for(editor).get(url).content.decode()
    assert f"This working copy differs in: {', '.join(labels)}." in page
