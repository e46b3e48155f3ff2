"""Independence: evidence counted by distinct origin, and the state that the count suggests."""

import pytest

from claims.corroboration import assess_claim, assess_claims
from claims.models import ConfirmationState, Stance
from sources.models import SourceKind
from sources.services import add_provenance
from tests.factories import ClaimFactory, EvidenceFactory, SourceFactory, desk_author

pytestmark = pytest.mark.django_db

S = ConfirmationState


def cite(claim, source, stance=Stance.SUPPORTS):
    return EvidenceFactory(claim=claim, source=source, stance=stance)


def report(title, *rests_on, **kwargs):
    source = SourceFactory(title=title, **kwargs)
    for origin in rests_on:
        add_provenance(author=desk_author(), source=source, rests_on=origin)
    return source


@pytest.fixture
def letter():
    return SourceFactory(title="Leaked letter", kind=SourceKind.DOCUMENT, outlet=None)


def test_no_evidence_suggests_unverified():
    assessment = assess_claim(ClaimFactory())
    assert assessment.suggestion == S.UNVERIFIED
    assert assessment.warnings == ()


def test_a_wire_story_and_its_reprints_are_one_origin():
    claim = ClaimFactory(state=S.CONFIRMED, rationale="Three reports say so.")
    wire = report("Wire report")
    for n in range(3):
        cite(claim, report(f"Reprint {n}", wire))
    assessment = assess_claim(claim)
    assert [o.title for o in assessment.supporting] == ["Wire report"]
    assert assessment.suggestion == S.IN_PROGRESS
    assert assessment.stronger_than_evidence
    assert "Confirmed on a single origin: “Wire report”." in assessment.warnings
    assert (
        "“Reprint 0”, “Reprint 1” and “Reprint 2” share origin “Wire report”: they count once."
        in assessment.warnings
    )


def test_two_independent_origins_suggest_confirmed():
    claim = ClaimFactory()
    cite(claim, report("Reuters"))
    cite(claim, report("AFP"))
    assessment = assess_claim(claim)
    assert assessment.supporting_count == 2
    assert assessment.suggestion == S.CONFIRMED


def test_a_primary_on_record_origin_is_enough(letter):
    claim = ClaimFactory()
    cite(claim, report("Report quoting the letter", letter))
    assert assess_claim(claim).suggestion == S.CONFIRMED


def test_a_deep_chain_is_followed_to_its_root(letter):
    claim = ClaimFactory()
    chain = letter
    for n in range(8):
        chain = report(f"Level {n}", chain)
    cite(claim, chain)
    cite(claim, letter)
    assessment = assess_claim(claim)
    assert [o.title for o in assessment.supporting] == ["Leaked letter"]
    assert (
        "“Level 7” rests on “Leaked letter”, which is cited too: they count once."
        in assessment.warnings
    )


def test_unnamed_sources_alone_suggest_unverifiable():
    claim = ClaimFactory()
    cite(claim, SourceFactory(title="Four people", kind=SourceKind.UNNAMED_HUMAN, on_record=False))
    cite(claim, SourceFactory(title="An official", kind=SourceKind.UNNAMED_HUMAN, on_record=False))
    assessment = assess_claim(claim)
    assert assessment.supporting_count == 2
    assert assessment.suggestion == S.UNVERIFIABLE


def test_an_unnamed_origin_counts_towards_independence_but_never_alone():
    claim = ClaimFactory()
    cite(claim, report("Named report"))
    cite(
        claim,
        SourceFactory(title="Unnamed official", kind=SourceKind.UNNAMED_HUMAN, on_record=False),
    )
    assert assess_claim(claim).suggestion == S.CONFIRMED


def test_independent_support_and_contradiction_suggest_disputed():
    claim = ClaimFactory()
    cite(claim, report("Letter report"))
    cite(claim, report("Denial"), Stance.CONTRADICTS)
    assessment = assess_claim(claim)
    assert assessment.suggestion == S.DISPUTED
    assert assessment.contradicting_count == 1


def test_strong_contradiction_alone_suggests_refuted():
    claim = ClaimFactory()
    cite(
        claim,
        SourceFactory(title="Official record", kind=SourceKind.OFFICIAL_RECORD),
        Stance.CONTRADICTS,
    )
    assert assess_claim(claim).suggestion == S.REFUTED


def test_context_is_shown_but_never_counted():
    claim = ClaimFactory()
    cite(claim, report("Background"), Stance.CONTEXT)
    assert assess_claim(claim).suggestion == S.UNVERIFIED


def test_partly_confirmed_with_no_support_is_stronger_than_its_evidence():
    claim = ClaimFactory(state=S.PARTLY_CONFIRMED, rationale="The core holds.")
    cite(claim, SourceFactory(title="Unnamed", kind=SourceKind.UNNAMED_HUMAN, on_record=False))
    assert assess_claim(claim).stronger_than_evidence


def test_a_page_of_claims_costs_two_queries_whatever_the_depth(django_assert_num_queries, letter):
    claims = []
    deep = letter
    for n in range(12):
        deep = report(f"Level {n}", deep)
    for n in range(25):
        claim = ClaimFactory()
        cite(claim, deep)
        cite(claim, report(f"Independent {n}"))
        claims.append(claim)
    # the page's evidence; every cited source's origins (one recursive query)
    with django_assert_num_queries(2):
        assessments = assess_claims(claims)
    assert all(a.suggestion == S.CONFIRMED for a in assessments.values())
