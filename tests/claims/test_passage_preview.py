"""The claim add form shows its passage in the article before the claim is saved: at once when
opened from a selection in the article's text, and as the fact-checker types or pastes a quote
(js/claim_passage.js asks the staff-only locate view, which matches as the form does)."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db

TWICE = (
    "On Tuesday the minister said it would open in May. Critics doubted it; the mayor later "
    "repeated that it would open in May, weather permitting."
)


def add_url(**query):
    from django.utils.http import urlencode

    return reverse("admin:claims_claim_add") + ("?" + urlencode(query) if query else "")


def locate(client, **query):
    return client.get(reverse("admin:claims_claim_locate"), query)


def test_opened_from_a_selection_the_form_shows_that_occurrence_marked(client_for, fact_checker):
    article = ArticleFactory(text=TWICE)
    second = TWICE.rindex("it would open in May")
    page = (
        client_for(fact_checker)
        .get(
            add_url(
                article=article.pk,
                quote="it would open in May",
                quote_start=second,
                quote_end=second + 20,
            )
        )
        .content.decode()
    )
    assert f"Found at characters {second}–{second + 20} of the article text." in page
    assert "repeated that <mark>it would open in May</mark>, weather permitting." in page
    assert "Shown once the claim is saved" not in page
    assert 'src="/static/js/claim_passage.js"' in page


def test_a_pasted_quote_with_other_marks_is_found_before_saving(client_for, fact_checker):
    article = ArticleFactory(text='He said "no decision" had been made \u2014 not yet.')
    page = (
        client_for(fact_checker)
        .get(add_url(article=article.pk, quote="\u201cno decision\u201d had been made - not"))
        .content.decode()
    )
    assert "He said <mark>&quot;no decision&quot; had been made \u2014 not</mark> yet." in page


def test_a_passage_that_is_not_there_or_stands_twice_is_said_in_words(client_for, fact_checker):
    article = ArticleFactory(text=TWICE)
    client = client_for(fact_checker)
    page = client.get(add_url(article=article.pk, quote="it opened in April")).content.decode()
    assert "This passage does not stand in the article text." in page
    page = client.get(add_url(article=article.pk, quote="open in May")).content.decode()
    assert "This passage stands 2 times in the article text. Paste a longer passage" in page
    assert "<mark>" not in page


def test_without_an_article_or_a_quote_the_form_says_what_to_do(client_for, fact_checker):
    client = client_for(fact_checker)
    response = client.get(add_url())
    assert response.status_code == 200
    assert "Choose the article and paste the passage" in response.content.decode()
    # An id no article can have is refused before the form, with a sentence (common.untrusted).
    for article in ("abc", "1" * 40):
        response = client.get(add_url(article=article, quote="x"))
        assert response.status_code == 400
        assert "Nothing was looked up or changed." in response.content.decode()
    response = client.get(add_url(article=999999, quote="the bridge"))
    assert response.status_code == 200
    assert "There is no such article: choose it again." in response.content.decode()


def test_the_locate_view_answers_where_the_passage_stands(client_for, fact_checker):
    article = ArticleFactory(text=TWICE)
    client = client_for(fact_checker)
    answer = locate(client, article=article.pk, quote="the mayor  later repeated").json()
    assert answer["found"] is True
    assert answer["passage"] == "the mayor later repeated"
    assert answer["start"] == TWICE.index("the mayor")
    assert answer["before"].endswith("Critics doubted it; ")
    assert answer["after"].startswith(" that it would open")

    answer = locate(client, article=article.pk, quote="open in May").json()
    assert answer["found"] is False
    assert answer["message"].startswith("This passage stands 2 times in the article text.")
    assert len(answer["occurrences"]) == 2

    answer = locate(client, article=article.pk, quote="open in May", occurrence="2").json()
    assert answer["found"] is True
    assert answer["start"] == TWICE.rindex("open in May")

    answer = locate(client, article=article.pk, quote="open in June").json()
    assert answer == {
        "found": False,
        "message": "This passage does not stand in the article text. Copy it exactly as the "
        "text has it.",
        "start": None,
        "end": None,
        "before": "",
        "passage": "",
        "after": "",
        "occurrences": [],
    }


def test_the_locate_view_answers_bad_input_in_words(client_for, fact_checker):
    client = client_for(fact_checker)
    article = ArticleFactory()
    assert locate(client, article="", quote="x").json()["waiting"] is True
    for not_an_article in (999999, "abc", "-1", "9" * 30):
        response = locate(client, article=not_an_article, quote="the bridge")
        assert response.status_code == 400, not_an_article
        assert response.json()["message"] == "There is no such article: choose it again."
    response = locate(client, article=article.pk, quote="x" * 5001)
    assert response.status_code == 400
    assert "too long" in response.json()["message"]
    assert client.post(reverse("admin:claims_claim_locate")).status_code == 405


def test_only_people_who_may_add_claims_may_ask(client, client_for, outsider):
    url = reverse("admin:claims_claim_locate")
    article = ArticleFactory()
    query = {"article": article.pk, "quote": "the bridge"}
    assert client.get(url, query).status_code == 302  # anonymous: to the sign-in page
    assert client_for(outsider).get(url, query).status_code == 302  # not staff: the same
    reader = UserFactory(username="rita.reader", is_staff=True)
    reader.user_permissions.add(Permission.objects.get(codename="view_claim"))
    response = client_for(reader).get(url, query)
    assert response.status_code == 403
    assert article.text not in response.content.decode()


def test_a_saved_claim_shows_its_own_occurrence_marked_in_the_same_block(client_for, fact_checker):
    """The change page shows the passage as the add form does (marked, its context cut at
    words), at the claim's own occurrence of a passage that stands twice."""
    from claims import services

    article = ArticleFactory(text=TWICE)
    claim = services.create_claim(
        article=article,
        wording="The mayor repeated the May opening.",
        quote="it would open in May",
        occurrence=2,
        author=fact_checker,
    )
    page = (
        client_for(fact_checker)
        .get(reverse("admin:claims_claim_change", args=[claim.pk]))
        .content.decode()
    )
    second = TWICE.rindex("it would open in May")
    assert f"Found at characters {second}–{second + 20} of the article text." in page
    assert "repeated that <mark>it would open in May</mark>, weather permitting." in page
    assert "[it would open in May]" not in page
