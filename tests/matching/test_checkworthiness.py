"""Sentences with exact offsets and the reasons for their scores; the evaluation command."""

import pytest
from django.core.management import CommandError, call_command

from matching.checkworthiness import score_sentence, sentences

pytestmark = pytest.mark.django_db

TEXT = (
    "Good evening.  The minister said unemployment fell to 4.1 per cent in March 2019, "
    "lower than ever.\nWhat do you think? Dr. Smith disagreed."
)


def test_sentences_keep_exact_offsets():
    found = sentences(TEXT)
    assert [s.text for s in found] == [
        "Good evening.",
        "The minister said unemployment fell to 4.1 per cent in March 2019, lower than ever.",
        "What do you think?",
        "Dr. Smith disagreed.",
    ]
    for sentence in found:
        assert TEXT[sentence.start : sentence.end] == sentence.text


def test_the_reasons_are_said_in_words_and_rank_the_checkable_first():
    found = sorted(sentences(TEXT), key=lambda s: -s.score)
    best = found[0]
    assert best.text.startswith("The minister said")
    assert best.reasons == [
        "a figure", "a comparison", "a date", "attributed to a named person",
        "a policy or statistic",
    ]  # fmt: skip
    assert score_sentence("What do you think?")[0] < score_sentence("Dr. Smith disagreed.")[0]


def test_evaluate_checkworthiness_prints_map_last(tmp_path, capsys):
    (tmp_path / "one.tsv").write_text(
        "1\tA\tThank you.\t0\n"
        "2\tB\tTaxes rose 40 percent since 2010, more than wages.\t1\n"
        "3\tA\tWhat about it?\t0\n"
    )
    (tmp_path / "two.tsv").write_text(
        "1\tA\tWell, look.\t0\n2\tB\tI believe in this country and its people, always.\t1\n"
        "3\tB\tWe spent 2 billion dollars on the border in 2016, he said.\t0\n"
    )
    call_command("evaluate_checkworthiness", tmp_path)
    lines = capsys.readouterr().out.strip().splitlines()
    # one: the labelled sentence first (AP 1); two: it comes second (AP 1/2).
    assert lines[-1] == "MAP 0.7500 (2 debates)"


def test_evaluate_checkworthiness_of_an_empty_directory(tmp_path):
    with pytest.raises(CommandError, match="No .tsv files"):
        call_command("evaluate_checkworthiness", tmp_path)
