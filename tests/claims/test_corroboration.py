"""Independence: evidence counted by distinct origin, and the state that the count suggests."""

import pytest

from claims.corroboration import assess_claim, assess_claims
from claims.models import ClaimAbout, ConfirmationState, Stance
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
        in [str(shared) for shared in assessment.shared]
    )
    # One line of reporting, named after the wire report, with the reprints under it.
    assert assessment.supporting_summary == "1 line of reporting: Wire report (3 relays)"


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
    assert "“Level 7” rests on “Leaked letter”, which is cited too: they count once." in [
        str(shared) for shared in assessment.shared
    ]
    assert assessment.supporting_summary == "1 line of reporting: Leaked letter (1 relay)"


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


def test_a_page_of_claims_costs_four_queries_whatever_the_depth(django_assert_num_queries, letter):
    claims = []
    deep = letter
    for n in range(12):
        deep = report(f"Level {n}", deep)
    for n in range(25):
        claim = ClaimFactory()
        cite(claim, deep)
        cite(claim, report(f"Independent {n}"))
        claims.append(claim)
    claims[0].evidence.first().origins.set([letter])
    # the page's evidence; the origins it names; the lineages of every cited source and the
    # links of those whose evidence names origins (joins on the provenance closure table)
    with django_assert_num_queries(4):
        assessments = assess_claims(claims)
    assert all(a.suggestion == S.CONFIRMED for a in assessments.values())


# -- what the claim is about (the rules in claims.corroboration's docstring) -------------------


def test_said_is_borne_out_by_the_record_of_the_saying(letter):
    """Seed: Esper told reporters there was no decision to leave Iraq (his remarks)."""
    claim = ClaimFactory(about=ClaimAbout.SAID)
    remarks = SourceFactory(title="Remarks", kind=SourceKind.PRESS_BRIEFING)
    cite(claim, remarks)
    cite(claim, report("Relay", remarks))
    assessment = assess_claim(claim)
    assert assessment.suggestion == S.CONFIRMED
    assert assessment.supporting_summary == "1 line of reporting: Remarks (1 relay)"


def test_an_event_needs_independent_lines(letter):
    """Seed: the strike (the Pentagon's statement and RT relaying it) is one line; the leak on
    Monday (Military Times' and UrduPoint's reports, on different origins) is two."""
    strike = ClaimFactory(about=ClaimAbout.EVENT)
    statement = SourceFactory(title="Statement", kind=SourceKind.OFFICIAL_STATEMENT)
    cite(strike, statement)
    cite(strike, report("RT", statement))
    assessment = assess_claim(strike)
    assert assessment.suggestion == S.IN_PROGRESS
    assert "an event needs an independent line" in assessment.reason

    leak = ClaimFactory(about=ClaimAbout.EVENT)
    cite(leak, report("Military Times", report("Defense official", on_record=False)))
    cite(leak, report("UrduPoint", report("AFP report", letter)))
    assessment = assess_claim(leak)
    assert assessment.suggestion == S.CONFIRMED
    assert assessment.supporting_summary.startswith("2 independent lines of reporting")


def test_what_agencies_did_needs_their_reports(letter):
    """Seed: the letter cannot confirm that Reuters and AFP confirmed it; their reports do, as
    two lines with the relays under each, both resting on the letter."""
    claim = ClaimFactory(about=ClaimAbout.REPORTING)
    cite(claim, letter)
    assessment = assess_claim(claim)
    assert assessment.suggestion == S.IN_PROGRESS
    assert "find their reports" in assessment.reason

    iraqi = SourceFactory(title="Iraqi source", kind=SourceKind.UNNAMED_HUMAN, on_record=False)
    reuters = report("Reuters' report", letter, iraqi)
    afp = report("AFP's report", letter)
    for n in range(3):
        cite(claim, report(f"Reuters relay {n}", reuters))
    for n in range(2):
        cite(claim, report(f"AFP relay {n}", afp))
    claim.evidence.filter(source=letter).delete()
    assessment = assess_claim(claim)
    assert assessment.suggestion == S.CONFIRMED
    assert assessment.supporting_summary == (
        "2 independent lines of reporting: Reuters' report (3 relays) and AFP's report "
        "(2 relays), both resting on “Leaked letter”"
    )


def test_one_origin_never_counts_on_both_sides(letter):
    """Seed: a report that quotes the letter and the denials must not put the denials on the
    side of the claim; until it is narrowed, the denials count on neither side."""
    claim = ClaimFactory(about=ClaimAbout.EVENT)
    denial = SourceFactory(title="Denial", kind=SourceKind.PRESS_BRIEFING)
    both = report("Report of both", letter, denial)
    cite(claim, letter)
    evidence = cite(claim, both)
    cite(claim, denial, Stance.CONTRADICTS)
    assessment = assess_claim(claim)
    assert [o.title for o in assessment.on_both_sides] == ["Denial"]
    assert [o.title for o in assessment.supporting] == ["Leaked letter"]
    assert assessment.contradicting == ()
    assert any("counts on neither side" in w for w in assessment.warnings)

    # Narrowed to the letter it quotes, the report supports through the letter only.
    evidence.origins.set([letter])
    assessment = assess_claim(claim)
    assert assessment.on_both_sides == ()
    assert [o.title for o in assessment.contradicting] == ["Denial"]
    assert assessment.suggestion == S.DISPUTED
    assert assessment.supporting_summary == "1 line of reporting: Leaked letter (1 relay)"


def test_evidence_names_only_origins_of_its_source(letter):
    from django.core.exceptions import ValidationError

    from claims import services

    claim = ClaimFactory()
    other = SourceFactory(title="Unrelated")
    relay = report("Relay", letter)
    with pytest.raises(ValidationError, match="“Unrelated” is not an origin of “Relay”"):
        services.add_evidence(
            claim=claim, source=relay, stance=Stance.SUPPORTS, origins=[other], author=desk_author()
        )
    evidence = services.add_evidence(
        author=desk_author(), claim=claim, source=relay, stance=Stance.SUPPORTS, origins=[letter]
    )
    assert list(evidence.origins.all()) == [letter]


# -- the cited source's own reporting ---------------------------------------------------------------


@pytest.fixture
def lloyds_and_reuters():
    """Reuters' report on a grounding rests on Lloyd's List's estimate of the cargo; Reuters saw
    the ship aground itself."""
    estimate = SourceFactory(title="Lloyd's List's estimate", kind=SourceKind.DATASET)
    return estimate, report("Reuters' report", estimate)


def own(claim, source, *origins, stance=Stance.SUPPORTS):
    evidence = EvidenceFactory(claim=claim, source=source, stance=stance, own_reporting=True)
    evidence.origins.set(origins)
    return evidence


def test_own_reporting_counts_the_cited_report_as_an_origin_of_its_own(lloyds_and_reuters):
    """Without it the grounding is credited to Lloyd's List's estimate; with it, instead of the
    origins the report rests on, to Reuters' own reporting, a line of its own."""
    _, reuters = lloyds_and_reuters
    relayed = ClaimFactory(about=ClaimAbout.EVENT)
    cite(relayed, reuters)
    assert [o.title for o in assess_claim(relayed).supporting] == ["Lloyd's List's estimate"]

    claim = ClaimFactory(about=ClaimAbout.EVENT)
    own(claim, reuters)
    assessment = assess_claim(claim)
    assert [(o.title, o.on_record) for o in assessment.supporting] == [("Reuters' report", True)]
    assert assessment.supporting_summary == "1 line of reporting: Reuters' report"
    assert assessment.warnings == ()
    # One report is one line, even of its own reporting: an event needs another.
    assert assessment.suggestion == S.IN_PROGRESS

    coastguard = SourceFactory(title="Coastguard statement", kind=SourceKind.OFFICIAL_STATEMENT)
    cite(claim, coastguard)
    assessment = assess_claim(claim)
    assert assessment.suggestion == S.CONFIRMED
    assert assessment.supporting_summary == (
        "2 independent lines of reporting: Coastguard statement and Reuters' report"
    )


def test_own_reporting_beside_the_origins_it_rests_on(lloyds_and_reuters):
    """Named beside the estimate: both origins carry it, still through one report (one line)."""
    estimate, reuters = lloyds_and_reuters
    claim = ClaimFactory(about=ClaimAbout.EVENT)
    own(claim, reuters, estimate)
    assessment = assess_claim(claim)
    assert [o.title for o in assessment.supporting] == [
        "Lloyd's List's estimate",
        "Reuters' report",
    ]
    assert assessment.supporting_summary == "1 line of reporting: Reuters' report"
    assert assessment.suggestion == S.IN_PROGRESS


def test_relays_of_a_report_join_the_line_of_its_own_reporting(lloyds_and_reuters):
    """A paper reprinting Reuters is Reuters' line, not a second one; AFP's own reporting is."""
    estimate, reuters = lloyds_and_reuters
    claim = ClaimFactory(about=ClaimAbout.EVENT)
    own(claim, reuters)
    cite(claim, report("The Daily Beast", reuters))
    assessment = assess_claim(claim)
    assert assessment.supporting_summary == "1 line of reporting: Reuters' report (1 relay)"
    assert assessment.suggestion == S.IN_PROGRESS

    own(claim, report("AFP's report", estimate))
    assessment = assess_claim(claim)
    assert assessment.suggestion == S.CONFIRMED
    assert assessment.supporting_summary.startswith(
        "2 independent lines of reporting: Reuters' report (1 relay) and AFP's report"
    )


def test_a_relays_own_reporting_is_its_own(lloyds_and_reuters):
    """A paper that relays Reuters but contradicts it from its own reporting: Reuters' own
    reporting for, the paper's against, two origins (on record both: disputed)."""
    _, reuters = lloyds_and_reuters
    claim = ClaimFactory(about=ClaimAbout.EVENT)
    own(claim, reuters)
    own(claim, report("A relay of Reuters", reuters), stance=Stance.CONTRADICTS)
    assessment = assess_claim(claim)
    # The relay's own reporting is its own; Reuters' is Reuters': two origins, one each way.
    assert [o.title for o in assessment.supporting] == ["Reuters' report"]
    assert [o.title for o in assessment.contradicting] == ["A relay of Reuters"]
    assert assessment.suggestion == S.DISPUTED


def test_own_reporting_with_an_origin_the_source_no_longer_rests_on(lloyds_and_reuters):
    """A named origin that is gone leaves the report's own reporting to carry it."""
    _, reuters = lloyds_and_reuters
    claim = ClaimFactory(about=ClaimAbout.EVENT)
    evidence = own(claim, reuters)
    evidence.origins.set([SourceFactory(title="Unrelated")])
    assessment = assess_claim(claim)
    assert [o.title for o in assessment.supporting] == ["Reuters' report"]
    assert any("counts through its own reporting" in w for w in assessment.warnings)


def test_own_reporting_of_an_origin_is_the_origin(letter):
    """A source that rests on nothing is its own origin already: ticking it changes nothing."""
    claim = ClaimFactory(about=ClaimAbout.EVENT)
    own(claim, letter)
    assert [o.title for o in assess_claim(claim).supporting] == ["Leaked letter"]
