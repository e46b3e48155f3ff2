"""Each claim's independence block is stored beside it (claims.independence), and every write it
depends on keeps it true: the claim's state and what it is about, its evidence and the origins the
evidence names, its approval and withdrawal, and the titles, kinds and provenance of the sources
it cites, however far up their lineages. After each, the API reads the new block and
``refresh_independence --check`` finds nothing out of step."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims import services
from claims.models import ClaimAbout, StoredIndependence
from claims.models import ConfirmationState as S
from sources.models import Provenance, SourceKind
from sources.services import add_provenance, remove_provenance, save_source
from tests.factories import ArticleFactory, SourceFactory

pytestmark = pytest.mark.django_db


def check_fresh():
    out = StringIO()
    call_command("refresh_independence", "--check", stdout=out)
    assert "checked" in out.getvalue()


def block(client, claim) -> dict:
    response = client.get(f"/api/v1/claims/{claim.pk}/")
    assert response.status_code == 200, response.content[:500]
    return response.json()["independence"]


def heads(independence: dict, side: str = "supporting") -> list[tuple[str, list[str]]]:
    return [(line["source"]["title"], line["relays"]) for line in independence[f"{side}_lines"]]


@pytest.fixture
def wire(fact_checker):
    """A letter, Reuters' report on it, and two relays of Reuters' report."""
    letter = SourceFactory(title="Leaked letter", kind=SourceKind.DOCUMENT, outlet=None)
    reuters = SourceFactory(title="Reuters report")
    relays = [SourceFactory(title=f"Relay {n}") for n in (1, 2)]
    add_provenance(author=fact_checker, source=reuters, rests_on=letter)
    for relay in relays:
        add_provenance(author=fact_checker, source=relay, rests_on=reuters)
    return letter, reuters, relays


@pytest.fixture
def claim(fact_checker):
    return services.create_claim(
        article=ArticleFactory(),
        wording="The bridge opens in May.",
        quote="the bridge would open in May",
        author=fact_checker,
    )


def test_the_seed_stores_every_block_and_the_api_reads_them(api, api_as, editor, load_seed_copy):
    load_seed_copy()
    check_fresh()
    from claims.models import Claim

    assert StoredIndependence.objects.count() == Claim.objects.count() == 23
    reuters_and_afp = Claim.objects.get(wording__contains="Reuters and AFP")
    desk = block(api_as(editor), reuters_and_afp)
    assert (
        desk["supporting_summary"] == "1 line of reporting: AFP's report on the letter (2 relays)"
    )
    assert desk["contradicting_summary"] == (
        "1 line of reporting: Reuters' report on the letter (3 relays)"
    )
    assert block(api, reuters_and_afp) == desk  # published as it stands


def test_claim_writes_keep_the_block(api_as, fact_checker, wire, claim):
    _, _, (relay1, relay2) = wire
    desk = api_as(fact_checker)
    assert block(desk, claim)["suggested_state"] == S.UNVERIFIED
    check_fresh()

    services.add_evidence(claim=claim, source=relay1, stance="supports", author=fact_checker)
    services.add_evidence(claim=claim, source=relay2, stance="supports", author=fact_checker)
    assert heads(block(desk, claim)) == [("Reuters report", ["Relay 1", "Relay 2"])]
    check_fresh()

    # What the claim is about changes the rule: a saying is borne out by the record of it.
    services.edit_claim(claim=claim, author=fact_checker, about=ClaimAbout.SAID)
    assert block(desk, claim)["suggested_state"] == S.CONFIRMED
    check_fresh()

    # A state stronger than the evidence is warned about; the block follows the state.
    services.edit_claim(claim=claim, author=fact_checker, about=ClaimAbout.EVENT)
    services.change_state(
        claim=claim, to_state=S.CONFIRMED, rationale="Two reports.", author=fact_checker
    )
    assert block(desk, claim)["stronger_than_evidence"] is True
    check_fresh()

    # Narrowing the origins the evidence names, then removing it.
    other = SourceFactory(title="Anonymous official", on_record=False, outlet=None)
    add_provenance(author=fact_checker, source=relay1, rests_on=other)
    evidence = claim.evidence.get(source=relay1)
    services.change_evidence(evidence=evidence, origins=[other], author=fact_checker)
    assert block(desk, claim)["supporting_origins"][0]["title"] == "Leaked letter"
    assert {o["title"] for o in block(desk, claim)["supporting_origins"]} == {
        "Leaked letter",
        "Anonymous official",
    }
    check_fresh()
    services.remove_evidence(evidence=claim.evidence.get(source=relay2), author=fact_checker)
    assert [o["title"] for o in block(desk, claim)["supporting_origins"]] == ["Anonymous official"]
    check_fresh()


def test_source_changes_reach_every_claim_resting_on_them(api, api_as, fact_checker, wire, claim):
    """A source's title, its kind and its provenance change the block of every claim citing it
    or a source resting on it on the desk; the public keeps the block as approved (claims.public)
    until an editor approves again."""
    letter, reuters, (relay1, relay2) = wire
    services.add_evidence(claim=claim, source=relay1, stance="supports", author=fact_checker)
    services.add_evidence(claim=claim, source=relay2, stance="supports", author=fact_checker)
    from tests.factories import make_public

    make_public(claim, S.PARTLY_CONFIRMED, rationale="One report.")
    desk = api_as(fact_checker)

    approved = block(api, claim)
    reuters.title = "Reuters' report on the letter"
    save_source(source=reuters, author=fact_checker)
    assert heads(block(desk, claim)) == [("Reuters' report on the letter", ["Relay 1", "Relay 2"])]
    assert block(api, claim) == approved
    check_fresh()

    # The letter, two levels up, turns out to be a report of remarks: an origin no more.
    remarks = SourceFactory(
        title="The minister's remarks", kind=SourceKind.PRESS_BRIEFING, outlet=None
    )
    add_provenance(author=fact_checker, source=letter, rests_on=remarks)
    origins = [o["title"] for o in block(desk, claim)["supporting_origins"]]
    assert origins == ["The minister's remarks"]
    assert block(api, claim) == approved
    check_fresh()

    remove_provenance(
        link=Provenance.objects.get(source=letter, rests_on=remarks), author=fact_checker
    )
    assert [o["title"] for o in block(desk, claim)["supporting_origins"]] == ["Leaked letter"]
    check_fresh()

    # A relay that no longer rests on Reuters is a line of its own.
    save_source(source=relay2, derived_from=[], author=fact_checker)
    assert sorted(heads(block(desk, claim))) == [("Relay 1", []), ("Relay 2", [])]
    check_fresh()

    # Off the record: the letter's kind and record are part of what the rules weigh.
    letter.on_record = False
    save_source(source=letter, author=fact_checker)
    assert block(desk, claim)["supporting_origins"][0]["on_record"] is False
    check_fresh()


def test_the_admin_source_form_reaches_the_block(
    client_for, admin_user, api_as, fact_checker, wire, claim
):
    letter, reuters, relays = wire
    for relay in relays:
        services.add_evidence(claim=claim, source=relay, stance="supports", author=fact_checker)
    response = client_for(admin_user).post(
        f"/admin/sources/source/{reuters.pk}/change/",
        {
            "title": "Reuters (renamed in the admin)", "kind": reuters.kind, "on_record": "on",
            "author": "", "url": "", "archived_url": "", "published_on": "", "accessed_on": "",
            "notes": "",
            "provenance-TOTAL_FORMS": "1", "provenance-INITIAL_FORMS": "1",
            "provenance-MIN_NUM_FORMS": "0", "provenance-MAX_NUM_FORMS": "1000",
            "provenance-0-id": str(Provenance.objects.get(source=reuters).pk),
            "provenance-0-source": str(reuters.pk), "provenance-0-rests_on": str(letter.pk),
            "provenance-0-note": "",
        },
    )  # fmt: skip
    assert response.status_code == 302, response.content[:2000]
    assert heads(block(api_as(fact_checker), claim)) == [
        ("Reuters (renamed in the admin)", ["Relay 1", "Relay 2"])
    ]
    check_fresh()


def test_the_public_block_follows_the_live_version(api, api_as, fact_checker, editor, wire, claim):
    _, _, (relay1, relay2) = wire
    services.add_evidence(claim=claim, source=relay1, stance="supports", author=fact_checker)
    services.change_state(
        claim=claim, to_state=S.PARTLY_CONFIRMED, rationale="One report.", author=fact_checker
    )
    services.submit_for_review(claim=claim, author=fact_checker)
    services.approve(claim=claim, author=editor)
    assert heads(block(api, claim)) == [("Relay 1", [])]

    # The desk adds evidence: its block changes at once, the public's when an editor approves.
    services.add_evidence(claim=claim, source=relay2, stance="supports", author=fact_checker)
    assert heads(block(api_as(fact_checker), claim)) == [("Reuters report", ["Relay 1", "Relay 2"])]
    assert heads(block(api, claim)) == [("Relay 1", [])]
    check_fresh()
    services.approve(claim=claim, author=editor, correction="A second relay of the report.")
    assert heads(block(api, claim)) == [("Reuters report", ["Relay 1", "Relay 2"])]
    check_fresh()

    services.withdraw(claim=claim, author=editor, reason="Under review again.")
    check_fresh()


def test_a_claim_without_a_stored_block_is_assessed_when_read(
    api_as, fact_checker, wire, claim, django_assert_num_queries
):
    """Rows loaded around the services (a bulk import, an upgrade) have no block stored yet:
    the API computes the same block, with two more queries, and `--missing` stores it."""
    _, _, (relay1, relay2) = wire
    services.add_evidence(claim=claim, source=relay1, stance="supports", author=fact_checker)
    services.add_evidence(claim=claim, source=relay2, stance="contradicts", author=fact_checker)
    desk = api_as(fact_checker)
    with CaptureQueriesContext(connection) as with_block:
        stored = block(desk, claim)
    StoredIndependence.objects.filter(claim=claim).delete()
    with CaptureQueriesContext(connection) as without_block:
        assert block(desk, claim) == stored
    # The lineages of the cited sources (no evidence here names its origins: no links).
    assert len(without_block) == len(with_block) + 1

    out = StringIO()
    call_command("refresh_independence", "--missing", stdout=out)
    assert "for 1 claim(s) that had none" in out.getvalue()
    assert block(desk, claim) == stored
    check_fresh()


def test_the_check_reports_a_block_out_of_step(fact_checker, wire, claim):
    _, _, (relay1, _) = wire
    services.add_evidence(claim=claim, source=relay1, stance="supports", author=fact_checker)
    StoredIndependence.objects.filter(claim=claim).update(desk="{}")
    with pytest.raises(CommandError, match=f"1 claim\\(s\\) .* \\(#{claim.pk}\\)"):
        call_command("refresh_independence", "--check")
    assert StoredIndependence.objects.get(claim=claim).desk == "{}"  # the check changes nothing
    call_command("refresh_independence", stdout=StringIO())
    check_fresh()


def test_rebuilding_the_closure_table_refreshes_the_blocks_it_changes(
    api_as, fact_checker, wire, claim
):
    """A closure table damaged around the services (a restore, a bulk load) gave a wrong block;
    `rebuild_provenance` puts the rows right and the blocks that read them with them."""
    from claims import independence
    from sources.models import SourceAncestor

    letter, _, (relay1, relay2) = wire
    for relay in (relay1, relay2):
        services.add_evidence(claim=claim, source=relay, stance="supports", author=fact_checker)
    SourceAncestor.objects.filter(ancestor=letter).exclude(source=letter).delete()
    independence.refresh([claim])
    desk = api_as(fact_checker)
    assert "Leaked letter" not in [o["title"] for o in block(desk, claim)["supporting_origins"]]

    call_command("rebuild_provenance", stdout=StringIO())
    assert [o["title"] for o in block(desk, claim)["supporting_origins"]] == ["Leaked letter"]
    check_fresh()


def test_own_reporting_reaches_the_desk_block_then_the_public_one(
    api, api_as, fact_checker, editor, wire, claim
):
    """Evidence that names its source's own reporting counts that report as an origin of its own
    (the desk's block at once; the public's once approved, frozen with the version), and the
    desk's API says what differs from the public copy."""
    letter, reuters, _ = wire
    desk = api_as(fact_checker)
    created = desk.post(
        "/api/v1/evidence/",
        {"claim": claim.pk, "source": reuters.pk, "stance": "supports", "own_reporting": True},
        format="json",
    )
    assert created.status_code == 201, created.json()
    assert created.json()["own_reporting"] is True
    assert created.json()["origins"] == []
    assert [o["title"] for o in block(desk, claim)["supporting_origins"]] == ["Reuters report"]
    check_fresh()

    services.change_state(
        claim=claim, to_state=S.PARTLY_CONFIRMED, rationale="Reuters saw it.", author=fact_checker
    )
    services.submit_for_review(claim=claim, author=fact_checker)
    services.approve(claim=claim, author=editor)
    public = api.get(f"/api/v1/claims/{claim.pk}/").json()
    assert public["evidence"][0]["own_reporting"] is True
    assert [o["title"] for o in public["independence"]["supporting_origins"]] == ["Reuters report"]
    frozen = api.get(f"/api/v1/evidence/{created.json()['id']}/").json()
    assert frozen["own_reporting"] is True

    # Beside the letter it rests on: the desk's block changes, the public's waits for approval.
    url = f"/api/v1/evidence/{created.json()['id']}/"
    changed = desk.patch(
        url, {"origins": [letter.pk]}, format="json", HTTP_IF_MATCH=desk.get(url)["ETag"]
    )
    assert changed.status_code == 200, changed.json()
    titles = {o["title"] for o in block(desk, claim)["supporting_origins"]}
    assert titles == {"Leaked letter", "Reuters report"}
    assert [o["title"] for o in block(api, claim)["supporting_origins"]] == ["Reuters report"]
    assert "evidence" in desk.get(f"/api/v1/claims/{claim.pk}/").json()["publication"]["differs"]
    check_fresh()

    # Its own reporting no longer named: all the origins it rests on carry it (the letter).
    changed = desk.patch(
        url,
        {"own_reporting": False, "origins": []},
        format="json",
        HTTP_IF_MATCH=desk.get(url)["ETag"],
    )
    assert changed.status_code == 200, changed.json()
    assert [o["title"] for o in block(desk, claim)["supporting_origins"]] == ["Leaked letter"]
    check_fresh()
