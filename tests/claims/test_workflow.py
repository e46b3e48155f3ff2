"""State changes, review and publication through the services: history, rules and roles."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from claims import services
from claims.models import (
    Claim,
    ConfirmationState,
    ReviewAction,
    ReviewEvent,
    ReviewState,
    StateChange,
    VersionKind,
)
from claims.permissions import has_history
from common.writes import WriteOutsideServices, writing_outside_services
from tests.factories import ClaimFactory, EvidenceFactory, SourceFactory

pytestmark = pytest.mark.django_db

S, R = ConfirmationState, ReviewState


@pytest.fixture
def claim():
    """A claim with two independent on-record origins: the evidence bears out "confirmed"."""
    claim = ClaimFactory()
    EvidenceFactory(claim=claim, source=SourceFactory(title="Reuters"))
    EvidenceFactory(claim=claim, source=SourceFactory(title="AFP"))
    return claim


def confirm(claim, who):
    return services.change_state(
        claim=claim, to_state=S.CONFIRMED, rationale="Reuters and AFP both report it.", author=who
    )


def published(claim, fact_checker, editor):
    claim = confirm(claim, fact_checker)
    claim = services.submit_for_review(claim=claim, author=fact_checker)
    return services.approve(claim=claim, author=editor)


def test_a_state_change_writes_its_history_in_the_same_save(claim, fact_checker):
    claim = confirm(claim, fact_checker)
    assert claim.state == S.CONFIRMED
    assert claim.rationale == "Reuters and AFP both report it."
    assert claim.version == 2
    change = StateChange.objects.get(claim=claim)
    assert (change.from_state, change.to_state, change.author, change.claim_version) == (
        S.UNVERIFIED,
        S.CONFIRMED,
        fact_checker,
        2,
    )
    assert change.rationale == "Reuters and AFP both report it."
    # field-level history, with its author
    latest = claim.history.order_by("-history_date").first()
    assert latest.history_user == fact_checker
    assert latest.state == S.CONFIRMED


@pytest.mark.parametrize("rationale", ["", "   "])
def test_every_state_change_needs_a_reason(claim, fact_checker, rationale):
    with pytest.raises(ValidationError, match="needs a reason"):
        services.change_state(
            claim=claim, to_state=S.IN_PROGRESS, rationale=rationale, author=fact_checker
        )
    assert not StateChange.objects.exists()


def test_an_unknown_state_is_refused_in_words(claim, fact_checker):
    with pytest.raises(ValidationError, match="“probably” is not a state"):
        services.change_state(claim=claim, to_state="probably", rationale="x", author=fact_checker)


def test_outsiders_cannot_change_states(claim, outsider):
    with pytest.raises(PermissionDenied):
        confirm(claim, outsider)
    assert Claim.objects.get(pk=claim.pk).state == S.UNVERIFIED


def test_fact_checkers_submit_and_editors_publish(claim, fact_checker, editor):
    claim = confirm(claim, fact_checker)
    claim = services.submit_for_review(claim=claim, author=fact_checker, comment="Ready.")
    assert claim.review_state == R.IN_REVIEW
    with pytest.raises(PermissionDenied, match="editors only"):
        services.approve(claim=claim, author=fact_checker)
    claim = services.approve(claim=claim, author=editor, comment="Good.")
    assert claim.review_state == R.PUBLISHED
    assert claim.published_at is not None
    assert claim.first_published_at == claim.published_at
    actions = list(
        ReviewEvent.objects.filter(claim=claim).values_list("action", "author__username")
    )
    assert actions == [
        (ReviewAction.SUBMIT, fact_checker.username),
        (ReviewAction.APPROVE, editor.username),
    ]


def test_only_a_verdict_goes_to_review(claim, fact_checker):
    with pytest.raises(ValidationError, match="give it a verdict"):
        services.submit_for_review(claim=claim, author=fact_checker)


def test_sending_back_needs_a_comment_and_returns_a_draft(claim, fact_checker, editor):
    claim = services.submit_for_review(claim=confirm(claim, fact_checker), author=fact_checker)
    with pytest.raises(ValidationError, match="needs a comment"):
        services.send_back(claim=claim, author=editor, comment="")
    claim = services.send_back(claim=claim, author=editor, comment="Find the letter's date.")
    assert claim.review_state == R.DRAFT
    assert (
        ReviewEvent.objects.filter(claim=claim, action=ReviewAction.SEND_BACK).get().comment
        == "Find the letter's date."
    )


def test_changing_a_published_verdict_reopens_review_and_the_public_keeps_its_version(
    claim, fact_checker, editor
):
    claim = published(claim, fact_checker, editor)
    first = claim.live_version
    claim = services.change_state(
        claim=claim,
        to_state=S.DISPUTED,
        rationale="The Pentagon has since denied it.",
        author=fact_checker,
    )
    assert claim.review_state == R.IN_REVIEW
    assert claim.live_version == first  # the public still reads the approved verdict
    assert (first.state, first.number) == (S.CONFIRMED, 1)
    assert ReviewEvent.objects.filter(claim=claim, action=ReviewAction.REOPEN).exists()
    with pytest.raises(ValidationError, match="write the public correction note"):
        services.approve(claim=claim, author=editor)
    claim = services.approve(
        claim=claim, author=editor, correction="The Pentagon denied the report on 7 January."
    )
    second = claim.live_version
    assert (second.number, second.state, second.kind) == (2, S.DISPUTED, VersionKind.APPROVAL)
    assert second.correction == "The Pentagon denied the report on 7 January."
    assert list(claim.versions.order_by("number")) == [first, second]


def test_rewriting_a_published_rationale_needs_a_reason(claim, fact_checker, editor):
    claim = published(claim, fact_checker, editor)
    new = "Reuters, AFP and the Pentagon all report it."
    with pytest.raises(ValidationError, match="This verdict is public"):
        services.edit_claim(claim=claim, author=fact_checker, rationale=new)
    services.edit_claim(
        claim=claim, author=fact_checker, rationale=new, reason="Added the Pentagon's confirmation."
    )
    claim = Claim.objects.get(pk=claim.pk)
    assert claim.review_state == R.IN_REVIEW
    assert claim.live_version.rationale == "Reuters and AFP both report it."


def test_a_change_that_changes_nothing_writes_nothing(claim, fact_checker):
    claim = confirm(claim, fact_checker)
    before = (claim.version, StateChange.objects.count(), claim.history.count())
    same = services.edit_claim(claim=claim, author=fact_checker, wording=claim.wording)
    assert (same.version, StateChange.objects.count(), claim.history.count()) == before


def test_publishing_a_verdict_stronger_than_its_evidence_needs_a_reason(fact_checker, editor):
    claim = ClaimFactory()
    EvidenceFactory(claim=claim, source=SourceFactory(title="One report"))
    claim = services.change_state(
        claim=claim, to_state=S.CONFIRMED, rationale="One report says so.", author=fact_checker
    )
    claim = services.submit_for_review(claim=claim, author=fact_checker)
    with pytest.raises(ValidationError, match="its evidence suggests “In progress”"):
        services.approve(claim=claim, author=editor)
    claim = services.approve(
        claim=claim, author=editor, override_reason="The report is the Pentagon's own transcript."
    )
    event = ReviewEvent.objects.get(claim=claim, action=ReviewAction.APPROVE)
    assert event.override_reason == "The report is the Pentagon's own transcript."


def test_withdrawing_keeps_the_claim_and_leaves_a_public_notice(claim, fact_checker, editor):
    claim = published(claim, fact_checker, editor)
    with pytest.raises(PermissionDenied):
        services.withdraw(claim=claim, author=fact_checker, reason="Wrong article.")
    claim = services.withdraw(claim=claim, author=editor, reason="Anchored to the wrong article.")
    assert claim.review_state == R.DRAFT
    assert claim.first_published_at is not None
    notice = claim.live_version
    assert (notice.kind, notice.number) == (VersionKind.WITHDRAWAL, 2)
    assert notice.correction == "Anchored to the wrong article."
    assert Claim.objects.published().filter(pk=claim.pk).exists()  # the notice stays public
    assert not Claim.objects.live().filter(pk=claim.pk).exists()  # the feed drops it
    assert has_history(claim)


def test_history_is_append_only(claim, fact_checker):
    confirm(claim, fact_checker)
    change = StateChange.objects.get()
    change.rationale = "rewritten"
    with pytest.raises(PermissionError):
        change.save()
    with pytest.raises(PermissionError):
        change.delete()
    with pytest.raises(PermissionError):
        StateChange.objects.all().delete()
    with pytest.raises(PermissionError):
        StateChange.objects.update(rationale="rewritten")
    assert StateChange.objects.get().rationale == "Reuters and AFP both report it."


def test_a_claim_with_history_cannot_be_deleted_even_directly(claim, fact_checker):
    from django.db.models import ProtectedError

    confirm(claim, fact_checker)
    with pytest.raises(WriteOutsideServices):
        Claim.objects.get(pk=claim.pk).delete()
    with writing_outside_services(), pytest.raises(ProtectedError):
        Claim.objects.get(pk=claim.pk).delete()


def test_a_stale_version_is_refused_naming_who_changed_it(claim, fact_checker, editor):
    seen = claim.version
    services.change_state(claim=claim, to_state=S.IN_PROGRESS, rationale="Started.", author=editor)
    with pytest.raises(services.ConflictError) as caught:
        services.change_state(
            claim=claim,
            to_state=S.CONFIRMED,
            rationale="Two reports.",
            author=fact_checker,
            expected_version=seen,
        )
    assert f"was changed by {editor.username}" in str(caught.value)
    assert "Nothing of yours was saved" in str(caught.value)
    assert Claim.objects.get(pk=claim.pk).state == S.IN_PROGRESS
    assert StateChange.objects.count() == 1
