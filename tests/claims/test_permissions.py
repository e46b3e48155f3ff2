"""One permission policy (claims.permissions), asked by the services, the admin's buttons, the
status pages and the API: who may submit, approve, send back, withdraw, assign and delete."""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from claims import services
from claims.models import ConfirmationState, ReviewAction, ReviewEvent, ReviewState
from claims.permissions import ClaimPermissions
from tests.factories import ClaimFactory, EvidenceFactory, SourceFactory, UserFactory

pytestmark = pytest.mark.django_db

S, R = ConfirmationState, ReviewState


@pytest.fixture
def claim():
    """A claim whose evidence bears out "confirmed" (two independent on-record origins)."""
    claim = ClaimFactory()
    EvidenceFactory(claim=claim, source=SourceFactory(title="Reuters"))
    EvidenceFactory(claim=claim, source=SourceFactory(title="AFP"))
    return claim


@pytest.fixture
def second_editor(db):
    user = UserFactory(username="edna.second", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


def in_review(claim, author, rationale="Reuters and AFP both report it."):
    claim = services.change_state(
        claim=claim, to_state=S.CONFIRMED, rationale=rationale, author=author
    )
    return services.submit_for_review(claim=claim, author=author)


def api_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


# -- withdraw whenever something is public ------------------------------------------------------


def test_a_published_verdict_reopened_to_no_verdict_can_still_be_withdrawn(
    claim, fact_checker, editor
):
    claim = services.approve(claim=in_review(claim, fact_checker), author=editor)
    # A fact-checker takes the claim back to "in progress": the old verdict stays public.
    claim = services.change_state(
        claim=claim,
        to_state=S.IN_PROGRESS,
        rationale="A new report disputes it.",
        author=fact_checker,
    )
    assert claim.review_state == R.DRAFT
    assert claim.live_version.kind == "approval"
    assert ClaimPermissions(editor, claim).review_steps() == ["withdraw"]

    withdrawn = services.withdraw(claim=claim, author=editor, reason="Under review again.")

    assert withdrawn.live_version.is_withdrawal
    assert withdrawn.review_state == R.DRAFT  # the working copy is as the fact-checker left it
    event = ReviewEvent.objects.filter(claim=claim).latest("id")
    assert (event.action, event.from_review_state, event.to_review_state) == (
        ReviewAction.WITHDRAW,
        R.DRAFT,
        R.DRAFT,
    )
    # Nothing public left: no second withdrawal.
    with pytest.raises(ValidationError, match="has no public verdict to withdraw"):
        services.withdraw(claim=withdrawn, author=editor, reason="Again.")


def test_a_published_verdict_in_review_again_offers_withdraw_beside_approve(
    claim, fact_checker, editor, client_for
):
    claim = services.approve(claim=in_review(claim, fact_checker), author=editor)
    claim = services.edit_claim(
        claim=claim, author=fact_checker, wording="A sharper wording.", reason="Sharper."
    )
    assert claim.review_state == R.IN_REVIEW
    assert ClaimPermissions(editor, claim).review_steps() == ["approve", "send_back", "withdraw"]

    page = client_for(editor).get(reverse("admin:claims_claim_change", args=[claim.pk])).text
    assert 'name="_review_step" value="withdraw"' in page
    status = client_for(editor).get(reverse("claims:claim", args=[claim.pk])).text
    assert 'name="action" value="withdraw"' in status

    withdrawn = services.withdraw(claim=claim, author=editor, reason="Pending a new check.")
    assert withdrawn.review_state == R.IN_REVIEW  # its pending change can still be approved
    assert withdrawn.live_version.is_withdrawal


def test_the_api_takes_every_review_step_the_policy_allows(claim, fact_checker, editor):
    claim = services.approve(claim=in_review(claim, fact_checker), author=editor)
    response = api_for(editor).post(
        f"/api/v1/claims/{claim.pk}/review/",
        {"action": "withdraw", "comment": "The agency retracted its report."},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["publication"]["withdrawn"] is True
    refused = api_for(fact_checker).post(
        f"/api/v1/claims/{claim.pk}/review/",
        {"action": "withdraw", "comment": "Me too."},
        format="json",
    )
    assert refused.status_code == 403
    assert "editors only" in refused.json()["detail"]


# -- four eyes ------------------------------------------------------------------------------------


def test_with_two_editors_an_editor_does_not_approve_a_verdict_they_set(
    claim, editor, second_editor, client_for
):
    claim = in_review(claim, editor)
    decision = ClaimPermissions(editor, claim).can_approve()
    assert not decision
    assert "a second editor approves it" in decision.reason
    with pytest.raises(PermissionDenied, match="second editor"):
        services.approve(claim=claim, author=editor)
    # Neither the admin nor the status page offers the button.
    assert (
        'value="approve"'
        not in client_for(editor).get(reverse("admin:claims_claim_change", args=[claim.pk])).text
    )
    assert (
        'value="approve"'
        not in client_for(editor).get(reverse("claims:claim", args=[claim.pk])).text
    )

    approved = services.approve(claim=claim, author=second_editor)
    assert approved.review_state == R.PUBLISHED
    assert not ReviewEvent.objects.get(
        claim=claim, action=ReviewAction.APPROVE
    ).without_second_reader


def test_the_last_change_counts_too_not_only_who_set_the_state(
    claim, fact_checker, editor, second_editor
):
    claim = in_review(claim, fact_checker)
    # The second editor rewrites the rationale (no state change): they last changed the verdict.
    claim = services.send_back(claim=claim, author=editor, comment="Name the agencies.")
    claim = services.edit_claim(
        claim=claim,
        author=second_editor,
        rationale="Reuters and AFP both confirmed the letter's authenticity.",
        reason="Named the agencies.",
    )
    claim = services.submit_for_review(claim=claim, author=fact_checker)
    assert not ClaimPermissions(second_editor, claim).can_approve()
    assert ClaimPermissions(editor, claim).can_approve()


def test_a_desk_with_one_editor_approves_its_own_verdict_recorded_without_a_second_reader(
    claim, editor, client_for
):
    claim = in_review(claim, editor)
    approved = services.approve(claim=claim, author=editor)

    event = ReviewEvent.objects.get(claim=claim, action=ReviewAction.APPROVE)
    assert event.without_second_reader
    page = client_for(editor).get(reverse("admin:claims_claim_change", args=[approved.pk])).text
    assert "Approved and published without a second reader" in page


def test_four_eyes_can_be_forced_on_and_off(claim, editor, settings):
    claim = in_review(claim, editor)
    settings.FOUR_EYES = "on"
    with pytest.raises(PermissionDenied, match="second editor"):
        services.approve(claim=claim, author=editor)
    settings.FOUR_EYES = "off"
    services.approve(claim=claim, author=editor)
    assert ReviewEvent.objects.get(claim=claim, action=ReviewAction.APPROVE).without_second_reader


# -- assignment ------------------------------------------------------------------------------------


def test_fact_checkers_take_unassigned_claims_and_hand_on_their_own(fact_checker, editor):
    colleague = UserFactory(username="fred.colleague", is_staff=True)
    colleague.groups.add(Group.objects.get(name="Fact-checkers"))
    claim = ClaimFactory()

    claim = services.edit_claim(claim=claim, author=fact_checker, assignee=fact_checker)
    claim = services.edit_claim(claim=claim, author=fact_checker, assignee=colleague)
    assert claim.assignee == colleague

    with pytest.raises(PermissionDenied, match="only an editor moves a claim from someone else"):
        services.edit_claim(claim=claim, author=fact_checker, assignee=fact_checker)
    claim = services.edit_claim(claim=claim, author=editor, assignee=fact_checker)
    assert claim.assignee == fact_checker


def test_the_admin_says_beside_the_field_who_holds_the_claim(client_for, fact_checker, editor):
    claim = services.edit_claim(claim=ClaimFactory(), author=editor, assignee=editor)
    client = client_for(fact_checker)
    page = client.get(reverse("admin:claims_claim_change", args=[claim.pk]))
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        {
            "article": claim.article_id,
            "assignee": fact_checker.pk,
            "evidence-TOTAL_FORMS": 0,
            "evidence-INITIAL_FORMS": 0,
        }
    )
    response = client.post(reverse("admin:claims_claim_change", args=[claim.pk]), data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["assignee"] == [
        f"Claim #{claim.pk} is assigned to {editor.username}: only an editor moves a claim from "
        "someone else. Take unassigned claims, or hand on your own."
    ]
    claim.refresh_from_db()
    assert claim.assignee == editor


def test_the_api_refuses_moving_a_colleagues_claim_with_403(fact_checker, editor):
    claim = services.edit_claim(claim=ClaimFactory(), author=editor, assignee=editor)
    client = api_for(fact_checker)
    etag = client.get(f"/api/v1/claims/{claim.pk}/").headers["ETag"]
    response = client.patch(
        f"/api/v1/claims/{claim.pk}/",
        {"assignee": fact_checker.username},
        format="json",
        HTTP_IF_MATCH=etag,
    )
    assert response.status_code == 403
    assert "only an editor moves a claim" in response.json()["detail"]


def test_the_desks_approvers_are_the_editors_each_of_whom_may_approve(
    claim, editor, second_editor, settings, django_assert_max_num_queries
):
    from claims.permissions import approvers

    claim = in_review(claim, editor)
    # Decided for the whole desk at once: the editors, who set the state, who changed it last
    # (on the claim), and whether the desk has two editors.
    with django_assert_max_num_queries(3):
        may = approvers(claim)
    assert may == [second_editor]
    assert [e for e in (editor, second_editor) if ClaimPermissions(e, claim).can_approve()] == may
    settings.FOUR_EYES = "off"
    assert set(approvers(claim)) == {editor, second_editor}
