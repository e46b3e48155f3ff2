"""Extraction (trafilatura) on pages this project wrote, and its measurement."""

import gzip
import json
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command

from intake.evaluation import score
from intake.extraction import ExtractionError, extract, text_sha256

# The session's seed snapshot (tests/conftest.py) needs the test database set up.
pytestmark = pytest.mark.django_db

PAGES = Path(__file__).parent / "pages"


def page(name: str) -> bytes:
    return (PAGES / f"{name}.html").read_bytes()


def test_a_news_page_gives_its_text_without_navigation_comments_or_footer_and_its_metadata():
    found = extract(page("harbour-bridge"), media_type="text/html", url="http://127.0.0.1/x")

    assert found.headline == "Harbour bridge opening delayed to autumn, council admits"
    assert found.byline == "Priya Natarajan"
    assert found.published_on == date(2026, 11, 28)
    assert found.site_name == "The Riverside Courier"
    assert found.language == "en-GB"
    assert found.canonical_url == "https://courier.example/news/2026/11/harbour-bridge-delayed"
    assert found.host == "courier.example"
    assert found.text == (PAGES / "harbour-bridge.txt").read_text().strip()
    for boilerplate in ("Subscribe", "Typical. They never", "Most read", "All rights reserved"):
        assert boilerplate not in found.text


def test_a_page_in_french_says_its_language_and_canonical_address():
    found = extract(page("clinic-hours"), media_type="text/html")

    assert (found.language, found.byline, found.published_on) == (
        "fr",
        "Claire Dubois",
        date(2026, 9, 14),
    )
    assert found.host == "petit-riverain.example"
    assert "Encore une mauvaise nouvelle" not in found.text


def test_a_page_without_an_article_is_said_so():
    nav_only = b"<html><body><nav><a href='/'>Home</a> <a href='/news'>News</a></nav></body></html>"

    with pytest.raises(ExtractionError) as refused:
        extract(nav_only, media_type="text/html")
    assert str(refused.value) == "No article text was found on that page."


def test_plain_text_is_kept_as_its_paragraphs():
    found = extract(
        b"First paragraph.\r\n\r\n\r\n\r\nSecond one.\n", media_type="text/plain", charset="utf-8"
    )

    assert found.text == "First paragraph.\n\nSecond one."
    assert found.headline == ""


def test_the_text_hash_ignores_how_lines_were_broken():
    assert text_sha256("One two\n\nthree") == text_sha256("One  two three ")
    assert text_sha256("One two three") != text_sha256("One two four")


def test_word_level_scores_count_shared_words_with_repetition():
    scored = score("p", extracted="the bridge the bridge opens", gold="the bridge opens in May")

    assert scored.precision == pytest.approx(3 / 5)
    assert scored.recall == pytest.approx(3 / 5)
    assert score("p", extracted="", gold="words").recall == 0.0


def test_evaluate_extraction_prints_each_page_and_the_means_last(capsys):
    call_command("evaluate_extraction", str(PAGES))

    lines = capsys.readouterr().out.strip().splitlines()
    assert [line.split()[0] for line in lines[:-1]] == [
        "clinic-hours",
        "ferry-fares",
        "harbour-bridge",
    ]
    last = lines[-1]
    assert last.startswith("3 pages, words: precision=")
    f1 = float(last.rsplit("F1=", 1)[1])
    # Measured 0.979 (README): trafilatura keeps an advertising line and a byline paragraph.
    assert f1 >= 0.95


def test_evaluate_extraction_reads_the_scrapinghub_benchmark_layout(tmp_path, capsys):
    (tmp_path / "html").mkdir()
    (tmp_path / "html" / "abc.html.gz").write_bytes(gzip.compress(page("ferry-fares")))
    gold = (PAGES / "ferry-fares.txt").read_text()
    (tmp_path / "ground-truth.json").write_text(
        json.dumps({"abc": {"articleBody": gold, "url": "https://coastline.example/f"}})
    )

    call_command("evaluate_extraction", str(tmp_path), "--shingle", "4", "--quiet")

    out = capsys.readouterr().out.strip()
    assert out.startswith("1 pages, 4-word shingles: precision=")
    assert "\n" not in out
