"""An article's sentences with exact offsets, and the reasons a sentence is worth checking."""

from suggestions.checkworthiness import score
from suggestions.sentences import split_sentences


def test_each_sentence_stands_at_its_offsets_counted_as_python_counts_them():
    text = (
        "Mr. Shaw said costs rose 3.5% in 2019. 🚧 The bridge fell!\n\n"
        "A headline without a stop\n"
        "It fell! It fell!"
    )
    sentences = split_sentences(text)
    assert [s.text for s in sentences] == [
        "Mr. Shaw said costs rose 3.5% in 2019.",
        "🚧 The bridge fell!",
        "A headline without a stop",
        "It fell!",
        "It fell!",
    ]
    for s in sentences:
        assert text[s.start : s.end] == s.text
    # Two equal sentences are two places, each after the one before.
    assert sentences[3].start < sentences[4].start
    # Code points, not UTF-16 units: the emoji counts one.
    assert sentences[1].end == text.index("!") + 1


def test_the_score_says_in_words_what_makes_a_sentence_worth_checking():
    claim = score("Unemployment fell from 8% in 2012 to 4% last year, the lowest since 1969.")
    assert claim.reasons[:2] == ["a figure", "a percentage"]
    assert {"a date", "a quantity change", "a superlative"} <= set(claim.reasons)
    said = score("Anne Moray said the council spent more than the government on the bridge.")
    assert "attributed to a named person" in said.reasons
    assert "a comparison" in said.reasons
    question = score("What should we do?")
    assert question.against == [
        "a question",
        "too short to state a fact",
        "an opinion or a promise",
    ]
    assert question.value < 0 < said.value < claim.value


def test_a_word_that_only_ends_like_a_superlative_is_not_one():
    assert "a superlative" not in score("The National Interest has learned of the plan.").reasons
