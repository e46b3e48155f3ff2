"""The trial's small findings (issue 10, point 7), each as a reader of the admin or pages meets it."""

import pytest
from django.urls import reverse

from claims import services
from claims.models import Claim, ConfirmationState, ReviewState, Stance
from sources.services import add_provenance
from tests.claims.test_admin import claim_form
from tests.claims.test_review_admin import edit_form
from tests.factories import (
    ArticleFactory,
    ClaimFactory,
    EvidenceFactory,
    SourceFactory,
    desk_author,
    make_public,
)

pytestmark = pytest.mark.django_db


def test_a_verdict_without_a_rationale_is_said_once(client_for, fact_checker):
    response = client_for(fact_checker).post(
        reverse("admin:claims_claim_add"), claim_form(ArticleFactory(), state="confirmed")
    )
    assert response.content.decode().count("A verdict needs a rationale") == 1


def test_no_review_step_is_taken_from_a_form_whose_edit_did_not_save(client_for, fact_checker):
    claim = ClaimFactory()
    claim = services.change_state(
        claim=claim,
        to_state=ConfirmationState.IN_PROGRESS,
        rationale="Started.",
        author=fact_checker,
    )
    claim = services.edit_claim(
        claim=claim,
        author=fact_checker,
        state=ConfirmationState.CONFIRMED,
        rationale="Two sources.",
        reason="Checked.",
    )
    url = reverse("admin:claims_claim_change", args=[claim.pk])
    client = client_for(fact_checker)
    assert 'name="_review_step" value="submit"' in client.get(url).content.decode()
    # A change of state without a rationale does not save, so the step asked with it is not
    # taken; its button stays, since it saves the (corrected) form first.
    page = client.post(
        url, edit_form(claim, state="refuted", rationale="", _review_step="submit")
    ).content.decode()
    assert "A verdict needs a rationale" in page
    assert 'name="_review_step" value="submit"' in page
    assert Claim.objects.get(pk=claim.pk).review_state == ReviewState.DRAFT


def test_the_claim_page_says_review_once_and_every_state_meaning_is_there_for_the_script(
    client_for, fact_checker
):
    claim = ClaimFactory()
    page = client_for(fact_checker).get(reverse("admin:claims_claim_change", args=[claim.pk]))
    html = page.content.decode()
    assert html.count(">Review</h2>") == 1
    for state in ConfirmationState:
        assert f'data-meaning-for="{state.value}"' in html
    assert 'data-meaning-for="unverified">' in html  # the saved state's is the one shown
    assert "js/claim_form.js" in html


def test_the_slug_help_text_reads_whole(client_for, fact_checker):
    page = client_for(fact_checker).get(reverse("admin:claims_article_add")).content.decode()
    assert "/articles//" not in page
    assert "/articles/ followed by this slug" in page


def test_a_refuted_claim_does_not_read_nothing_supports_it_yet(client, fact_checker):
    claim = ClaimFactory()
    EvidenceFactory(claim=claim, stance=Stance.CONTRADICTS, source=SourceFactory())
    make_public(claim, ConfirmationState.REFUTED, rationale="The record shows otherwise.")
    page = client.get(reverse("claims:article", args=[claim.article.slug])).content.decode()
    assert "Nothing supports it yet" not in page
    assert "Nothing supports it; evidence contradicts it" in page


def test_a_provenance_row_names_the_source_it_rests_on(client_for, admin_user):
    source, origin = SourceFactory(title="Daily report"), SourceFactory(title="The letter")
    add_provenance(author=desk_author(), source=source, rests_on=origin)
    page = client_for(admin_user).get(reverse("admin:sources_source_change", args=[source.pk]))
    html = page.content.decode()
    assert "Rests on “The letter”" in html
    assert f"{source.pk} rests on {origin.pk}" not in html
