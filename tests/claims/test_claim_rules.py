"""Rules on claims and evidence that the database enforces and forms explain."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from claims import services
from claims.models import Claim, ConfirmationState, Evidence, Stance
from common.writes import writing_outside_services
from tests.factories import ClaimFactory, EvidenceFactory, SourceFactory, desk_author

pytestmark = pytest.mark.django_db


def test_states_are_exactly_the_designed_ones_with_label_colour_and_meaning():
    assert ConfirmationState.values == [
        "unverified",
        "in_progress",
        "confirmed",
        "partly_confirmed",
        "disputed",
        "refuted",
        "unverifiable",
    ]
    for state in ConfirmationState:
        assert state.label
        assert state.meaning.endswith(".")
        assert re.fullmatch(r"#[0-9a-f]{6}", state.colour)


def test_state_colours_in_the_stylesheet_match_the_model(settings):
    css = (settings.BASE_DIR / "static" / "css" / "states.css").read_text()
    for state in ConfirmationState:
        assert (
            f".state--{state.value}, mark.claim--{state.value} {{ background-color: {state.colour}; }}"
            in css
        )


@pytest.mark.parametrize("state", [s for s in ConfirmationState if s.is_verdict])
def test_a_verdict_needs_a_rationale(state, fact_checker):
    claim = ClaimFactory()
    with pytest.raises(ValidationError) as caught:
        services.edit_claim(claim=claim, author=fact_checker, state=state, reason="Checked.")
    assert caught.value.message_dict["rationale"] == [
        f"A verdict needs a rationale: say why the claim is “{state.label}”."
    ]
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.filter(pk=claim.pk).update(state=state, rationale="")


def test_an_unknown_state_is_refused_by_the_database():
    claim = ClaimFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.filter(pk=claim.pk).update(state="probably_true")


def test_one_evidence_row_per_claim_and_source():
    evidence = EvidenceFactory()
    with pytest.raises(ValidationError, match="already linked to this claim"):
        services.add_evidence(
            claim=evidence.claim,
            source=evidence.source,
            stance=Stance.CONTRADICTS,
            author=desk_author(),
        )
    with pytest.raises(IntegrityError), transaction.atomic(), writing_outside_services():
        Evidence.objects.create(claim=evidence.claim, source=evidence.source, stance=Stance.CONTEXT)


def test_an_unknown_stance_is_refused():
    claim, source = ClaimFactory(), SourceFactory()
    with pytest.raises(ValidationError):
        services.add_evidence(claim=claim, source=source, stance="maybe", author=desk_author())
    with pytest.raises(IntegrityError), transaction.atomic(), writing_outside_services():
        Evidence.objects.create(claim=claim, source=source, stance="maybe")
