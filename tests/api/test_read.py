"""Reading the API as each persona: the public sees published verdicts and what hangs on them."""

import pytest

from claims import services
from claims.models import Claim, ConfirmationState, ReviewState
from sources.services import add_provenance
from tests.factories import (
    ClaimFactory,
    EvidenceFactory,
    SourceFactory,
    desk_author,
    make_public,
)

pytestmark = pytest.mark.django_db

S = ConfirmationState


@pytest.fixture
def published(fact_checker, editor):
    claim = ClaimFactory()
    EvidenceFactory(claim=claim, source=SourceFactory(title="Reuters report"))
    EvidenceFactory(claim=claim, source=SourceFactory(title="AFP report"))
    claim = services.change_state(
        claim=claim, to_state=S.CONFIRMED, rationale="Two agencies.", author=fact_checker
    )
    claim = services.submit_for_review(claim=claim, author=fact_checker)
    return services.approve(claim=claim, author=editor)


@pytest.fixture
def draft():
    claim = ClaimFactory(quote="Critics said it would not open before June")
    EvidenceFactory(claim=claim, source=SourceFactory(title="Secret draft source"))
    return claim


def ids(response):
    return [row["id"] for row in response.json()["results"]]


def test_anonymous_readers_see_published_claims_only(api, published, draft):
    response = api.get("/api/v1/claims/")
    assert response.status_code == 200
    assert ids(response) == [published.pk]
    assert api.get(f"/api/v1/claims/{draft.pk}/").status_code == 404
    assert api.get(f"/api/v1/claims/{draft.pk}/history/").status_code == 404


def test_an_outsider_with_a_token_reads_what_anonymous_reads(api_as, outsider, published, draft):
    assert ids(api_as(outsider).get("/api/v1/claims/")) == [published.pk]


@pytest.mark.parametrize("persona", ["fact_checker", "editor", "admin_user"])
def test_the_desk_sees_drafts(api_as, request, persona, published, draft):
    client = api_as(request.getfixturevalue(persona))
    assert set(ids(client.get("/api/v1/claims/"))) == {published.pk, draft.pk}
    body = client.get(f"/api/v1/claims/{draft.pk}/").json()
    assert body["review_state"] == "draft"


def test_a_claim_carries_its_evidence_independence_review_state_and_links(api, published):
    response = api.get(f"/api/v1/claims/{published.pk}/")
    assert response.status_code == 200
    assert response["ETag"]
    body = response.json()
    assert body["id"] == published.pk
    assert (body["state"], body["state_label"], body["review_state"]) == (
        "confirmed",
        "Confirmed",
        "published",
    )
    assert body["rationale"] == "Two agencies."
    assert body["anchor_intact"] is True
    assert body["article"]["slug"] == published.article.slug
    assert body["article"]["outlet"]["name"] == published.article.outlet.name
    titles = sorted(e["source"]["title"] for e in body["evidence"])
    assert titles == ["AFP report", "Reuters report"]
    assert all(
        e["stance"] == "supports" and e["source"]["outlet"]["name"] for e in body["evidence"]
    )
    independence = body["independence"]
    assert sorted(o["title"] for o in independence["supporting_origins"]) == [
        "AFP report",
        "Reuters report",
    ]
    assert independence["suggested_state"] == "confirmed"
    assert independence["warnings"] == []
    links = body["links"]
    assert links["status_page"] == f"http://testserver/claims/{published.pk}/"
    assert links["admin"] == f"http://testserver/admin/claims/claim/{published.pk}/change/"
    assert links["history"].endswith(f"/api/v1/claims/{published.pk}/history/")
    assert links["claimreview"].endswith(f"/api/v1/claims/{published.pk}/claimreview/")


def test_shared_origins_are_named_in_the_claim(api_as, fact_checker):
    claim = ClaimFactory()
    wire = SourceFactory(title="Wire story")
    for n in range(2):
        reprint = SourceFactory(title=f"Reprint {n}")
        add_provenance(author=desk_author(), source=reprint, rests_on=wire)
        EvidenceFactory(claim=claim, source=reprint)
    body = api_as(fact_checker).get(f"/api/v1/claims/{claim.pk}/").json()
    assert [o["title"] for o in body["independence"]["supporting_origins"]] == ["Wire story"]
    shared = body["independence"]["shared_origins"]
    assert shared == [
        {
            "origin": {
                "id": wire.pk,
                "title": "Wire story",
                "kind": "news_report",
                "on_record": True,
            },
            "sources": ["Reprint 0", "Reprint 1"],
        }
    ]


def test_history_shows_versions_to_all_and_the_working_steps_only_to_the_desk(
    api, api_as, fact_checker, published
):
    public = api.get(f"/api/v1/claims/{published.pk}/history/").json()
    assert [(v["number"], v["state"], v["correction"]) for v in public["versions"]] == [
        (1, "confirmed", "")
    ]
    assert public["versions"][0]["approved_by"] == "an editor of Claim Tracker"
    assert "state_changes" not in public
    assert "review_events" not in public
    desk = api_as(fact_checker).get(f"/api/v1/claims/{published.pk}/history/").json()
    assert [e["action"] for e in desk["review_events"]] == ["submit", "approve"]
    assert [(c["from_state"], c["to_state"]) for c in desk["state_changes"]] == [
        ("unverified", "confirmed")
    ]


def test_anonymous_readers_see_only_what_hangs_on_published_claims(api, published, draft):
    articles = ids(api.get("/api/v1/articles/"))
    assert articles == [published.article_id]
    sources = {row["title"] for row in api.get("/api/v1/sources/").json()["results"]}
    assert sources == {"Reuters report", "AFP report"}
    evidence = {row["claim"] for row in api.get("/api/v1/evidence/").json()["results"]}
    assert evidence == {published.pk}
    outlets = {row["id"] for row in api.get("/api/v1/outlets/").json()["results"]}
    assert draft.article.outlet_id not in outlets
    assert published.article.outlet_id in outlets


def test_public_evidence_is_opened_by_the_id_it_is_listed_with(api, published, editor):
    """The public's evidence is the frozen copy; its detail answers at the id its list and its
    claim show (the working evidence's), even after a second approval made new copies."""
    services.edit_claim(
        claim=published,
        author=editor,
        rationale="Two agencies saw it.",
        reason="Names the agencies.",
    )
    claim = Claim.objects.get(pk=published.pk)
    services.approve(claim=claim, author=editor, correction="The rationale names the agencies.")
    listed = api.get("/api/v1/evidence/").json()["results"]
    assert listed
    for row in listed:
        detail = api.get(f"/api/v1/evidence/{row['id']}/")
        assert detail.status_code == 200, detail.content[:300]
        assert detail.json() == row


def test_sources_behind_published_evidence_are_public_too(api, fact_checker, editor):
    letter = SourceFactory(title="The letter", outlet=None, kind="document")
    report = SourceFactory(title="Report on the letter")
    add_provenance(author=desk_author(), source=report, rests_on=letter)
    claim = ClaimFactory()
    EvidenceFactory(claim=claim, source=report)
    claim = services.change_state(
        claim=claim, to_state=S.CONFIRMED, rationale="The letter.", author=fact_checker
    )
    services.approve(
        claim=services.submit_for_review(claim=claim, author=fact_checker), author=editor
    )
    titles = {row["title"] for row in api.get("/api/v1/sources/").json()["results"]}
    assert titles == {"The letter", "Report on the letter"}
    report_body = api.get(f"/api/v1/sources/{report.pk}/").json()
    assert report_body["derived_from"] == [letter.pk]


def test_every_object_carries_its_id(api_as, fact_checker, published):
    client = api_as(fact_checker)
    for path in ["claims", "articles", "sources", "outlets", "evidence"]:
        rows = client.get(f"/api/v1/{path}/").json()["results"]
        assert rows, path
        assert all(isinstance(row["id"], int) for row in rows), path


def test_the_seed_article_reads_as_an_external_tool_would(api, seeded):
    published = Claim.objects.filter(review_state=ReviewState.PUBLISHED).count()
    rows = api.get("/api/v1/claims/", {"page_size": 100}).json()["results"]
    assert len(rows) == published == 21
    authenticity = next(
        r for r in rows if "authenticity" in r["wording"] and "Reuters" in r["wording"]
    )
    assert authenticity["state"] == "partly_confirmed"
    independence = authenticity["independence"]

    # R1, R2 and R11 relay one Reuters report, R3 and R4 one AFP report: two lines, not five.
    # AFP's (U.S. and Iraqi sources) bears the claim out; Reuters' (an Iraqi source only) does
    # not, in its "both U.S. and Iraqi sources".
    def lines(side):
        return {line["source"]["title"]: len(line["relays"]) for line in independence[side]}

    assert lines("supporting_lines") == {"AFP's report on the letter": 2}
    assert lines("contradicting_lines") == {"Reuters' report on the letter": 3}
    assert independence["supporting_summary"] == (
        "1 line of reporting: AFP's report on the letter (2 relays)"
    )

    # The agencies' own sources carry it, not the letter they confirmed.
    origins = [o["title"] for o in independence["supporting_origins"]]
    assert origins == ["U.S. and Iraqi defence representatives (via AFP)"]
    assert [o["title"] for o in independence["contradicting_origins"]] == [
        "Reuters' Iraqi military source"
    ]
    # A suggestion that bears out "Partly confirmed" (one agency for, one against), not
    # "Confirmed".
    assert independence["suggested_state"] == "disputed"
    assert not independence["stronger_than_evidence"]
    # No origin is counted on both sides of any published claim.
    assert all(not r["independence"]["origins_on_both_sides"] for r in rows)


def _shape(serializer) -> dict:
    """The keys a serializer documents, nested."""
    from rest_framework import serializers as drf

    shape = {}
    for name, field in serializer.fields.items():
        child = field.child if isinstance(field, drf.ListSerializer) else field
        shape[name] = _shape(child) if isinstance(child, drf.Serializer) else None
    return shape


def _keys(data) -> dict:
    """The keys of a JSON object, nested (a list of objects by its first element)."""
    shape = {}
    for key, value in data.items():
        if isinstance(value, list) and value and isinstance(value[0], dict):
            value = value[0]
        shape[key] = _keys(value) if isinstance(value, dict) else None
    return shape


def test_the_claim_representation_is_exactly_what_the_schema_documents(api_as, fact_checker):
    """The list is built from plain rows for speed; the schema documents ClaimSerializer."""
    from claims.api.serializers import ClaimSerializer

    claim = ClaimFactory(claimant="Someone", assignee=fact_checker)
    # Every list in the block non-empty, so that its items' keys are compared too: the wire's
    # reprints for, a denial resting on the wire and its own speaker against (the wire on both
    # sides), a statement and its echo for (a line with a relay, a shared origin).
    wire, speaker = SourceFactory(title="Wire"), SourceFactory(title="Speaker")
    for n in range(2):
        reprint = SourceFactory(title=f"Reprint {n}")
        add_provenance(author=desk_author(), source=reprint, rests_on=wire)
        EvidenceFactory(claim=claim, source=reprint)
    statement, echo = SourceFactory(title="Statement"), SourceFactory(title="Echo")
    add_provenance(author=desk_author(), source=echo, rests_on=statement)
    EvidenceFactory(claim=claim, source=statement)
    EvidenceFactory(claim=claim, source=echo)
    denial = SourceFactory(title="Denial")
    add_provenance(author=desk_author(), source=denial, rests_on=wire)
    add_provenance(author=desk_author(), source=denial, rests_on=speaker)
    EvidenceFactory(claim=claim, source=denial, stance="contradicts")
    make_public(claim, "disputed")
    body = api_as(fact_checker).get(f"/api/v1/claims/{claim.pk}/").json()
    assert _keys(body) == _shape(ClaimSerializer())
