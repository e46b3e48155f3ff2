"""The review workflow in the admin, for each persona, through the test client."""

import re

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from claims import services
from claims.models import (
    Claim,
    ConfirmationState,
    PublishedVersion,
    ReviewEvent,
    ReviewState,
    StateChange,
    VersionKind,
)
from tests.factories import ClaimFactory, EvidenceFactory, SourceFactory

pytestmark = pytest.mark.django_db

S, R = ConfirmationState, ReviewState
CHANGELIST = "admin:claims_claim_changelist"


@pytest.fixture
def claim():
    claim = ClaimFactory()
    EvidenceFactory(claim=claim, source=SourceFactory(title="Reuters"))
    EvidenceFactory(claim=claim, source=SourceFactory(title="AFP"))
    return claim


@pytest.fixture
def in_review(claim, fact_checker):
    claim = services.change_state(
        claim=claim, to_state=S.CONFIRMED, rationale="Two agencies.", author=fact_checker
    )
    return services.submit_for_review(claim=claim, author=fact_checker)


def offered_actions(client):
    page = client.get(reverse(CHANGELIST)).content.decode()
    return set(re.findall(r'<option value="([a-z_]+)"', page))


def run_action(client, action, claims, **data):
    payload = {"action": action, ACTION_CHECKBOX_NAME: [c.pk for c in claims], **data}
    return client.post(reverse(CHANGELIST), payload, follow=True)


def edit_form(claim, **changes):
    data = {
        "article": claim.article_id,
        "wording": claim.wording,
        "quote": claim.quote,
        "occurrence": "",
        "quote_start": claim.quote_start,
        "quote_end": claim.quote_end,
        "claimant": claim.claimant,
        "about": claim.about,
        "state": claim.state,
        "rationale": claim.rationale,
        "change_note": "",
        "assignee": "",
        "version": claim.version,
        "evidence-TOTAL_FORMS": "0",
        "evidence-INITIAL_FORMS": "0",
        "evidence-MIN_NUM_FORMS": "0",
        "evidence-MAX_NUM_FORMS": "1000",
    }
    data.update(changes)
    return data


# -- who is offered what ------------------------------------------------------------------------


def test_fact_checkers_are_not_offered_publication(client_for, fact_checker, claim):
    actions = offered_actions(client_for(fact_checker))
    assert {"change_state_action", "submit_action"} <= actions
    assert not {"approve_action", "send_back_action", "withdraw_action"} & actions


def test_editors_are_offered_every_review_action(client_for, editor, claim):
    actions = offered_actions(client_for(editor))
    assert {
        "change_state_action",
        "submit_action",
        "approve_action",
        "send_back_action",
        "withdraw_action",
    } <= actions


def test_a_forged_approve_action_from_a_fact_checker_changes_nothing(
    client_for, fact_checker, in_review
):
    run_action(client_for(fact_checker), "approve_action", [in_review], apply="1")
    assert Claim.objects.get(pk=in_review.pk).review_state == R.IN_REVIEW


@pytest.mark.parametrize("persona", ["outsider", None])
def test_outsiders_and_anonymous_visitors_cannot_run_actions(
    client, client_for, request, persona, in_review
):
    http = client_for(request.getfixturevalue(persona)) if persona else client
    response = http.post(
        reverse(CHANGELIST),
        {"action": "approve_action", ACTION_CHECKBOX_NAME: [in_review.pk], "apply": "1"},
    )
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]
    review = http.post(
        reverse("admin:claims_claim_change", args=[in_review.pk]),
        edit_form(in_review, _review_step="approve"),
    )
    assert review.status_code == 302
    assert reverse("admin:login") in review["Location"]
    assert Claim.objects.get(pk=in_review.pk).review_state == R.IN_REVIEW


# -- bulk actions through the services -----------------------------------------------------------


def test_bulk_state_change_asks_why_and_records_it_for_each_claim(client_for, fact_checker, claim):
    other = ClaimFactory(quote="Critics said it would not open before June")
    client = client_for(fact_checker)
    form = run_action(client, "change_state_action", [claim, other])
    assert "Change the state of these claims" in form.content.decode()
    done = run_action(
        client,
        "change_state_action",
        [claim, other],
        apply="1",
        state="in_progress",
        rationale="Starting.",
    )
    assert "Changed the state of 2 claims." in done.content.decode()
    assert (
        StateChange.objects.filter(
            to_state=S.IN_PROGRESS, author=fact_checker, rationale="Starting."
        ).count()
        == 2
    )


def test_bulk_submit_names_the_claims_it_could_not_send(client_for, fact_checker, claim):
    ready = services.change_state(
        claim=ClaimFactory(quote="Critics said"),
        to_state=S.DISPUTED,
        rationale="Conflict.",
        author=fact_checker,
    )
    page = run_action(client_for(fact_checker), "submit_action", [claim, ready]).content.decode()
    assert "Sent to review 1 claim." in page
    assert f"#{claim.pk} (Claim #{claim.pk} is “Unverified”: give it a verdict" in page
    assert Claim.objects.get(pk=ready.pk).review_state == R.IN_REVIEW


def test_editor_approves_in_bulk(client_for, editor, in_review):
    page = run_action(
        client_for(editor), "approve_action", [in_review], apply="1", comment="", override_reason=""
    )
    assert "Approved and published 1 claim." in page.content.decode()
    assert Claim.objects.get(pk=in_review.pk).review_state == R.PUBLISHED


def test_bulk_approval_asks_a_reason_for_verdicts_stronger_than_their_evidence(
    client_for, editor, fact_checker
):
    weak = ClaimFactory()
    EvidenceFactory(claim=weak, source=SourceFactory(title="Only report"))
    weak = services.change_state(
        claim=weak, to_state=S.CONFIRMED, rationale="One report.", author=fact_checker
    )
    weak = services.submit_for_review(claim=weak, author=fact_checker)
    client = client_for(editor)
    form = run_action(client, "approve_action", [weak]).content.decode()
    assert "Stronger than its evidence, which suggests in progress" in form
    refused = run_action(
        client, "approve_action", [weak], apply="1", comment="", override_reason=""
    ).content.decode()
    assert "Not changed:" in refused
    assert Claim.objects.get(pk=weak.pk).review_state == R.IN_REVIEW
    run_action(
        client,
        "approve_action",
        [weak],
        apply="1",
        comment="",
        override_reason="It is the official transcript.",
    )
    assert Claim.objects.get(pk=weak.pk).review_state == R.PUBLISHED
    assert (
        ReviewEvent.objects.get(claim=weak, action="approve").override_reason
        == "It is the official transcript."
    )


def test_send_back_needs_a_comment(client_for, editor, in_review):
    client = client_for(editor)
    page = run_action(
        client, "send_back_action", [in_review], apply="1", comment=""
    ).content.decode()
    assert "This field is required." in page
    assert Claim.objects.get(pk=in_review.pk).review_state == R.IN_REVIEW
    run_action(
        client, "send_back_action", [in_review], apply="1", comment="Add the Pentagon's statement."
    )
    assert Claim.objects.get(pk=in_review.pk).review_state == R.DRAFT


def test_withdraw_in_bulk_leaves_a_correction(client_for, editor, in_review):
    services.approve(claim=in_review, author=editor)
    run_action(
        client_for(editor), "withdraw_action", [in_review], apply="1", comment="Wrong article."
    )
    claim = Claim.objects.select_related("live_version").get(pk=in_review.pk)
    assert claim.review_state == R.DRAFT
    assert (claim.live_version.kind, claim.live_version.correction) == (
        VersionKind.WITHDRAWAL,
        "Wrong article.",
    )


# -- the claim's page ---------------------------------------------------------------------------


def test_the_page_shows_suggestion_timeline_and_the_buttons_a_person_may_use(
    client_for, fact_checker, editor, in_review
):
    url = reverse("admin:claims_claim_change", args=[in_review.pk])
    fc_page = client_for(fact_checker).get(url).content.decode()
    assert "2</strong> independent origins for" in fc_page
    assert "Timeline and discussion" in fc_page
    assert "Two agencies." in fc_page
    assert 'value="approve"' not in fc_page
    ed_page = client_for(editor).get(url).content.decode()
    assert 'value="approve"' in ed_page
    assert 'value="send_back"' in ed_page


def test_an_editor_approves_from_the_page(client_for, editor, in_review):
    response = client_for(editor).post(
        reverse("admin:claims_claim_change", args=[in_review.pk]),
        edit_form(in_review, _review_step="approve", review_approve_comment="Solid."),
        follow=True,
    )
    assert f"Claim #{in_review.pk} “" in response.content.decode()
    assert "is now published." in response.content.decode()
    assert "Your changes are saved" not in response.content.decode()  # there were none
    assert Claim.objects.get(pk=in_review.pk).review_state == R.PUBLISHED
    assert ReviewEvent.objects.get(claim=in_review, action="approve").comment == "Solid."


def test_a_review_step_saves_the_edits_on_screen_first(client_for, editor, in_review):
    page = client_for(editor).post(
        reverse("admin:claims_claim_change", args=[in_review.pk]),
        edit_form(
            in_review, rationale="Reuters and AFP both saw the letter.", _review_step="approve"
        ),
        follow=True,
    )
    assert "Your changes are saved. Claim #" in page.content.decode()
    claim = Claim.objects.select_related("live_version").get(pk=in_review.pk)
    assert claim.review_state == R.PUBLISHED
    assert claim.live_version.rationale == "Reuters and AFP both saw the letter."


def test_an_invalid_form_takes_no_review_step_and_keeps_what_was_typed(
    client_for, editor, in_review
):
    page = client_for(editor).post(
        reverse("admin:claims_claim_change", args=[in_review.pk]),
        edit_form(
            in_review, wording="", _review_step="approve", review_approve_comment="Fine by me."
        ),
    )
    assert page.status_code == 200
    text = page.content.decode()
    assert "This field is required." in text
    assert "Fine by me.</textarea>" in text  # the step's comment is still on screen
    assert 'value="approve"' in text  # and its button, which saves first
    assert Claim.objects.get(pk=in_review.pk).review_state == R.IN_REVIEW


def test_a_refused_step_says_so_and_keeps_the_saved_edits(client_for, editor, in_review):
    page = (
        client_for(editor)
        .post(
            reverse("admin:claims_claim_change", args=[in_review.pk]),
            edit_form(in_review, claimant="The Pentagon", _review_step="send_back"),
            follow=True,
        )
        .content.decode()
    )
    assert "Your changes are saved. “Send back” was refused: Say what needs doing" in page
    claim = Claim.objects.get(pk=in_review.pk)
    assert (claim.claimant, claim.review_state) == ("The Pentagon", R.IN_REVIEW)


def test_a_forged_approval_from_a_fact_checker_is_refused(client_for, fact_checker, in_review):
    response = client_for(fact_checker).post(
        reverse("admin:claims_claim_change", args=[in_review.pk]),
        edit_form(in_review, _review_step="approve"),
        follow=True,
    )
    assert (
        "You do not have permission to approve verdicts (editors only)."
        in response.content.decode()
    )
    assert Claim.objects.get(pk=in_review.pk).review_state == R.IN_REVIEW


def test_an_unknown_step_is_refused_with_a_sentence(client_for, editor, in_review):
    response = client_for(editor).post(
        reverse("admin:claims_claim_change", args=[in_review.pk]),
        edit_form(in_review, _review_step="publish_now"),
        follow=True,
    )
    assert "“publish_now” is not a review step" in response.content.decode()
    assert Claim.objects.get(pk=in_review.pk).review_state == R.IN_REVIEW


def test_changing_the_state_in_the_form_records_history(client_for, fact_checker, claim):
    client = client_for(fact_checker)
    url = reverse("admin:claims_claim_change", args=[claim.pk])
    missing = client.post(url, edit_form(claim, state="in_progress"))
    assert "Say why the state changes" in missing.content.decode()
    response = client.post(
        url, edit_form(claim, state="in_progress", change_note="Looking for the letter.")
    )
    assert response.status_code == 302
    change = StateChange.objects.get(claim=claim)
    assert (change.to_state, change.rationale, change.author) == (
        S.IN_PROGRESS,
        "Looking for the letter.",
        fact_checker,
    )
    history = client.get(reverse("admin:claims_claim_history", args=[claim.pk])).content.decode()
    assert fact_checker.username in history


def test_a_published_verdict_changed_in_the_form_goes_back_to_review(
    client_for, fact_checker, editor, in_review
):
    claim = services.approve(claim=in_review, author=editor)
    client = client_for(fact_checker)
    url = reverse("admin:claims_claim_change", args=[claim.pk])
    page = client.post(url, edit_form(claim, state="disputed", rationale="The Pentagon denies it."))
    assert "This verdict is public: say what changes and why" in page.content.decode()
    saved = client.post(
        url,
        edit_form(
            claim, state="disputed", rationale="The Pentagon denies it.", change_note="New denial."
        ),
        follow=True,
    )
    assert "the public keeps reading version 1 until an editor approves" in saved.content.decode()
    claim.refresh_from_db()
    assert (claim.state, claim.review_state) == (S.DISPUTED, R.IN_REVIEW)
    assert (claim.live_version.state, claim.live_version.number) == (S.CONFIRMED, 1)


def test_the_second_of_two_people_editing_at_once_is_told_and_nothing_is_lost(
    client_for, fact_checker, editor, claim
):
    url = reverse("admin:claims_claim_change", args=[claim.pk])
    opened = Claim.objects.get(pk=claim.pk)  # both open the page at this version
    first = client_for(editor).post(url, edit_form(opened, wording="Editor's wording."))
    assert first.status_code == 302
    second = client_for(fact_checker).post(
        url, edit_form(opened, wording="Fact-checker's wording.")
    )
    page = second.content.decode()
    assert second.status_code == 200
    assert f"was changed by {editor.username}" in page
    assert (
        "Fact-checker&#x27;s wording." in page
    )  # their edit is still in the form, not thrown away
    assert Claim.objects.get(pk=claim.pk).wording == "Editor's wording."


# -- history that nobody rewrites -----------------------------------------------------------------


@pytest.mark.parametrize("model", ["statechange", "reviewevent", "publishedversion"])
def test_nobody_edits_or_deletes_history_in_the_admin(
    client_for, admin_user, fact_checker, in_review, model
):
    services.approve(claim=in_review, author=admin_user)
    row = {
        "statechange": StateChange,
        "reviewevent": ReviewEvent,
        "publishedversion": PublishedVersion,
    }[model]
    client = client_for(admin_user)
    assert client.get(reverse(f"admin:claims_{model}_changelist")).status_code == 200
    assert client.get(reverse(f"admin:claims_{model}_add")).status_code == 403
    if row is not None:
        pk = row.objects.first().pk
        assert (
            client.post(
                reverse(f"admin:claims_{model}_delete", args=[pk]), {"post": "yes"}
            ).status_code
            == 403
        )
        page = client.get(reverse(f"admin:claims_{model}_change", args=[pk])).content.decode()
        assert 'name="_save"' not in page  # shown read-only
        assert row.objects.filter(pk=pk).exists()


def test_a_claim_with_history_offers_no_delete(client_for, admin_user, in_review):
    client = client_for(admin_user)
    assert client.get(reverse("admin:claims_claim_delete", args=[in_review.pk])).status_code == 403
    assert Claim.objects.filter(pk=in_review.pk).exists()


def test_the_correction_note_says_that_its_date_is_put_before_it(
    client_for, fact_checker, editor, in_review
):
    from django.utils import dateformat, timezone

    claim = services.approve(claim=in_review, author=editor)
    claim = services.edit_claim(
        claim=claim, author=fact_checker, rationale="Reuters, AFP and the letter.", reason="More."
    )
    today = dateformat.format(timezone.localtime(), "j F Y")
    client = client_for(editor)
    for url in (
        reverse("admin:claims_claim_change", args=[claim.pk]),
        reverse("claims:claim", args=[claim.pk]),
    ):
        page = client.get(url).content.decode()
        assert f"The date is put before it for you: the public reads “{today}: your note”." in page
        assert "shown publicly after the date, which is put before it for you" in page  # withdraw
