"""The selected claims as CSV from the claims list, as a desk reporting in a spreadsheet gets them."""

import csv
import io

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims import services
from claims.models import ConfirmationState, Stance
from tests.factories import ArticleFactory, ClaimFactory, EvidenceFactory, SourceFactory

pytestmark = pytest.mark.django_db


def _export(client, claims):
    response = client.post(
        reverse("admin:claims_claim_changelist"),
        {"action": "export_csv", ACTION_CHECKBOX_NAME: [c.pk for c in claims]},
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_the_selected_claims_export_with_states_rationales_reviews_and_sources(
    client_for, fact_checker, editor
):
    article = ArticleFactory(
        text="=SUM(A1) said the minister. The bridge would open in May. Nobody came."
    )
    chosen = ClaimFactory(article=article, quote="The bridge would open in May")
    EvidenceFactory(
        claim=chosen,
        stance=Stance.SUPPORTS,
        source=SourceFactory(title="Ministry notice", url="https://gov.example/notice"),
    )
    EvidenceFactory(
        claim=chosen,
        stance=Stance.CONTRADICTS,
        source=SourceFactory(title="Site visit", url="https://news.example/visit"),
    )
    services.change_state(
        claim=chosen,
        to_state=ConfirmationState.DISPUTED,
        rationale="The two sources conflict.",
        author=fact_checker,
    )
    services.submit_for_review(claim=chosen, author=fact_checker)
    services.send_back(claim=chosen, author=editor, comment="Ask the ministry again.")
    formula = ClaimFactory(article=article, quote="=SUM(A1) said the minister", wording="=SUM(A1)")
    ClaimFactory(article=article, quote="Nobody came", wording="Not chosen")

    rows = _export(client_for(fact_checker), [chosen, formula])
    assert [r["claim id"] for r in rows] == [str(formula.pk), str(chosen.pk)]
    row = rows[1]
    assert row["state"] == "Disputed"
    assert row["rationale"] == "The two sources conflict."
    assert row["review state"] == "Sent back"
    assert row["sent back comment"] == "Ask the ministry again."
    assert row["sources"] == "Ministry notice | Site visit"
    assert row["stances"] == "Supports | Contradicts"
    assert row["source web addresses"] == "https://gov.example/notice | https://news.example/visit"
    assert rows[0]["wording"] == "'=SUM(A1)"  # never a formula in a spreadsheet
    assert "Not chosen" not in {r["wording"] for r in rows}


def test_the_export_costs_the_same_queries_for_any_selection(client_for, fact_checker):
    claims = [ClaimFactory(article=ArticleFactory()) for _ in range(6)]
    for claim in claims:
        EvidenceFactory(claim=claim)
        EvidenceFactory(claim=claim)
    client = client_for(fact_checker)
    _export(client, claims[:1])
    with CaptureQueriesContext(connection) as one:
        _export(client, claims[:1])
    with CaptureQueriesContext(connection) as six:
        assert len(_export(client, claims)) == 6
    assert len(six) == len(one)


@pytest.mark.parametrize(
    "wording",
    ["\uff1dSUM(A1)", "\ufe66SUM(A1)", "\u200b=SUM(A1)", "\ufeff=1+1", " \u200b\uff0bcmd"],
    ids=[
        "fullwidth equals",
        "small equals",
        "zero-width space",
        "byte-order mark",
        "fullwidth plus",
    ],
)
def test_lookalike_formula_starts_are_quoted_too(client_for, fact_checker, wording):
    article = ArticleFactory(text="The minister said the bridge would open in May.")
    claim = ClaimFactory(article=article, quote="the bridge would open", wording=wording)
    [row] = _export(client_for(fact_checker), [claim])
    assert row["wording"] == "'" + wording
