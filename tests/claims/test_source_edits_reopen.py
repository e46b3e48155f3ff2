"""A desk edit of a source that a published verdict shows puts that verdict back in review, so
that an editor can publish it (claims.services.review.reopen_for_source_edits): before, the
public kept the frozen copy for good, since only a claim in review can be approved and a source
edit reopened nothing. The public keeps its copy until the approval
(tests/claims/test_public_read_model.py proves it byte for byte)."""

import pytest

from claims import public, services
from claims.models import Claim, ReviewAction, ReviewEvent
from notifications.models import Notification, NotificationKind
from sources.models import Outlet, Source
from sources.services import add_provenance, save_outlet, save_source
from tests.claims.test_public_read_model import SEED_SLUG, cited, seeded  # noqa: F401
from tests.factories import SourceFactory


def _retitle(source, author):
    source.title = "Retitled by the desk"
    save_source(source=source, author=author)
    return "title"


def _readdress(source, author):
    source.url = "https://example.org/the-corrected-address"
    save_source(source=source, author=author)
    return "web address"


def _rest_on_another(source, author):
    add_provenance(source=source, rests_on=SourceFactory(title="A wire copy"), author=author)
    return "rests on"


def _rename_outlet(source, author):
    outlet = Outlet.objects.get(pk=source.outlet_id)
    outlet.name = "Renamed by the desk"
    save_outlet(outlet=outlet, author=author)
    return "outlet"


EDITS = {
    "title": _retitle,
    "web address": _readdress,
    "provenance": _rest_on_another,
    "outlet renamed": _rename_outlet,
}


@pytest.mark.parametrize("edit", EDITS.values(), ids=EDITS.keys())
def test_a_source_edit_reopens_the_published_verdicts_showing_it_and_an_approval_publishes_it(
    seeded,  # noqa: F811
    fact_checker,
    editor,
    client,
    edit,
):
    claim, source = cited(seeded)
    assert claim.review_state == "published"
    others = set(
        Claim.objects.filter(
            review_state="published", live_version__evidence__source_id=source.pk
        ).values_list("pk", flat=True)
    )
    version = claim.version
    label = edit(Source.objects.get(pk=source.pk), fact_checker)

    claim = Claim.objects.get(pk=claim.pk)
    assert claim.review_state == "in_review"
    assert claim.version == version + 1
    # (By action, not the newest id: the seed's copy keeps its rows' ids, which PostgreSQL's
    # sequences do not follow.)
    event = ReviewEvent.objects.get(claim=claim, action=ReviewAction.REOPEN)
    assert (event.from_review_state, event.to_review_state) == ("published", "in_review")
    assert event.author == fact_checker
    assert label in event.comment
    assert "The public keeps the approved copy" in event.comment
    assert Notification.objects.filter(
        recipient=editor, claim=claim, kind=NotificationKind.REVIEW_REQUESTED
    ).exists()
    # Every published verdict citing the source goes back, not only the first.
    assert all(c.review_state == "in_review" for c in Claim.objects.filter(pk__in=others)), others
    before = client.get(f"/claims/{claim.pk}/").content

    # The verdict and its reasons are as they were: the approval needs no correction note.
    services.approve(
        claim=claim,
        author=editor,
        override_reason="The desk weighed the evidence; its verdict stands.",
    )
    after = client.get(f"/claims/{claim.pk}/").content
    assert after != before
    assert public.differences() == []


def test_an_edit_the_public_does_not_read_reopens_nothing(seeded, fact_checker):  # noqa: F811
    claim, source = cited(seeded)
    source = Source.objects.get(pk=source.pk)
    source.notes = "Desk notes, never public."
    save_source(source=source, author=fact_checker)
    assert Claim.objects.get(pk=claim.pk).review_state == "published"
    assert not ReviewEvent.objects.filter(claim=claim, action=ReviewAction.REOPEN).exists()


def test_a_source_a_draft_cites_reopens_nothing_else(seeded, fact_checker):  # noqa: F811
    # A source no published verdict shows: the claim citing it is a draft and stays one (its
    # approval freezes the source as it then stands).
    claim = Claim.objects.filter(article=seeded, review_state="published").first()
    draft = services.create_claim(
        article=seeded,
        author=fact_checker,
        wording="A draft claim for this test.",
        quote=" ".join(seeded.text.split()[3:9]),
    )
    source = SourceFactory()
    services.add_evidence(claim=draft, source=source, stance="supports", author=fact_checker)
    published_before = set(
        Claim.objects.filter(review_state="published").values_list("pk", flat=True)
    )
    _retitle(Source.objects.get(pk=source.pk), fact_checker)
    assert Claim.objects.get(pk=draft.pk).review_state == "draft"
    assert set(Claim.objects.filter(review_state="published").values_list("pk", flat=True)) == (
        published_before
    )
    assert claim.pk in published_before


def test_an_outlet_of_many_sources_is_looked_for_in_pieces(seeded, fact_checker, monkeypatch):  # noqa: F811
    from claims.services import review

    claim, source = cited(seeded)
    for _ in range(5):
        SourceFactory(outlet_id=source.outlet_id)
    # Looked for two sources at a time: the cited one is found whichever piece holds it.
    monkeypatch.setattr(review, "KEYS_A_QUERY", 2)
    _rename_outlet(Source.objects.get(pk=source.pk), fact_checker)
    assert Claim.objects.get(pk=claim.pk).review_state == "in_review"
