"""A correction shows the editor a real comparison with the public version: the old and new
wording and rationale with the changed words marked, the evidence added, removed and re-weighed,
and the state before and after, on the desk's status page and in the admin."""

import re

import pytest
from django.urls import reverse

from claims import selectors, services
from claims.models import Claim, ConfirmationState, Stance
from claims.worddiff import word_diff_html
from tests.factories import (
    ArticleFactory,
    ClaimFactory,
    EvidenceFactory,
    SourceFactory,
    make_public,
)

pytestmark = pytest.mark.django_db

TEXT = "The minister said the bridge would open in May, two reports agree."


@pytest.fixture
def corrected(fact_checker):
    """A public verdict whose working copy a fact-checker has since corrected: new wording,
    rationale (with markup typed into it) and state, one source removed, one added, one whose
    excerpt and what carries it changed."""
    claim = ClaimFactory(
        article=ArticleFactory(text=TEXT),
        quote="the bridge would open in May",
        wording="The bridge opens in May.",
    )
    kept = EvidenceFactory(
        claim=claim, source=SourceFactory(title="Herald report"), excerpt="It opens in May."
    )
    EvidenceFactory(claim=claim, source=SourceFactory(title="Gazette report"))
    make_public(claim, ConfirmationState.CONFIRMED, rationale="Two reports say May.")
    claim = Claim.objects.get(pk=claim.pk)
    services.edit_claim(
        claim=claim,
        author=fact_checker,
        wording="The bridge opens in June.",
        state=ConfirmationState.PARTLY_CONFIRMED,
        rationale="One report now says June <b>not</b> May.",
        reason="The Gazette corrected its report.",
    )
    services.remove_evidence(
        evidence=claim.evidence.get(source__title="Gazette report"), author=fact_checker
    )
    services.add_evidence(
        claim=claim,
        source=SourceFactory(title="Ministry timetable"),
        stance=Stance.CONTRADICTS,
        excerpt="Opening: 1 July.",
        author=fact_checker,
    )
    kept.excerpt = "It opens in June."
    kept.own_reporting = True
    services.change_evidence(evidence=kept, author=fact_checker)
    return Claim.objects.get(pk=claim.pk)


def comparison_html(page: str) -> str:
    match = re.search(r'<section class="comparison".*?</section>', page, re.S)
    assert match, "no comparison on the page"
    return match.group(0)


def assert_shows_the_correction(html: str) -> None:
    assert "What changes from the public version 1" in html
    # Wording and rationale, the changed words marked; what was typed is escaped.
    assert "The bridge opens in <del>May</del><ins>June</ins>." in html
    assert (
        "<del>Two reports say</del><ins>One report now says June &lt;b&gt;not&lt;/b&gt;</ins> May."
        in html
    )
    assert "<b>not</b>" not in html
    # The state before and after.
    assert re.search(
        r"comparison__before.*?Confirmed.*?→.*?comparison__after.*?Partly confirmed", html, re.S
    )
    # The evidence added, removed and re-weighed.
    assert re.search(
        r"Added:</strong> “Ministry timetable”, contradicts: <q>Opening: 1 July.</q>", html
    )
    assert "Removed:</strong> <del>“Gazette report”</del> (in version 1: supports)" in html
    reweighed = re.search(
        r"Re-weighed:</strong> “Herald report”(.*?)</li>\s*</ul>", html, re.S
    ).group(1)
    assert "excerpt: It opens in <del>May</del><ins>June</ins>." in reweighed
    assert "carried by: <del>all its origins</del> → <ins>its own reporting</ins>" in reweighed
    assert "stance:" not in reweighed


def test_the_status_page_compares_a_correction_with_the_public_version(
    client_for, editor, corrected
):
    page = client_for(editor).get(f"/claims/{corrected.pk}/").content.decode()
    assert_shows_the_correction(comparison_html(page))
    assert '<a href="#comparison">wording, state, rationale, evidence</a>' in page


def test_the_admin_claim_page_shows_the_same_comparison(client_for, editor, corrected):
    url = reverse("admin:claims_claim_change", args=[corrected.pk])
    page = client_for(editor).get(url).content.decode()
    assert_shows_the_correction(comparison_html(page))


def test_the_public_never_sees_the_comparison(client, corrected):
    page = client.get(f"/claims/{corrected.pk}/").content.decode()
    assert 'class="comparison"' not in page
    assert "June" not in page


def test_a_claim_the_public_reads_as_it_stands_has_no_comparison(client_for, editor):
    claim = ClaimFactory(article=ArticleFactory(text=TEXT), quote="the bridge would open in May")
    EvidenceFactory(claim=claim, source=SourceFactory())
    make_public(claim, ConfirmationState.CONFIRMED)
    assert selectors.compare_with_public(Claim.objects.get(pk=claim.pk)).labels == []
    page = client_for(editor).get(f"/claims/{claim.pk}/").content.decode()
    assert 'class="comparison"' not in page


def test_the_comparison_costs_the_two_queries_the_differences_did(
    client_for, editor, corrected, django_assert_num_queries
):
    """The page's queries do not grow with what changed: the comparison reads the working and
    the frozen evidence once each, as the list of differences did (and the titles of named
    origins once, only when what carries a piece of evidence changed between named origins)."""
    client = client_for(editor)
    client.get(f"/claims/{corrected.pk}/")
    claim = Claim.objects.select_related("live_version__article_version").get(pk=corrected.pk)
    with django_assert_num_queries(2):
        comparison = selectors.compare_with_public(claim)
        assert comparison.labels == ["wording", "state", "rationale", "evidence"]


def test_word_diff_marks_whole_words_and_escapes():
    assert word_diff_html("the shipping lane", "the ship lane") == (
        "the <del>shipping</del><ins>ship</ins> lane"
    )
    assert word_diff_html("red big dog", "blue small dog") == (
        "<del>red big</del><ins>blue small</ins> dog"
    )
    assert word_diff_html("a <i>", "a <b>") == "a &lt;<del>i</del><ins>b</ins>&gt;"
    assert word_diff_html("same words", "same words") == "same words"
