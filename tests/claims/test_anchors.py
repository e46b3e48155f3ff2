"""A claim is anchored to an exact passage; a changed text shows a broken anchor, never a wrong one."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from claims import anchors, services
from claims.models import Claim
from common.writes import writing_outside_services
from tests.factories import ArticleFactory, ClaimFactory, desk_author

pytestmark = pytest.mark.django_db

MULTILINGUAL = (
    "Iraqi officials mourned قاسم سليماني after the strike 🚁 near the airport. "
    "“We respect your sovereign decision to order our departure,” the letter said. 🇮🇶 "
    "The strike near the airport enraged parliament."
)


def test_locate_finds_a_unique_passage():
    anchor = anchors.locate(MULTILINGUAL, "“We respect your sovereign decision")
    assert MULTILINGUAL[anchor.start : anchor.end] == "“We respect your sovereign decision"


def test_a_passage_that_is_not_in_the_text_is_refused_with_a_hint():
    with pytest.raises(ValidationError) as caught:
        anchors.locate(MULTILINGUAL, '"We respect your sovereign decision')
    assert caught.value.code == "quote_missing"
    assert "curly quotation marks" in caught.value.messages[0]


def test_a_passage_that_stands_twice_lists_both_and_asks_which():
    with pytest.raises(ValidationError) as caught:
        anchors.locate(MULTILINGUAL, "near the airport")
    message = caught.value.messages[0]
    assert caught.value.code == "quote_ambiguous"
    assert "stands 2 times" in message
    assert "1: …" in message or "1: Iraqi" in message
    assert "[near the airport] enraged parliament" in message


def test_an_occurrence_picks_one_of_several():
    second = anchors.locate(MULTILINGUAL, "near the airport", occurrence=2)
    assert second.start == MULTILINGUAL.rindex("near the airport")
    with pytest.raises(ValidationError, match="choose an occurrence from 1 to 2"):
        anchors.locate(MULTILINGUAL, "near the airport", occurrence=3)


def test_arabic_and_emoji_are_stored_and_anchored_intact(fact_checker):
    article = ArticleFactory(text=MULTILINGUAL)
    claim = services.create_claim(
        article=article,
        wording="Officials mourned Suleimani 🚁",
        quote="قاسم سليماني after the strike 🚁",
        author=fact_checker,
    )
    claim.refresh_from_db()
    assert claim.quote == "قاسم سليماني after the strike 🚁"
    assert article.text[claim.quote_start : claim.quote_end] == claim.quote
    # The database counts characters as Python does, on SQLite and PostgreSQL alike.
    assert Claim.objects.with_anchor_status().get(pk=claim.pk).anchor_intact is True


def test_editing_the_text_breaks_the_anchor_instead_of_moving_it():
    claim = ClaimFactory()
    start, end = claim.quote_start, claim.quote_end
    article = claim.article
    article.text = "Breaking: " + article.text  # shifts every passage by ten characters
    broken = services.save_article(article=article, author=desk_author())
    assert broken == [claim]
    claim.refresh_from_db()
    assert (claim.quote_start, claim.quote_end) == (start, end)
    assert Claim.objects.with_anchor_status().get(pk=claim.pk).anchor_intact is False


def test_offsets_outside_the_text_are_refused():
    claim = ClaimFactory.build(
        article=ArticleFactory(), quote_start=500, quote_end=510, quote="x" * 10
    )
    with pytest.raises(ValidationError, match="outside the article text"):
        claim.full_clean()


def test_a_quote_that_is_not_what_stands_at_its_offsets_is_refused():
    article = ArticleFactory()
    claim = ClaimFactory.build(article=article, quote="the bridge would open in May")
    claim.quote_start += 1
    claim.quote_end += 1
    with pytest.raises(ValidationError, match="does not say this at the recorded position"):
        claim.full_clean()


def test_database_refuses_offsets_that_do_not_match_the_quote_length():
    claim = ClaimFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.filter(pk=claim.pk).update(quote_end=claim.quote_end + 3)


def test_database_refuses_an_empty_span():
    claim = ClaimFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.filter(pk=claim.pk).update(quote="", quote_end=claim.quote_start)


def test_two_claims_on_exactly_the_same_passage_are_refused_in_words():
    claim = ClaimFactory()
    twin = Claim(
        article=claim.article,
        wording="Same passage",
        quote=claim.quote,
        quote_start=claim.quote_start,
        quote_end=claim.quote_end,
    )
    with pytest.raises(ValidationError, match="already anchored to exactly this passage"):
        twin.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic(), writing_outside_services():
        twin.save()


def test_crlf_from_a_browser_is_stored_as_lf():
    article = ArticleFactory.build(outlet=None, text="One.\r\nTwo.\r\n")
    services.save_article(article=article, author=desk_author())
    article.refresh_from_db()
    assert article.text == "One.\nTwo.\n"
