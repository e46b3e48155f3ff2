"""The claim page: passage in context, verdict, evidence by stance with provenance graphs,
independence, history and corrections; ClaimReview JSON-LD for published verdicts."""

import itertools
import json
import re

import pytest
from django.test import Client
from django.urls import reverse

from claims import services
from claims.claimreview import claim_review
from claims.models import AnchorEvent, Claim, ClaimAbout, ConfirmationState, ReviewState, Stance
from claims.visibility import PUBLIC_CLAIM_RELATED, public_claim
from common.writes import writing_outside_services
from sources.models import SourceKind
from sources.services import add_provenance
from tests.factories import (
    ArticleFactory,
    ClaimFactory,
    EvidenceFactory,
    OutletFactory,
    SourceFactory,
    desk_author,
    make_public,
)

from .conftest import add_claims, publish, sentences

pytestmark = pytest.mark.django_db


def url(claim) -> str:
    return reverse("claims:claim", args=[claim.pk])


def ld_blocks(html: str) -> list[str]:
    return re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)


@pytest.fixture
def worked_claim(fact_checker, editor):
    """A claim taken through the workflow: confirmed, sent back once, then published, then
    corrected (which sends it back to review), then published again."""
    article = ArticleFactory()
    claim = services.create_claim(
        article=article,
        wording="The bridge opens in May.",
        quote="the bridge would open in May",
        author=fact_checker,
        about=ClaimAbout.SAID,  # what the ministry announced: its statement bears it out
    )
    EvidenceFactory(claim=claim, source=SourceFactory(kind=SourceKind.OFFICIAL_STATEMENT))
    claim = services.change_state(
        claim=claim, to_state="confirmed", rationale="The ministry says so.", author=fact_checker
    )
    claim = services.submit_for_review(claim=claim, author=fact_checker)
    claim = services.send_back(claim=claim, author=editor, comment="INTERNAL: cite the decree.")
    claim = services.submit_for_review(claim=claim, author=fact_checker)
    claim = services.approve(claim=claim, author=editor)
    claim = services.change_state(
        claim=claim,
        to_state="partly_confirmed",
        rationale="The ministry now says June for one lane.",
        author=fact_checker,
    )
    # The change sent the published verdict back to review; its approval leaves the note.
    return services.approve(
        claim=claim, author=editor, correction="One lane opens in June, not in May."
    )


def test_a_published_claim_shows_its_passage_verdict_history_and_correction(client, worked_claim):
    response = client.get(url(worked_claim))
    assert response.status_code == 200
    page = response.text
    assert "<h1>The bridge opens in May.</h1>" in page
    # The passage in its context, marked and named.
    assert (
        '<mark class="claim claim--partly_confirmed" data-claim="'
        f'{worked_claim.pk}">the bridge would open in May'
        '<span class="claim__label"> Partly confirmed</span></mark>'
    ) in page
    assert "The minister said " in page
    assert "Verdict: Partly confirmed" in page
    assert "The ministry now says June for one lane." in page
    # The public correction, at the top and in the published versions.
    assert page.count("One lane opens in June, not in May.") == 2
    assert "Version 2: approved by an editor" in page
    assert "Version 1: approved by an editor" in page
    assert "an editor of Claim Tracker" in page
    # The desk's internal comments and names are not public.
    assert "INTERNAL" not in page
    assert "Sent back" not in page
    assert "eddie.editor" not in page
    assert "fiona.factchecker" not in page


def test_staff_see_the_whole_history_with_names(client_for, fact_checker, worked_claim):
    page = client_for(fact_checker).get(url(worked_claim)).text
    assert "INTERNAL: cite the decree." in page
    assert "Sent back" in page
    assert "eddie.editor" in page


def test_published_claims_carry_their_claimreview_in_the_head(client, worked_claim):
    Claim.objects.filter(pk=worked_claim.pk).update(
        wording="It said </script><script>alert(1)</script> & more"
    )
    make_public(worked_claim, "partly_confirmed")
    response = client.get(url(worked_claim))
    page = response.text
    head = page.split("</head>")[0]
    (block,) = ld_blocks(head)
    assert "</script><script>" not in block
    assert "\\u003C/script\\u003E" in block
    assert "\\u0026" in block
    data = json.loads(block)
    claim = Claim.objects.select_related(*PUBLIC_CLAIM_RELATED).get(pk=worked_claim.pk)
    assert data == claim_review(public_claim(claim), base_url="http://testserver/")
    assert data["url"] == f"http://testserver{url(worked_claim)}"
    assert data["reviewRating"]["alternateName"] == "Partly confirmed"


@pytest.mark.parametrize(
    ("review_state", "said"), [(ReviewState.DRAFT, "a draft"), (ReviewState.IN_REVIEW, "in review")]
)
def test_a_claim_that_is_not_published_is_a_404_for_the_public_and_marked_for_staff(
    client, client_for, outsider, fact_checker, article_with_claims, review_state, said
):
    article = article_with_claims(1, published=False, review_state=review_state)
    claim = article.claims.get()
    assert client.get(url(claim)).status_code == 404
    assert client_for(outsider).get(url(claim)).status_code == 404  # signed in, not staff
    response = client_for(fact_checker).get(url(claim))
    assert response.status_code == 200
    assert f"Not public: this claim is {said}." in response.text
    assert ld_blocks(response.text) == []
    assert client.get(reverse("claims:claim", args=[987654])).status_code == 404


def test_evidence_grouped_by_stance_with_source_details_and_shared_origins(client):
    article = ArticleFactory()
    claim = publish(ClaimFactory(article=article))
    letter = SourceFactory(
        title="The leaked letter", kind=SourceKind.DOCUMENT, url="", author="Brig. Gen. Seely"
    )
    wire = SourceFactory(title="Wire report", outlet=OutletFactory(name="Reuters"))
    paper = SourceFactory(title="Paper reprint <b>", outlet=OutletFactory(name="The Daily"))
    for relay in (wire, paper):
        add_provenance(author=desk_author(), source=relay, rests_on=letter)
    add_provenance(author=desk_author(), source=paper, rests_on=wire)
    unnamed = SourceFactory(
        title="An unnamed official", kind=SourceKind.UNNAMED_HUMAN, on_record=False
    )
    EvidenceFactory(claim=claim, source=wire, stance=Stance.SUPPORTS, excerpt="The letter is real.")
    EvidenceFactory(claim=claim, source=paper, stance=Stance.SUPPORTS, note="Reprints the wire.")
    EvidenceFactory(claim=claim, source=unnamed, stance=Stance.CONTRADICTS)
    EvidenceFactory(claim=claim, source=letter, stance=Stance.CONTEXT)

    page = client.get(url(claim)).text
    assert '<span class="stance stance--supports">Supports</span> (2)' in page
    assert '<span class="stance stance--contradicts">Contradicts</span> (1)' in page
    assert '<span class="stance stance--context">Context</span> (1)' in page
    # Source details: title (a link only when there is an address), outlet, author, record.
    assert f'<a href="{wire.url}" rel="external noopener noreferrer">Wire report</a>' in page
    assert "<dd>Reuters</dd>" in page
    assert "<dd>Brig. Gen. Seely</dd>" in page
    assert "no public address known" in page
    assert "<strong>Off the record</strong> (unnamed)" in page
    assert "The letter is real." in page
    assert "Paper reprint &lt;b&gt;" in page
    assert "Paper reprint <b>" not in page
    # A provenance graph for each source, the shared origin named in it and under it.
    assert page.count('<svg class="provenance-graph"') == 4
    assert "SHARED ORIGIN" in page
    assert (
        "Shares its origin “The leaked letter” with “Paper reprint &lt;b&gt;”: they count once."
        in page
    )
    # Two reports of one letter are one origin for, the unnamed official one against.
    assert "<strong>1</strong> independent origin for, <strong>1</strong> against." in page


def test_suggestion_and_warnings_are_shown(client):
    claim = publish(ClaimFactory(article=ArticleFactory()))
    EvidenceFactory(claim=claim, source=SourceFactory(title="Only report"))
    page = client.get(url(claim)).text
    assert "The evidence suggests" in page
    assert '<span class="state state--in_progress" title' in page
    assert "Confirmed on a single origin: “Only report”." in page
    assert "The state (Confirmed) is stronger than its evidence" in page


def test_a_broken_anchor_shows_the_recorded_passage_not_a_wrong_one(client_for, editor):
    client = client_for(editor)  # the desk reads the working text, which an edit can break
    article = ArticleFactory()
    claim = publish(ClaimFactory(article=article))
    type(article).objects.filter(pk=article.pk).update(text="Completely new text.")
    page = client.get(url(claim)).text
    assert "Broken anchor:" in page
    assert '<blockquote class="quote">the bridge would open in May</blockquote>' in page
    assert "<mark" not in page


@pytest.mark.parametrize(
    ("persona", "review_state", "queries"),
    [
        # The public: the read model's generation, then the claim's row of it, its page stored
        # when an editor approved (claims.public; the same page again, of the same generation,
        # is the generation alone: tests/claims/test_served_memory.py).
        (None, ReviewState.PUBLISHED, 2),
        # The desk: the session and the user; the working claim with its live version; its
        # evidence; the origins it names; the lineages and links; the snapshots; the history's
        # state changes, review events, published versions, anchor moves and internal comments;
        # what differs from the live version (working and frozen evidence, and the four
        # queries of freezing the cited sources as they stand now); the editor's
        # permissions (user's, then groups'), for the review steps open to them
        # (claims.permissions).
        ("editor", ReviewState.PUBLISHED, 21),
        # and, for a claim in review, who set its state (four eyes: its latest state change) and
        # the article's pending changes, which approving would publish too.
        ("editor", ReviewState.IN_REVIEW, 23),
    ],
)
def test_a_fixed_number_of_queries_whatever_the_evidence_and_provenance(
    request, client, client_for, django_assert_num_queries, persona, review_state, queries
):
    if persona:
        client = client_for(request.getfixturevalue(persona))
    article = ArticleFactory(text=sentences(3))
    (claim,) = add_claims(article, 1, evidence=1)
    if review_state != ReviewState.PUBLISHED:
        Claim.objects.filter(pk=claim.pk).update(review_state=review_state, published_at=None)
    with django_assert_num_queries(queries):
        assert client.get(url(claim)).status_code == 200
    # Ten more sources, each on a chain of provenance twelve levels deep.
    for _ in range(10):
        chain = [SourceFactory() for _ in range(13)]
        for lower, upper in itertools.pairwise(chain):
            add_provenance(author=desk_author(), source=lower, rests_on=upper)
        EvidenceFactory(claim=claim, source=chain[0], stance=Stance.CONTRADICTS)
        services.add_comment(claim=claim, author=desk_author(), body="Another look, please.")
    # and anchor moves, as saving an edited article text records them.
    with writing_outside_services():
        for _ in range(3):
            AnchorEvent.objects.create(
                claim=claim, outcome="moved", quote=claim.quote, from_start=0, from_end=5,
                to_start=claim.quote_start, to_end=claim.quote_end, author=desk_author(),
            )  # fmt: skip
    with django_assert_num_queries(queries):
        page = client.get(url(claim)).text
    assert page.count('<svg class="provenance-graph"') == 11


def test_the_seed_claim_pages(editor, seeded):
    public, staff_client = Client(), Client()
    staff_client.force_login(editor)
    for claim in Claim.objects.filter(article=seeded):
        response = public.get(url(claim))
        assert response.status_code == (200 if claim.is_public else 404)
        if claim.is_public:  # the one true event: it was loaded from the seed file
            assert "Version 1: loaded from a seed file" in response.text
        staff = staff_client.get(url(claim))
        assert staff.status_code == 200
        assert len(ld_blocks(staff.text)) == (1 if claim.is_public else 0)
        assert " style=" not in staff.text
    # The reader sees the relays under their agencies' reports: two lines, not five.
    agencies = Claim.objects.get(article=seeded, quote__contains="Reuters and Agence France")
    page = public.get(url(agencies)).text
    assert "For: 1 line of reporting: AFP&#x27;s report on the letter (2 relays)" in page
    assert "Against: 1 line of reporting: Reuters&#x27; report on the letter (3 relays)" in page
    # No origin counted on both sides of the "preparing to comply" claim.
    preparing = Claim.objects.get(article=seeded, quote__contains="preparations to comply")
    page = public.get(url(preparing)).text
    assert "counted on neither" not in page
    assert "<strong>1</strong> independent origin for, <strong>2</strong> against" in page


def test_states_of_the_verdict_are_named_in_words(client):
    claim = publish(ClaimFactory(article=ArticleFactory()), ConfirmationState.UNVERIFIABLE)
    page = client.get(url(claim)).text
    assert '<span class="state state--unverifiable"' in page
    assert "Verdict: Unverifiable" in page
