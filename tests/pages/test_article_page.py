"""The article page: the text with each visible claim marked and named, the legend, the chart,
and every claim with its evidence."""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from claims.models import Article, Claim, ConfirmationState, ReviewState
from tests.factories import ArticleFactory, ClaimFactory, make_public

from .conftest import SEED_SLUG, add_claims, publish, sentence, sentences

pytestmark = pytest.mark.django_db


def url(article) -> str:
    return reverse("claims:article", args=[article.slug])


class Marks(HTMLParser):
    """Collects, for each claim, the text its marks cover, its first mark's attributes and its
    state labels, and checks that the tags are balanced."""

    VOID = {"br", "input", "meta", "link", "img", "hr", "rect", "path"}

    def __init__(self):
        super().__init__()
        self.stack: list[tuple[str, dict]] = []
        self.text: dict[str, str] = {}
        self.first: dict[str, dict] = {}
        self.labels: dict[str, list[str]] = {}
        self.in_label: str | None = None
        self.in_summary = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in self.VOID:
            return
        self.stack.append((tag, attrs))
        if tag == "mark" and "data-claim" in attrs and "id" in attrs:
            self.first[attrs["data-claim"]] = attrs
        if "claim__label" in (attrs.get("class") or ""):
            self.in_label = self._claim()
        if "claim-summary" in (attrs.get("class") or "").split():
            self.in_summary += 1

    def handle_startendtag(self, tag, attrs):
        pass

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        open_tag, attrs = self.stack.pop()
        assert open_tag == tag, f"</{tag}> closes <{open_tag}>"
        if "claim__label" in (attrs.get("class") or ""):
            self.in_label = None
        if "claim-summary" in (attrs.get("class") or "").split():
            self.in_summary -= 1

    def _claim(self) -> str | None:
        for tag, attrs in reversed(self.stack):
            if tag == "mark" and "data-claim" in attrs:
                return attrs["data-claim"]
        return None

    def handle_data(self, data):
        if self.in_label:
            self.labels.setdefault(self.in_label, []).append(data.strip())
            return
        if self.in_summary:
            return
        for tag, attrs in self.stack:
            if tag == "mark" and "data-claim" in attrs:
                self.text[attrs["data-claim"]] = self.text.get(attrs["data-claim"], "") + data


def marks_of(html: str) -> Marks:
    body = re.search(r'<div class="article-text">(.*?)</div>', html, re.S).group(1)
    parser = Marks()
    parser.feed(body)
    parser.close()
    assert parser.stack == [], "unclosed tags in the article text"
    return parser


def test_the_seed_article_marks_every_published_claim_with_its_state(client, seeded):
    response = client.get(url(seeded))
    assert response.status_code == 200
    page = response.text
    marks = marks_of(page)
    published = Claim.objects.filter(article=seeded).published()
    assert published.count() == 21
    assert set(marks.first) == {str(c.pk) for c in published}
    for claim in published:
        first = marks.first[str(claim.pk)]
        assert first["class"].split()[:2] == ["claim", f"claim--{claim.state}"]
        assert first["tabindex"] == "0"
        assert first["aria-describedby"] == f"summary-{claim.pk}"
        assert marks.labels[str(claim.pk)] == [claim.state_choice.label]
        assert marks.text[str(claim.pk)] == claim.quote
    # Headline, byline, outlet, the link to the original, the legend and the chart.
    assert (
        "<h1>Washington Failed to Brief Key Anti-ISIS Partners on Iraq Emergency Exit Plan</h1>"
        in page
    )
    assert "By Matthew Petti" in page
    assert "The National Interest" in page
    assert (
        f'<a href="{seeded.url}" rel="external noopener noreferrer">Read the original</a>' in page
    )
    for state in ConfirmationState:
        assert (
            f'<mark class="claim claim--{state.value} claim--sample">{state.label}</mark>' in page
        )
    assert '<svg class="state-chart"' in page
    assert (
        '<desc id="state-chart-desc">Confirmed: 9; Partly confirmed: 5; Disputed: 1; '
        "Unverifiable: 6</desc>" in page
    )


def test_anonymous_visitors_never_see_drafts_or_review_states(client, seeded):
    page = client.get(url(seeded)).text
    hidden = Claim.objects.filter(article=seeded).exclude(review_state=ReviewState.PUBLISHED)
    # What the seed file's desk left open: the claim not yet checked (a draft) and Esper's
    # seeking out reporters (in review).
    assert hidden.count() == 2
    for claim in hidden:
        assert claim.wording not in page
        assert f'data-claim="{claim.pk}"' not in page
    assert "In review" not in page
    assert "Draft" not in page
    assert "Not public" not in page


def test_staff_see_every_claim_with_drafts_clearly_marked(client_for, fact_checker, seeded):
    page = client_for(fact_checker).get(url(seeded)).text
    marks = marks_of(page)
    assert len(marks.first) == 23
    draft = Claim.objects.get(article=seeded, review_state=ReviewState.DRAFT)
    assert "claim--draft" in marks.first[str(draft.pk)]["class"]
    assert marks.labels[str(draft.pk)] == ["Unverified · draft"]
    in_review = Claim.objects.filter(article=seeded, review_state=ReviewState.IN_REVIEW).first()
    assert marks.labels[str(in_review.pk)] == [f"{in_review.state_choice.label} · in review"]
    assert page.count('<strong class="draft-flag">Not public</strong>') == 2
    assert '<span class="review review--in_review">In review</span>' in page


def test_the_summary_names_state_rationale_and_independent_origins(client, article_with_claims):
    article = article_with_claims(1, evidence=3)
    claim = article.claims.get()
    make_public(claim, rationale="First line of the why.\nSecond line.")
    page = client.get(url(article)).text
    summary = re.search(
        rf'<span class="claim-summary" id="summary-{claim.pk}".*?__origins">[^<]*</span></span>',
        page,
        re.S,
    ).group(0)
    assert '<span class="state state--confirmed">Confirmed</span>' in summary
    assert "First line of the why." in summary
    assert "Second line" not in summary
    # Three sources that rest on one document: one independent origin, not three.
    assert "1 independent origin for, 0 against" in summary


def test_an_article_with_no_published_verdict_is_not_public(
    client, client_for, editor, article_with_claims
):
    article = article_with_claims(2, published=False)
    assert client.get(url(article)).status_code == 404
    assert client_for(editor).get(url(article)).status_code == 200
    assert client.get(reverse("claims:article", args=["no-such-article"])).status_code == 404


def test_paragraphs_are_kept(client):
    article = ArticleFactory(text="First paragraph here.\n\nSecond one,\nwith a line break.")
    publish(ClaimFactory(article=article, quote="Second one"))
    body = re.search(
        r'<div class="article-text">(.*?)</div>', client.get(url(article)).text, re.S
    ).group(1)
    assert body.count("<p>") == 2
    assert "with a line break" in body
    assert "<br>" in body


def test_user_text_is_escaped_everywhere(client):
    article = ArticleFactory(
        headline="<img src=x onerror=alert(1)>",
        text="Before <script>alert(1)</script> the <b>bold</b> claim & more.",
    )
    claim = ClaimFactory(
        article=article,
        quote="<b>bold</b> claim &",
        wording="<i>wording</i>",
        claimant="<u>who</u>",
    )
    publish(claim)
    Claim.objects.filter(pk=claim.pk).update(rationale="<script>r()</script>")
    page = client.get(url(article)).text
    for raw in ("<script>alert", "<b>bold", "<img src=x", "<i>wording", "<u>who", "<script>r()"):
        assert raw not in page
    assert "&lt;b&gt;bold&lt;/b&gt; claim &amp;" in page
    assert marks_of(page).text[str(claim.pk)] == "<b>bold</b> claim &"


def test_a_broken_anchor_is_flagged_and_never_highlights_the_wrong_words(
    client_for, editor, article_with_claims
):
    # The desk reads the working copy, where an edit of the text can break an anchor (the public
    # keeps the approved text, in which the passages stand).
    client = client_for(editor)
    article = article_with_claims(2)
    broken, intact = article.claims.order_by("quote_start")
    # The text changes under the first claim: its offsets now point at other words.
    Article.objects.filter(pk=article.pk).update(text="X" * 5 + article.text)
    page = client.get(url(article)).text
    marks = marks_of(page)
    assert str(broken.pk) not in marks.first
    assert str(intact.pk) not in marks.first
    assert "2 claims not marked" in page
    assert page.count("⚠ broken anchor: not marked in the text") == 2
    # Only the broken claims are flagged: repairing the text repairs them.
    Article.objects.filter(pk=article.pk).update(text=article.text)
    page = client.get(url(article)).text
    assert "broken anchor" not in page
    assert set(marks_of(page).first) == {str(broken.pk), str(intact.pk)}


def test_overlapping_passages_are_each_marked_once_and_the_html_stays_well_formed(client):
    text = "Alpha beta gamma delta epsilon zeta eta theta."
    article = ArticleFactory(text=text)
    outer = publish(ClaimFactory(article=article, quote="Alpha beta gamma delta"))
    inner = publish(ClaimFactory(article=article, quote="beta gamma"), ConfirmationState.DISPUTED)
    crossing = publish(
        ClaimFactory(article=article, quote="delta epsilon zeta"), ConfirmationState.REFUTED
    )
    page = client.get(url(article)).text
    marks = marks_of(page)
    for claim in (outer, inner, crossing):
        assert marks.text[str(claim.pk)] == claim.quote  # every character, no other
        assert marks.labels[str(claim.pk)] == [claim.state_choice.label]
        assert page.count(f'id="mark-{claim.pk}"') == 1  # one focusable mark each
    assert "claim--cont" in page  # the crossing passage continues after the outer one closes
    assert f'Its passage overlaps <a href="#claim-{inner.pk}">claim #{inner.pk}</a>' in page


def test_every_claim_is_listed_with_its_evidence(client, article_with_claims):
    article = article_with_claims(2, evidence=2)
    page = client.get(url(article)).text
    for claim in article.claims.all():
        assert f'id="claim-{claim.pk}"' in page
        assert reverse("claims:claim", args=[claim.pk]) in page
        for evidence in claim.evidence.select_related("source"):
            assert evidence.source.title in page
    assert page.count('<span class="stance stance--supports">Supports</span>') == 4
    assert "Rests on a single on-record origin" in page  # two relays of one document


def test_no_inline_script_or_style_on_the_page(client, seeded):
    page = client.get(url(seeded)).text
    assert " style=" not in page
    assert re.findall(r"<script\b", page) == []
    assert "script-src 'self'" in client.get(url(seeded))["Content-Security-Policy"]


@pytest.mark.parametrize(
    ("persona", "queries"),
    [
        # The public: the read model's generation, then the article's row of it, its page
        # stored when an editor approved (claims.public).
        (None, 2),
        # the same, after the session and the user.
        ("fact_checker", 8),
    ],
)
def test_a_fixed_number_of_queries_whatever_the_number_of_claims(
    request, client, client_for, django_assert_num_queries, persona, queries
):
    if persona:
        client = client_for(request.getfixturevalue(persona))
    article = ArticleFactory(text=sentences(40))
    add_claims(article, 2, evidence=1)
    with django_assert_num_queries(queries):
        assert client.get(url(article)).status_code == 200
    add_claims(article, 30, evidence=3, start=2)
    add_claims(article, 5, published=False, start=32)
    with django_assert_num_queries(queries):
        page = client.get(url(article)).text
    assert len(marks_of(page).first) == (37 if persona else 32)
    assert sentence(31) in page


def test_the_seed_article_in_queries(client, seeded, django_assert_num_queries):
    # The public reads the stored page (claims.public), whatever its provenance: the read
    # model's generation, then the page's row.
    with django_assert_num_queries(2):
        assert client.get(reverse("claims:article", args=[SEED_SLUG])).status_code == 200
