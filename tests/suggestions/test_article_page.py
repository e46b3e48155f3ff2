"""The suggested sentences on an article's admin page, through the test client: ranked with their
reasons, without the sentences a claim covers or a fact-checker dismissed; Dismiss remembered
with who and when (the page's script is driven in tests/browser/test_suggestions.py)."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from suggestions.models import DismissedSuggestion, text_hash
from tests.factories import ArticleFactory, ClaimFactory, UserFactory

pytestmark = pytest.mark.django_db

TEXT = (
    "Good evening.\n\n"
    "The council said on Tuesday that the bridge cost rose from £48 million to £61 million.\n\n"
    "Anne Moray said the bridge would open in May.\n\n"
    "Is it safe?"
)
COST = "The council said on Tuesday that the bridge cost rose from £48 million to £61 million."
MAY = "Anne Moray said the bridge would open in May."


def page_url(article):
    return reverse("admin:claims_article_change", args=[article.pk])


def dismiss_url(article):
    return reverse("admin:suggestions_dismiss", args=[article.pk])


def span(sentence):
    start = TEXT.index(sentence)
    return {"start": str(start), "end": str(start + len(sentence))}


def listed(html: str) -> list[str]:
    """The sentences of the list, in its order (their texts as the page quotes them)."""
    found, at = [], 0
    while (at := html.find('class="suggestion__text">“', at)) != -1:
        at += len('class="suggestion__text">“')
        found.append(html[at : html.index("”</span>", at)])
    return found


def test_every_sentence_is_listed_ranked_with_its_reasons_in_words(client_for, fact_checker):
    article = ArticleFactory(text=TEXT)
    html = client_for(fact_checker).get(page_url(article)).content.decode()
    assert listed(html) == [COST, MAY, "Good evening.", "Is it safe?"]
    assert "a figure, a quantity change, an amount of money, a date" in html
    assert "attributed to a named person" in html
    assert "less likely: a question, too short to state a fact" in html
    start = TEXT.index(COST)
    assert f'data-start="{start}" data-end="{start + len(COST)}"' in html
    assert html.count(">Accept</button>") == 4
    assert html.count(">Dismiss</button>") == 4


def test_a_sentence_a_claim_covers_is_not_suggested(client_for, fact_checker):
    article = ArticleFactory(text=TEXT)
    ClaimFactory(article=article, quote="the bridge would open in May")
    html = client_for(fact_checker).get(page_url(article)).content.decode()
    assert MAY not in listed(html)
    assert COST in listed(html)


def test_a_dismissed_sentence_is_remembered_with_who_and_when_and_not_suggested_again(
    client_for, fact_checker
):
    article = ArticleFactory(text=TEXT)
    client = client_for(fact_checker)
    response = client.post(dismiss_url(article), span(COST), HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert response.json()["dismissed"] is True
    dismissal = DismissedSuggestion.objects.get()
    assert (dismissal.article, dismissal.dismissed_by) == (article, fact_checker)
    assert (dismissal.start, dismissal.end) == (TEXT.index(COST), TEXT.index(COST) + len(COST))
    assert dismissal.text_hash == text_hash(COST)
    assert dismissal.dismissed_at is not None
    assert COST not in listed(client.get(page_url(article)).content.decode())
    # Dismissed twice: the first dismissal stands.
    client.post(dismiss_url(article), span(COST), HTTP_ACCEPT="application/json")
    assert DismissedSuggestion.objects.count() == 1


def test_the_plain_form_post_returns_to_the_article_with_a_message(client_for, fact_checker):
    article = ArticleFactory(text=TEXT)
    response = client_for(fact_checker).post(dismiss_url(article), span(MAY), follow=True)
    assert response.redirect_chain[-1][0] == page_url(article)
    assert "Dismissed: it is not suggested again for this article." in response.content.decode()
    assert MAY not in listed(response.content.decode())


def test_a_span_that_is_not_a_sentence_is_refused_with_a_sentence(client_for, fact_checker):
    article = ArticleFactory(text=TEXT)
    client = client_for(fact_checker)
    for data in (
        {"start": "3", "end": "9"},
        {"start": "x", "end": ""},
        {"start": "-1", "end": "4"},
    ):
        response = client.post(dismiss_url(article), data, HTTP_ACCEPT="application/json")
        assert response.status_code == 400
        assert response.json()["dismissed"] is False
        assert response.json()["message"].endswith(".")
    assert not DismissedSuggestion.objects.exists()
    assert client.get(dismiss_url(article)).status_code == 405


def test_who_may_not_work_on_claims_may_not_dismiss(client_for):
    article = ArticleFactory(text=TEXT)
    reader = UserFactory(username="rita.reader", is_staff=True)
    reader.user_permissions.add(Permission.objects.get(codename="view_article"))
    client = client_for(reader)
    html = client.get(page_url(article)).content.decode()
    assert listed(html)  # the ranking is there to read
    assert ">Dismiss</button>" not in html
    assert ">Accept</button>" not in html
    response = client.post(dismiss_url(article), span(COST), HTTP_ACCEPT="application/json")
    assert response.status_code == 403
    assert not DismissedSuggestion.objects.exists()


def test_the_record_of_dismissals_says_who_and_when(client_for, fact_checker):
    article = ArticleFactory(text=TEXT)
    client = client_for(fact_checker)
    client.post(dismiss_url(article), span(COST), HTTP_ACCEPT="application/json")
    html = client.get(reverse("admin:suggestions_dismissedsuggestion_changelist")).content.decode()
    assert fact_checker.username in html
    assert article.headline in html
    assert COST in html


def test_the_suggestions_cost_one_query_whatever_the_claims_and_dismissals(
    client_for, fact_checker, django_assert_num_queries
):
    from tests.claims.test_claim_panel import ARTICLE_PAGE_QUERIES

    article = ArticleFactory(text=" ".join(f"Sentence number {n} is here." for n in range(40)))
    client = client_for(fact_checker)
    url = page_url(article)
    client.get(url)  # Django keeps content types once read (the History link's)
    for n in range(3):
        for m in range(5 * n, 5 * n + 5):
            ClaimFactory(article=article, quote=f"Sentence number {m} is here.")
            sentence = f"Sentence number {m + 20} is here."
            start = article.text.index(sentence)
            client.post(
                dismiss_url(article),
                {"start": start, "end": start + len(sentence)},
                HTTP_ACCEPT="application/json",
            )
        with django_assert_num_queries(ARTICLE_PAGE_QUERIES):
            html = client.get(url).content.decode()
        assert len(listed(html)) == 40 - 2 * 5 * (n + 1)
