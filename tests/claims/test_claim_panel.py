"""The claim panel of an article's admin page, through the test client: a claim made from a
selection of the text by one POST that answers in JSON (the page's script is driven in
tests/browser/test_claim_panel.py)."""

import re

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from claims.models import Claim, ClaimAbout
from tests.factories import ARTICLE_TEXT, ArticleFactory, ClaimFactory, UserFactory

pytestmark = pytest.mark.django_db

QUOTE = "the bridge would open in May"


def panel_url(article):
    return reverse("admin:claims_article_add_claim", args=[article.pk])


def selection(article, quote=QUOTE, **overrides):
    start = article.text.index(quote)
    return {
        "quote": quote,
        "quote_start": str(start),
        "quote_end": str(start + len(quote)),
        "wording": "The minister said the bridge opens in May.",
        "claimant": "The minister",
        "about": "said",
        **overrides,
    }


def test_the_article_page_shows_its_text_first_and_the_panel_outside_its_form(
    client_for, fact_checker
):
    article = ArticleFactory()
    page = client_for(fact_checker).get(reverse("admin:claims_article_change", args=[article.pk]))
    html = page.content.decode()
    text, panel = html.index('id="article-source"'), html.index('id="claim-panel-form"')
    article_form, article_form_end = html.index('id="article_form"'), html.index("</form>", panel)
    # The text and the panel come before the article's edit form, whose Save is at its top too.
    assert text < article_form
    assert panel < article_form
    assert html[panel:article_form_end].count("<form") == 0  # the panel's form ends first
    assert html.count('name="_save"') == 2
    assert f'action="{panel_url(article)}"' in html


def test_a_selection_becomes_a_claim_with_the_text_marked_again(client_for, fact_checker):
    article = ArticleFactory()
    client = client_for(fact_checker)
    response = client.post(panel_url(article), selection(article))
    assert response.status_code == 201
    body = response.json()
    claim = Claim.objects.get()
    assert (claim.article, claim.quote, claim.quote_start) == (article, QUOTE, 18)
    assert (claim.claimant, claim.about, claim.state) == (
        "The minister",
        ClaimAbout.SAID,
        "unverified",
    )
    assert body["saved"] is True
    assert body["claim"] == {
        "id": claim.pk,
        "url": reverse("admin:claims_claim_change", args=[claim.pk]),
        "start": 18,
        "end": 18 + len(QUOTE),
    }
    assert f"Claim #{claim.pk} is saved" in body["message"]
    # The text marked again: its text content is the article's, the new passage in a mark.
    assert re.sub(r"<[^>]+>", "", body["text"]) == ARTICLE_TEXT
    assert f'title="Claim #{claim.pk}: ' in body["text"]
    assert f">{QUOTE}</mark>" in body["text"]
    assert "Claims in this article (1)" in body["claims"]
    # A fresh form for the next selection, for the same article.
    assert 'name="wording"' in body["form"]
    assert "The minister said the bridge" not in body["form"]
    assert f'name="article" value="{article.pk}"' in body["form"]
    # Recorded as the admin records an addition (its "Recent actions").
    assert LogEntry.objects.get().object_id == str(claim.pk)


def test_errors_come_back_beside_their_field_with_what_was_typed(client_for, fact_checker):
    article = ArticleFactory()
    data = selection(article, wording="")
    data.update(quote="the ferry would open in May", quote_start="", quote_end="")
    response = client_for(fact_checker).post(panel_url(article), data)
    assert response.status_code == 400
    body = response.json()
    assert body["saved"] is False
    form = body["form"]
    assert Claim.objects.count() == 0
    # Each error in its field's block, the typed values kept.
    quote_block = form[form.index("field-quote") : form.index("field-wording")]
    assert "errorlist" in quote_block
    assert "the ferry would open in May" in quote_block
    wording_block = form[form.index("field-wording") : form.index("field-claimant")]
    assert "This field is required." in wording_block
    assert 'value="The minister"' in form


def test_a_typed_passage_that_stands_twice_asks_which_one(client_for, fact_checker):
    article = ArticleFactory(text="It will open. Critics doubt it will open.")
    data = selection(article, quote="it will open", quote_start="", quote_end="")
    data["quote"] = "will open"
    response = client_for(fact_checker).post(panel_url(article), data)
    assert response.status_code == 400
    form = response.json()["form"]
    assert '<select name="occurrence"' in form
    assert "1: " in form
    assert "2: " in form
    data["occurrence"] = "2"
    assert client_for(fact_checker).post(panel_url(article), data).status_code == 201
    assert Claim.objects.get().quote_start == article.text.rindex("will open")


def test_the_panels_form_is_the_claim_forms_rules(client_for, fact_checker):
    """A passage that is not in the text is refused with the claim form's own sentence."""
    article = ArticleFactory()
    data = selection(article)
    data["quote"] = "nowhere in the text"
    data["quote_start"] = ""
    form = client_for(fact_checker).post(panel_url(article), data).json()["form"]
    add_page = client_for(fact_checker).post(
        reverse("admin:claims_claim_add"),
        {
            "article": article.pk,
            "quote": "nowhere in the text",
            "wording": "x",
            "state": "unverified",
            "about": "event",
            "evidence-TOTAL_FORMS": "0",
            "evidence-INITIAL_FORMS": "0",
        },
    )
    refusal = re.search(r'<ul class="errorlist"[^>]*><li>([^<]+)</li>', form).group(1)
    assert refusal in add_page.content.decode()


def test_the_article_is_the_pages_whatever_is_posted(client_for, fact_checker):
    article, other = ArticleFactory(), ArticleFactory()
    data = {**selection(article), "article": str(other.pk)}
    assert client_for(fact_checker).post(panel_url(article), data).status_code == 201
    assert Claim.objects.get().article == article


def test_only_people_who_may_add_claims_can_post(client_for, fact_checker):
    article = ArticleFactory()
    reader = UserFactory(username="rita.reader", is_staff=True)
    reader.user_permissions.add(
        Permission.objects.get(codename="view_article"),
        Permission.objects.get(codename="view_claim"),
    )
    client = client_for(reader)
    page = client.get(reverse("admin:claims_article_change", args=[article.pk])).content.decode()
    assert 'id="article-source"' in page
    assert 'id="claim-panel-form"' not in page
    assert client.post(panel_url(article), selection(article)).status_code == 403
    assert Claim.objects.count() == 0


def test_signed_out_posts_are_sent_to_sign_in_and_a_get_is_refused(client, fact_checker):
    article = ArticleFactory()
    response = client.post(panel_url(article), selection(article))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
    client.force_login(fact_checker)
    assert client.get(panel_url(article)).status_code == 405
    assert client.post(reverse("admin:claims_article_add_claim", args=[99999])).status_code == 404
    assert Claim.objects.count() == 0


def test_the_post_needs_the_pages_csrf_token(fact_checker):
    article = ArticleFactory()
    client = Client(enforce_csrf_checks=True)
    client.force_login(fact_checker)
    assert client.post(panel_url(article), selection(article)).status_code == 403
    page = client.get(reverse("admin:claims_article_change", args=[article.pk])).content.decode()
    token = re.search(
        r'id="claim-panel-form".*?name="csrfmiddlewaretoken" value="([^"]+)"', page, re.S
    ).group(1)
    response = client.post(panel_url(article), {**selection(article), "csrfmiddlewaretoken": token})
    assert response.status_code == 201


def test_saving_from_the_panel_runs_a_fixed_number_of_queries(
    client_for, fact_checker, django_assert_num_queries
):
    article = ArticleFactory(text=" ".join(f"Sentence number {n} says {n}." for n in range(40)))
    client = client_for(fact_checker)
    # The admin's log entry names the claim's content type, cached once a process has read it:
    # read it here, so that the count does not depend on which test ran before.
    from django.contrib.contenttypes.models import ContentType

    from claims.models import Claim

    ContentType.objects.get_for_model(Claim)
    for n, more in [(0, 2), (3, 10)]:
        for m in range(n, n + more):
            ClaimFactory(article=article, quote=f"Sentence number {m} says {m}.")
        with django_assert_num_queries(QUERIES_PER_SAVE):
            response = client.post(
                panel_url(article), selection(article, quote=f"number {n + more + 1} says")
            )
        assert response.status_code == 201
        assert response.json()["claims"].count("<tr>") == 1 + n + more + 1  # header row too


# Sign-in (session, user, permissions: 2), the page's article and the form's, the form's model
# checks (the article exists; three constraints, each in a savepoint; the passage not taken
# twice), the service's write (savepoints, the claim and its history row, the independence
# read and stored), the admin's log entry, and the article's claims for the text and the table.
QUERIES_PER_SAVE = 28


def test_the_article_page_with_its_panel_runs_a_fixed_number_of_queries(
    client_for, fact_checker, django_assert_num_queries
):
    article = ArticleFactory(text=" ".join(f"Sentence number {n} says {n}." for n in range(40)))
    client = client_for(fact_checker)
    url = reverse("admin:claims_article_change", args=[article.pk])
    client.get(url)  # Django keeps content types once read (the History link's)
    for n, more in [(0, 1), (1, 12)]:
        for m in range(n, n + more):
            ClaimFactory(article=article, quote=f"Sentence number {m} says {m}.")
        with django_assert_num_queries(ARTICLE_PAGE_QUERIES):
            page = client.get(url)
        assert page.content.decode().count('class="claim-mark') == n + more


# Sign-in (session, user, permissions: 2), the article's claims with their anchors, the article,
# whether it has claims (the delete button), the header's queue counts and unread notifications,
# the outlet shown in its autocomplete, the article's original (intake) and the sentences
# dismissed from its suggestions (suggestions). The panel's form costs none.
ARTICLE_PAGE_QUERIES = 12
