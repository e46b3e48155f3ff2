""" "Same claim as": two desk claims linked once for both, a claim linked to another desk's
fact-check, and a linked verdict cited as evidence with where it came from (the services, then
the admin through the test client)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from claims.models import Evidence, Stance
from common.writes import writing_outside_services
from matching import services
from matching.models import ClaimLink, FactCheckLink
from sources.models import Source, SourceKind
from tests.factories import ArticleFactory, ClaimFactory, OutletFactory, make_public
from tests.matching.test_import import PAGE

pytestmark = pytest.mark.django_db

TEXT = "Officials said the harbour ferry carried two million passengers last year."
QUOTE = "the harbour ferry carried two million passengers last year"


def _claim(headline="Ferry figures questioned", **article):
    return ClaimFactory(
        article=ArticleFactory(headline=headline, text=TEXT, **article),
        quote=QUOTE,
        wording="The harbour ferry carried two million passengers last year.",
    )


def _ferry_check(author):
    checks = services.import_page(
        content=PAGE, url="https://factcheck.example.org/ferry", author=author
    )
    return next(c for c in checks if "ferry" in c.claim_reviewed)


def test_two_claims_are_linked_once_whichever_is_linked_from(fact_checker):
    first, second = _claim(), _claim("Ferry again")
    link = services.link_same_claim(claim=second, other=first, author=fact_checker)
    assert (link.claim_a_id, link.claim_b_id) == (first.pk, second.pk)
    assert link.created_by == fact_checker
    again = services.link_same_claim(claim=first, other=second, author=fact_checker)
    assert again.pk == link.pk
    assert ClaimLink.objects.count() == 1
    with pytest.raises(ValidationError, match="cannot be linked to itself"):
        services.link_same_claim(claim=first, other=first, author=fact_checker)


def test_the_database_refuses_a_self_link_and_a_pair_in_the_other_order(fact_checker):
    first, second = _claim(), _claim("Ferry again")
    with writing_outside_services():
        ClaimLink.objects.create(claim_a=first, claim_b=second, created_by=fact_checker)
        for a, b in ((second, first), (first, first), (first, second)):
            with pytest.raises(IntegrityError), transaction.atomic():
                ClaimLink.objects.create(claim_a=a, claim_b=b, created_by=fact_checker)


def test_only_the_desk_links_and_unlinks(fact_checker, outsider):
    first, second = _claim(), _claim("Ferry again")
    with pytest.raises(PermissionDenied):
        services.link_same_claim(claim=first, other=second, author=outsider)
    link = services.link_same_claim(claim=first, other=second, author=fact_checker)
    with pytest.raises(PermissionDenied):
        services.unlink_same_claim(link=link, author=outsider)
    services.unlink_same_claim(link=link, author=fact_checker)
    assert not ClaimLink.objects.exists()


def test_a_linked_fact_check_is_cited_with_its_provenance(fact_checker):
    claim = _claim()
    check = _ferry_check(fact_checker)
    with pytest.raises(ValidationError, match="Link the fact-check"):
        services.cite_fact_check(claim=claim, fact_check=check, author=fact_checker)
    services.link_fact_check(claim=claim, fact_check=check, author=fact_checker)
    version = claim.version
    evidence = services.cite_fact_check(
        claim=claim, fact_check=check, author=fact_checker, expected_version=version
    )
    source = evidence.source
    assert source.kind == SourceKind.FACT_CHECK
    assert source.url == "https://factcheck.example.org/ferry"
    assert source.outlet.name == "Example Checks"
    assert source.title == "Checked by Example Checks on 4 March 2026: Mostly false"
    assert str(source.published_on) == "2026-03-04"
    assert evidence.stance == Stance.CONTEXT
    assert "checked by Example Checks on 4 March 2026: Mostly false" in evidence.note
    assert "imported from a saved html page" in evidence.note
    assert check.sha256 in evidence.note
    claim.refresh_from_db()
    assert claim.version == version + 1
    # Cited from a second claim, the same source is found again, not doubled.
    other = _claim("Ferry again")
    services.link_fact_check(claim=other, fact_check=check, author=fact_checker)
    assert (
        services.cite_fact_check(claim=other, fact_check=check, author=fact_checker).source
        == source
    )
    assert Source.objects.filter(kind=SourceKind.FACT_CHECK).count() == 1


def test_a_linked_desk_verdict_is_cited_through_its_article(fact_checker):
    outlet = OutletFactory(name="Harbour Herald")
    earlier = _claim(outlet=outlet, url="https://herald.example.com/ferry")
    claim = _claim("Ferry again")
    services.link_same_claim(claim=claim, other=earlier, author=fact_checker)
    with pytest.raises(ValidationError, match="no verdict to cite"):
        services.cite_linked_claim(claim=claim, other=earlier, author=fact_checker)
    earlier = make_public(earlier, "refuted")
    evidence = services.cite_linked_claim(claim=claim, other=earlier, author=fact_checker)
    assert evidence.source.title == "Ferry figures questioned"
    assert evidence.source.url == "https://herald.example.com/ferry"
    assert evidence.source.outlet == outlet
    assert f"claim #{earlier.pk}" in evidence.note
    assert "refuted, published" in evidence.note
    with pytest.raises(ValidationError):  # the same source twice on one claim
        services.cite_linked_claim(claim=claim, other=earlier, author=fact_checker)
    assert Evidence.objects.filter(claim=claim).count() == 1


def test_the_admin_links_cites_and_removes(client_for, fact_checker):
    client = client_for(fact_checker)
    claim, other = _claim(), _claim("Ferry again")
    check = _ferry_check(fact_checker)
    same = f"/admin/claims/claim/{claim.pk}/same/"
    assert client.post(same, {"kind": "claim", "id": other.pk}).json()["linked"] is True
    assert client.post(same, {"kind": "external", "id": check.pk}).status_code == 200
    refused = client.post(same, {"kind": "claim", "id": claim.pk})
    assert refused.status_code == 400
    assert refused.json() == {"error": "A claim cannot be linked to itself."}
    assert client.post(same, {"kind": "claim", "id": "x"}).status_code == 400
    assert client.get(same).status_code == 405

    # Shown on both claims' pages; the similar box knows what is linked.
    page = client.get(f"/admin/claims/claim/{claim.pk}/change/").text
    assert f"Claim #{other.pk}:" in page
    assert "checked by Example Checks" in page
    assert f"Claim #{claim.pk}:" in client.get(f"/admin/claims/claim/{other.pk}/change/").text
    rows = client.get("/admin/claims/claim/similar/", {"text": QUOTE, "exclude": claim.pk}).json()
    assert {(r["kind"], r["linked"]) for r in rows["results"]} >= {
        ("claim", True),
        ("external", True),
    }

    claim.refresh_from_db()
    cited = client.post(
        f"/admin/claims/claim/{claim.pk}/same/cite/",
        {"kind": "external", "id": check.pk, "version": claim.version},
    )
    assert cited.status_code == 200
    assert cited.json()["version"] == claim.version + 1
    make_public(other, "refuted")
    stale = client.post(
        f"/admin/claims/claim/{claim.pk}/same/cite/",
        {"kind": "claim", "id": other.pk, "version": claim.version},
    )
    assert stale.status_code == 409
    assert "changed" in stale.json()["error"]
    assert Evidence.objects.get(claim=claim).source.kind == SourceKind.FACT_CHECK

    link = ClaimLink.objects.get()
    remove = f"/admin/claims/claim/{other.pk}/same/claim/{link.pk}/remove/"
    assert "will no longer be linked" in client.get(remove).text
    response = client.post(remove, follow=True)
    assert "No longer linked as the same claim" in response.text
    assert not ClaimLink.objects.exists()
    assert FactCheckLink.objects.count() == 1
    elsewhere = FactCheckLink.objects.get().pk
    assert (
        client.post(f"/admin/claims/claim/{other.pk}/same/external/{elsewhere}/remove/").status_code
        == 404
    )


def test_outsiders_neither_link_nor_cite(client_for, outsider):
    claim, other = _claim(), _claim("Ferry again")
    response = client_for(outsider).post(
        f"/admin/claims/claim/{claim.pk}/same/", {"kind": "claim", "id": other.pk}
    )
    assert response.status_code in (302, 403)
    assert not ClaimLink.objects.exists()
