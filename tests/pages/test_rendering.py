"""The pieces the pages are built from: the highlighter, the SVG charts, safe links and
JSON-LD, and the templates' promise of no inline script or style."""

import json
import re
from pathlib import Path

import pytest
from django.conf import settings

from claims.models import ConfirmationState
from claims.pages.charts import progress_bar, provenance_graph, state_chart
from claims.pages.templatetags.highlights import Highlight, context_window, paragraphs, render
from claims.pages.templatetags.pages import http_url, ld_json
from claims.selectors import GraphNode, Lineage, StateCount


def mark(key, start, end, state="confirmed", summary=None):
    return Highlight(key, start, end, state, ConfirmationState(state).label, summary=summary)


def test_plain_text_is_escaped_and_split_into_paragraphs():
    html = render("A <b> & B.\n\nSecond\nline.", [])
    assert html == "<p>A &lt;b&gt; &amp; B.</p>\n<p>Second<br>\nline.</p>\n"


def test_a_mark_names_its_state():
    html = render("Alpha beta gamma.", [mark(1, 6, 10)])
    assert html == (
        '<p>Alpha <mark class="claim claim--confirmed" data-claim="1">beta'
        '<span class="claim__label"> Confirmed</span></mark> gamma.</p>\n'
    )


def test_the_first_piece_is_focusable_and_followed_by_its_summary():
    html = render("Alpha beta.", [mark(7, 0, 5, summary="<span>S</span>")])
    assert 'id="mark-7"' in html
    assert 'tabindex="0" aria-describedby="summary-7"' in html
    assert html.index("</mark><span>S</span>") > 0


def test_nested_passages_nest():
    html = render("Alpha beta gamma delta.", [mark(1, 0, 22), mark(2, 6, 16, "refuted")])
    assert html.count("<mark") == 2
    assert re.search(
        r'<mark class="claim claim--confirmed"[^>]*>Alpha <mark class="claim claim--refuted"', html
    )
    assert "claim--cont" not in html


def test_crossing_passages_are_split_into_continuations_without_losing_a_character():
    text = "one two three four five"
    html = render(text, [mark(1, 0, 13), mark(2, 8, 23, "disputed")])
    assert "claim--cont" in html
    # Each label once, at the end of its passage.
    assert html.count("> Confirmed</span>") == 1
    assert html.count("> Disputed</span>") == 1
    assert re.sub(r"<[^>]+>| Confirmed| Disputed", "", html).strip() == text


def test_a_passage_over_a_paragraph_break_continues_in_the_next_paragraph():
    text = "First para ends.\n\nSecond para."
    html = render(text, [mark(1, 6, 24)])
    assert html.count("<p>") == 2
    assert html.count("<mark") == 2
    assert "claim--cont" in html.split("</p>")[1]
    assert html.count("claim__label") == 1


def test_paragraphs_and_the_context_window():
    text = "Para one.\n\n \nPara two is here."
    assert paragraphs(text, 0, len(text)) == [(0, 9), (13, len(text))]
    long = "word " * 200 + "QUOTE" + " word" * 200
    start = long.index("QUOTE")
    lo, hi, cut_before, cut_after = context_window(long, start, start + 5, chars=50)
    assert cut_before
    assert cut_after
    assert long[lo:hi].startswith("word")
    assert long[lo:hi].endswith("word")
    assert "QUOTE" in long[lo:hi]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("https://example.org/a", "https://example.org/a"),
        ("http://example.org", "http://example.org"),
        ("HTTPS://Example.org", "HTTPS://Example.org"),
        ("javascript:alert(1)", ""),
        (" JavaScript:alert(1)", ""),
        ("data:text/html,<b>", ""),
        ("ftp://example.org", ""),
        ("//example.org", ""),
        ("https://", ""),
        ("", ""),
        (None, ""),
    ],
)
def test_links_only_for_http_and_https(value, expected):
    assert http_url(value) == expected


def test_json_ld_cannot_end_its_script_block():
    html = ld_json({"a": "</script><script>alert(1)</script>", "b": "x & y <!--"})
    assert html.startswith('<script type="application/ld+json">')
    inner = html.removeprefix('<script type="application/ld+json">').removesuffix("</script>")
    assert "<" not in inner
    assert ">" not in inner
    assert "&" not in inner
    assert json.loads(inner) == {"a": "</script><script>alert(1)</script>", "b": "x & y <!--"}


def test_the_state_chart_names_every_state_and_count():
    svg = state_chart(
        [StateCount(ConfirmationState.CONFIRMED, 3), StateCount(ConfirmationState.REFUTED, 1)]
    )
    assert ">Confirmed</text>" in svg
    assert ">3</text>" in svg
    assert ">Refuted</text>" in svg
    assert f'fill="{ConfirmationState.REFUTED.colour}"' in svg
    assert '<desc id="state-chart-desc">Confirmed: 3; Refuted: 1</desc>' in svg
    assert "style=" not in svg


def test_the_progress_bar_scales_to_the_total_and_says_what_it_shows():
    svg = progress_bar([StateCount(ConfirmationState.DISPUTED, 2)], 2)
    assert 'viewBox="0 0 2 1"' in svg
    assert 'aria-label="Claims by state: 2 disputed"' in svg
    assert 'aria-label="No claims yet"' in progress_bar([], 0)


def node(i, title="Source", on_record=True, kind="news_report"):
    return GraphNode(i, title, kind, on_record, "Outlet <x>")


def test_a_provenance_graph_draws_each_source_and_escapes_titles():
    lineage = Lineage(
        1,
        {
            1: node(1, "Cited <b>"),
            2: node(2),
            3: node(3, "Origin", kind="document"),
            4: node(4, "Anon", False),
        },
    )
    lineage.edges = {(1, 2), (2, 3), (1, 4)}
    svg = provenance_graph(lineage, uid="g1", shared_ids={3})
    assert svg.count("<rect") == 4
    assert svg.count('fill="none"') == 3  # one line per "rests on"
    assert "Cited &lt;b&gt;" in svg
    assert "<b>" not in svg
    assert "SHARED ORIGIN" in svg
    assert 'stroke-dasharray="5 3"' in svg  # the unnamed source
    assert 'marker-end="url(#g1-arrow)"' in svg
    assert "style=" not in svg
    # Columns left to right: the cited source, what it rests on, then the origin.
    xs = {int(x) for x in re.findall(r'<rect x="(\d+)"', svg)}
    assert len(xs) == 3


def test_a_big_provenance_graph_is_drawn_as_its_origins_only():
    nodes = {i: node(i) for i in range(1, 40)}
    lineage = Lineage(1, nodes, {(i, i + 1) for i in range(1, 39)})
    svg = provenance_graph(lineage, uid="g2")
    assert svg.count("<rect") == 2
    assert "37 intermediate sources are not drawn" in svg


def test_an_origin_is_drawn_alone():
    svg = provenance_graph(Lineage(5, {5: node(5, "Letter")}), uid="g3")
    assert svg.count("<rect") == 1
    assert "is an origin itself" in svg


TEMPLATES = [
    Path(settings.BASE_DIR) / "templates" / "base.html",
    *sorted((Path(settings.BASE_DIR) / "templates" / "claims").rglob("*.html")),
]


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: p.name)
def test_no_inline_script_or_style_in_the_templates(path):
    text = path.read_text()
    assert " style=" not in text
    assert "<style" not in text
    assert re.findall(r"<script(?![^>]*application/ld\+json)", text) == []
    assert " on" not in re.sub(r"\s(?!on)", " ", "")
    assert not re.search(r"\son[a-z]+=", text)
