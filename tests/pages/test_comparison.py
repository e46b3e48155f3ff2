"""A correction shows the editor a real comparison with the public version: the old and new
wording and rationale with the changed words marked, the evidence added, removed and re-weighed,
and the state before and after, on the desk's status page and in the admin."""

import itertools
import re

import pytest
from django.test import Client
from django.urls import reverse

from claims import selectors, services
from claims.models import Article, Claim, ConfirmationState, Stance
from claims.worddiff import word_diff_html
from sources.models import Source
from sources.services import add_provenance, save_outlet, save_source
from tests.factories import (
    ArticleFactory,
    ClaimFactory,
    EvidenceFactory,
    OutletFactory,
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


def test_the_comparison_costs_fixed_queries(
    client_for, editor, corrected, django_assert_num_queries
):
    """The page's queries do not grow with what changed: the comparison reads the working and
    the frozen evidence once each, and freezes the cited sources now in four (and the titles of
    named origins once, only when what carries a piece of evidence changed between named
    origins)."""
    client = client_for(editor)
    client.get(f"/claims/{corrected.pk}/")
    claim = Claim.objects.select_related(
        "article__outlet", "live_version__article_version__article__live_version"
    ).get(pk=corrected.pk)
    with django_assert_num_queries(6):
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


# -- edits of what the public version shows beside the claim ----------------------------------------


@pytest.fixture
def source_edited(fact_checker):
    """A public verdict whose only change since is the desk's edit of a source it cites (its
    title, web address, on-the-record flag and outlet's name) and of that source's provenance."""
    outlet = OutletFactory(name="Daily Herald")
    claim = ClaimFactory(article=ArticleFactory(text=TEXT), quote="the bridge would open in May")
    source = SourceFactory(
        title="Herald report", url="https://herald.example/may", outlet=outlet, on_record=True
    )
    EvidenceFactory(claim=claim, source=source, excerpt="It opens in May.")
    make_public(claim, ConfirmationState.CONFIRMED, rationale="The Herald says May.")
    source = Source.objects.get(pk=source.pk)
    source.title = "Herald report, corrected"
    source.url = "https://herald.example/june"
    source.on_record = False
    save_source(source=source, author=fact_checker)
    outlet.name = "The Herald"
    save_outlet(outlet=outlet, author=fact_checker)
    add_provenance(
        source=source, rests_on=SourceFactory(title="Ministry notice"), author=fact_checker
    )
    return Claim.objects.get(pk=claim.pk)


def assert_shows_the_source_edit(html: str) -> None:
    edited = re.search(r"Source edited:</strong> “Herald report, corrected”(.*?)</ul>", html, re.S)
    assert edited, html
    items = edited.group(1)
    assert "title: Herald report<ins>, corrected</ins>" in items
    assert "web address: <del>https://herald.example/may</del>" in items
    assert "<ins>https://herald.example/june</ins>" in items
    assert "on the record: <del>yes</del>" in items
    assert "<ins>no</ins>" in items
    assert "outlet: <del>Daily Herald</del>" in items
    assert "<ins>The Herald</ins>" in items
    assert "rests on: <del>none</del>" in items
    assert "<ins>“Ministry notice”</ins>" in items
    assert "The evidence is as the public reads it." in html


def test_a_source_edit_is_a_difference_from_the_public_version(source_edited):
    comparison = selectors.compare_with_public(source_edited)
    assert comparison.labels == ["sources"]
    assert selectors.published_differences(source_edited) == ["sources"]
    assert comparison.evidence == []
    assert comparison.fields == []


def test_the_status_page_lists_a_source_edit(client_for, editor, source_edited):
    page = client_for(editor).get(f"/claims/{source_edited.pk}/").content.decode()
    assert '<a href="#comparison">sources</a>' in page
    assert_shows_the_source_edit(comparison_html(page))
    # The public keeps the approved copy.
    public_page = Client().get(f"/claims/{source_edited.pk}/").content.decode()
    assert "Herald report" in public_page
    assert "corrected" not in public_page


def test_the_admin_claim_page_lists_a_source_edit(client_for, editor, source_edited):
    url = reverse("admin:claims_claim_change", args=[source_edited.pk])
    page = client_for(editor).get(url).content.decode()
    assert 'This working copy differs in: <strong><a href="#comparison">sources</a>' in page
    assert_shows_the_source_edit(comparison_html(page))


def test_an_article_edit_is_a_difference_from_the_public_version(client_for, editor, fact_checker):
    article = ArticleFactory(text=TEXT, headline="Bridge to open in May", slug="bridge-may")
    claim = ClaimFactory(article=article, quote="the bridge would open in May")
    EvidenceFactory(claim=claim, source=SourceFactory())
    make_public(claim)
    article = Article.objects.get(pk=article.pk)
    article.headline = "Bridge to open in June"
    article.slug = "bridge-june"
    services.save_article(article=article, author=fact_checker)
    outlet = article.outlet
    outlet.name = "Renamed outlet"
    save_outlet(outlet=outlet, author=fact_checker)
    claim = Claim.objects.get(pk=claim.pk)
    assert selectors.published_differences(claim) == ["article"]
    for url in (f"/claims/{claim.pk}/", reverse("admin:claims_claim_change", args=[claim.pk])):
        html = comparison_html(client_for(editor).get(url).content.decode())
        assert "Headline:</strong> Bridge to open in <del>May</del><ins>June</ins>" in html
        assert "Address:</strong> <del>bridge-may</del>" in html
        assert "<ins>bridge-june</ins>" in html
        assert "Outlet:</strong> <del>" in html
        assert "<ins>Renamed outlet</ins>" in html


def test_the_comparison_of_sources_costs_fixed_queries(
    source_edited, fact_checker, django_assert_num_queries
):
    """Whatever the number of evidence rows and the depth of their provenance: the working and
    frozen evidence, and the four queries of freezing the cited sources now."""

    def compare():
        claim = Claim.objects.select_related(
            "article__outlet", "live_version__article_version__article__live_version"
        ).get(pk=source_edited.pk)
        with django_assert_num_queries(6):
            return selectors.compare_with_public(claim)

    assert compare().labels == ["sources"]
    for _ in range(5):
        chain = [SourceFactory() for _ in range(4)]
        for lower, upper in itertools.pairwise(chain):
            add_provenance(source=lower, rests_on=upper, author=fact_checker)
        EvidenceFactory(claim=source_edited, source=chain[0])
    make_public(Claim.objects.get(pk=source_edited.pk))
    for source in Source.objects.filter(evidence__claim=source_edited):
        source.title += " (edited)"
        save_source(source=source, author=fact_checker)
    assert len(compare().sources_changed) == 6
