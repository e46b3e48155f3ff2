"""A claim is anchored to an exact passage; a changed text moves it with its passage (recorded) or
shows a broken anchor with the closest passage, never a wrong one."""

import importlib

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from claims import anchors, selectors, services
from claims.models import AnchorEvent, AnchorOutcome, Claim
from common.writes import writing_outside_services
from tests.factories import ArticleFactory, ClaimFactory, desk_author, make_public

pytestmark = pytest.mark.django_db

MULTILINGUAL = (
    "Iraqi officials mourned قاسم سليماني after the strike 🚁 near the airport. "
    "“We respect your sovereign decision to order our departure,” the letter said. 🇮🇶 "
    "The strike near the airport enraged parliament."
)


def test_locate_finds_a_unique_passage():
    anchor = anchors.locate(MULTILINGUAL, "“We respect your sovereign decision")
    assert MULTILINGUAL[anchor.start : anchor.end] == "“We respect your sovereign decision"


def test_a_passage_that_is_not_in_the_text_is_refused():
    with pytest.raises(ValidationError) as caught:
        anchors.locate(MULTILINGUAL, "We reject your sovereign decision")
    assert caught.value.code == "quote_missing"
    assert "does not stand in the article text" in caught.value.messages[0]


def test_straight_quotes_dashes_and_spaces_match_and_the_text_as_it_stands_is_kept(fact_checker):
    text = "He said: “It’s over —  we  lost.” Then he left."
    pasted = '"It\'s over - we lost."'
    anchor = anchors.locate(text, pasted)
    assert text[anchor.start : anchor.end] == "“It’s over —  we  lost.”"
    article = ArticleFactory(text=text)
    claim = services.create_claim(
        article=article, wording="It is over", quote=pasted, author=fact_checker
    )
    claim.refresh_from_db()
    assert claim.quote == "“It’s over —  we  lost.”"
    assert (claim.quote_start, claim.quote_end) == (anchor.start, anchor.end)
    assert (claim.quote_prefix, claim.quote_suffix) == ("He said: ", " Then he left.")


def test_a_passage_matches_whole_words_only():
    text = "The shipping lane closed. Later the ship ran aground; the ships were towed."
    anchor = anchors.locate(text, "the ship")  # not inside "The shipping" nor "the ships"
    assert anchor.start == text.index("the ship ran")
    assert anchors.locate(text, "ship ran aground;").start == text.index("ship ran")
    assert anchors.locate(text, "the ships").start == text.index("the ships")
    with pytest.raises(ValidationError) as caught:
        anchors.locate(text, "hipping lane")
    assert caught.value.code == "quote_inside_words"
    assert "only inside longer words" in caught.value.messages[0]
    assert "[hipping lane]" in caught.value.messages[0]
    # Folded matching (typographic marks, runs of spaces) keeps to whole words too.
    assert anchors.locate("“Ship” it, the   ship  said.", "the ship said").start == 11
    preview = anchors.preview(text, "the ship")
    assert (preview.found, preview.passage, preview.after[:10]) == (True, "the ship", " ran agrou")


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


def _edit(article, text, author=None):
    article.text = text
    return services.save_article(article=article, author=author or desk_author())


def _events(claim):
    return list(
        AnchorEvent.objects.filter(claim=claim).values_list("outcome", "from_start", "to_start")
    )


def test_an_insertion_before_a_quote_moves_it_with_a_recorded_event():
    claim = ClaimFactory()
    article, start = claim.article, claim.quote_start
    broken = _edit(article, "Breaking: " + article.text)  # shifts every passage by ten
    assert broken == []
    claim.refresh_from_db()
    assert (claim.quote_start, claim.quote_end) == (start + 10, start + 10 + len(claim.quote))
    assert article.text[claim.quote_start : claim.quote_end] == claim.quote
    assert _events(claim) == [(AnchorOutcome.MOVED, start, start + 10)]
    assert claim.history.first().history_user == desk_author()


def test_a_quote_still_at_its_offsets_stays_without_an_event():
    claim = ClaimFactory()
    article = claim.article
    _edit(article, article.text.replace("1,200", "1,300"))  # after the quote
    claim.refresh_from_db()
    assert article.text[claim.quote_start : claim.quote_end] == claim.quote
    assert _events(claim) == []
    assert claim.version == 1


def test_a_deletion_before_a_quote_and_a_changed_word_in_its_context_move_it():
    claim = ClaimFactory(quote="Critics said it would not open before June")
    article = claim.article
    # A deletion at the top, and a word changed a few words before the quote: the nearer half
    # of its prefix still matches.
    _edit(article, article.text.replace("The minister said the bridge", "Minister: the new bridge"))
    claim.refresh_from_db()
    assert article.text[claim.quote_start : claim.quote_end] == claim.quote
    assert [e[0] for e in _events(claim)] == [AnchorOutcome.MOVED]


def test_a_duplicated_passage_keeps_the_occurrence_chosen_by_its_context():
    text = "At dawn the army crossed the river. At dusk the army crossed the river again."
    article = ArticleFactory(text=text)
    second = services.create_claim(
        article=article,
        wording="Second crossing",
        quote="the army crossed the river",
        occurrence=2,
        author=desk_author(),
    )
    _edit(article, "Report. " + text)
    second.refresh_from_db()
    assert second.quote_start == article.text.rindex("the army crossed the river")
    # A third copy with another context changes nothing: the context still picks one.
    _edit(article, article.text + " Later the army crossed the river once more.")
    second.refresh_from_db()
    assert article.text[second.quote_start - 8 : second.quote_start] == "At dusk "


def test_a_duplicated_passage_whose_context_is_gone_is_broken_not_guessed():
    article = ArticleFactory(text="Alpha beta gamma delta. Epsilon zeta.")
    claim = services.create_claim(
        article=article, wording="x", quote="gamma delta", author=desk_author()
    )
    _edit(article, "Omicron gamma delta pi. Rho gamma delta sigma.")
    claim.refresh_from_db()
    assert not Claim.objects.with_anchor_status().get(pk=claim.pk).anchor_intact
    assert claim.quote == "gamma delta"  # never lost


def test_a_quote_edited_away_is_flagged_broken_once_and_kept_with_the_closest_passage():
    claim = ClaimFactory()
    start, end, article = claim.quote_start, claim.quote_end, claim.article
    broken = _edit(article, article.text.replace("would open in May", "might open in late May"))
    assert broken == [claim]
    claim.refresh_from_db()
    assert (claim.quote_start, claim.quote_end, claim.quote) == (
        start,
        end,
        "the bridge would open in May",
    )
    assert _events(claim) == [(AnchorOutcome.BROKEN, start, start)]
    closest = anchors.closest_passage(article.text, claim.quote)
    assert article.text[closest.start : closest.end].startswith("the bridge might open in")
    _edit(article, article.text + " More.")  # still broken: no second event
    assert len(_events(claim)) == 1


def test_an_anchor_move_does_not_reopen_a_published_claim():
    claim = make_public(ClaimFactory())
    _edit(claim.article, "Update: " + claim.article.text)
    claim.refresh_from_db()
    assert claim.review_state == "published"
    assert [e[0] for e in _events(claim)] == [AnchorOutcome.MOVED]
    # The same passage at new offsets is not a difference of the claim the desk has to get
    # approved; the article's edited text is (the public reads the approved text until then).
    claim = Claim.objects.select_related("live_version__article_version").get(pk=claim.pk)
    assert claim.quote_start != claim.live_version.quote_start
    comparison = selectors.compare_with_public(claim)
    assert comparison.fields == []
    assert selectors.published_differences(claim) == ["article"]


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


def test_the_migration_fills_the_context_of_existing_claims_and_skips_broken_ones():
    from django.apps import apps

    migration = importlib.import_module("claims.migrations.0010_claim_anchor_context")
    intact, broken = ClaimFactory(), ClaimFactory(quote="Officials counted 1,200 workers")
    Claim.objects.filter(pk__in=[intact.pk, broken.pk]).update(quote_prefix="", quote_suffix="")
    with writing_outside_services():
        article = broken.article
        article.text = article.text.replace("1,200", "1,300")
        article.save()
    migration.fill_anchor_context(apps, None)
    intact.refresh_from_db()
    broken.refresh_from_db()
    assert (intact.quote_prefix, intact.quote_suffix) == anchors.selector_context(
        intact.article.text, intact.quote_start, intact.quote_end
    )
    assert intact.quote_prefix == "The minister said "
    assert (broken.quote_prefix, broken.quote_suffix) == ("", "")
