"""What the public reads (claims.public): no desk edit of a claim, its evidence, a source, its
provenance, an outlet or an article changes a byte a signed-out reader or an outsider's token
sees, by any path (the services, the API with a fact-checker's token, the admin), until an editor
approves; and a rebuild of the read model from the frozen versions changes nothing after any of
those writes."""

import datetime as dt

import orjson
import pytest
from django.test import override_settings
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import ApiToken
from claims import public, services
from claims.models import Article, Claim, Evidence, PublicCitation, PublicClaim
from claims.public.reads import ClaimLinks
from sources.models import Outlet, Source
from sources.services import add_provenance, save_outlet, save_source
from tests.factories import SourceFactory
from tests.pages.test_article_page import marks_of

SEED_SLUG = "washington-failed-to-brief-anti-isis-partners-iraq-exit-plan"


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def seeded(db, load_seed_copy):
    load_seed_copy()
    # The copy gives its rows new creation dates (auto_now_add): the read model follows them.
    public.rebuild()
    assert public.differences() == []
    return Article.objects.get(slug=SEED_SLUG)


def token_client(user) -> APIClient:
    _, key = ApiToken.objects.create_key(user=user, name="test client")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def cited(article) -> tuple[Claim, Source]:
    """A verdict in force and a source with an outlet that it cites."""
    for citation in PublicCitation.objects.order_by("claim_id", "source_id"):
        source = Source.objects.get(pk=citation.source_id)
        evidence = Evidence.objects.filter(claim_id=citation.claim_id, source=source).first()
        if source.outlet_id and evidence is not None:
            return Claim.objects.get(pk=citation.claim_id), source
    raise AssertionError("the seed cites no source with an outlet")


def public_bytes(readers, claim: Claim, source: Source, slug: str) -> dict:
    """Every public page and anonymous answer that shows the claim, the source or the article,
    byte for byte, for each reader (a signed-out client, an outsider's token)."""
    urls = [
        "/",
        f"/?outlet={source.outlet_id}",
        f"/articles/{slug}/",
        f"/claims/{claim.pk}/",
        "/api/v1/claims/?page_size=500",
        "/api/v1/claims/?ordering=updated_at&page_size=2",
        "/api/v1/claims/?ordering=-updated_at&page_size=500",
        f"/api/v1/claims/?outlet={claim.article.outlet_id}&page_size=500",
        "/api/v1/claims/?updated_since=2000-01-01T00:00:00Z&page_size=500",
        f"/api/v1/claims/{claim.pk}/",
        f"/api/v1/claims/{claim.pk}/claimreview/",
        "/api/v1/claimreview/",
        "/api/v1/articles/",
        f"/api/v1/articles/?outlet={claim.article.outlet_id}",
        f"/api/v1/articles/{claim.article_id}/",
        "/api/v1/sources/?page_size=500",
        f"/api/v1/sources/{source.pk}/",
        f"/api/v1/sources/?outlet={source.outlet_id}",
        "/api/v1/outlets/?page_size=500",
        f"/api/v1/outlets/{source.outlet_id}/",
    ]
    seen = {}
    for name, reader in readers.items():
        for url in urls:
            response = reader.get(url)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            seen[name, url] = (response.status_code, response.get("ETag"), body)
    return seen


# -- the edits: each thing the public can see, by each path -----------------------------------------


def _claim_wording(ctx):
    services.edit_claim(claim=ctx["claim"], author=ctx["fc"], wording="Reworded by the desk.")


def _claim_state(ctx):
    to_state = "refuted" if ctx["claim"].state != "refuted" else "disputed"
    services.change_state(
        claim=ctx["claim"], to_state=to_state, rationale="New doubt.", author=ctx["fc"]
    )


def _evidence_added(ctx):
    services.add_evidence(
        claim=ctx["claim"], source=SourceFactory(), stance="contradicts", author=ctx["fc"]
    )


def _evidence_changed(ctx):
    evidence = Evidence.objects.get(claim=ctx["claim"], source=ctx["source"])
    evidence.excerpt = "A different excerpt."
    services.change_evidence(evidence=evidence, author=ctx["fc"])


def _source_field(field, value):
    def edit(ctx):
        source = Source.objects.get(pk=ctx["source"].pk)
        setattr(source, field, value(source) if callable(value) else value)
        save_source(source=source, author=ctx["fc"])

    return edit


def _provenance(ctx):
    add_provenance(source=ctx["source"], rests_on=SourceFactory(), author=ctx["fc"])


def _outlet_name(ctx):
    outlet = Outlet.objects.get(pk=ctx["source"].outlet_id)
    outlet.name = "Renamed by the desk"
    save_outlet(outlet=outlet, author=ctx["fc"])


def _article_field(field, value):
    def edit(ctx):
        article = Article.objects.get(pk=ctx["article"].pk)
        setattr(article, field, value(article) if callable(value) else value)
        services.save_article(article=article, author=ctx["fc"])

    return edit


def _api_patch(path, body):
    def edit(ctx):
        client = token_client(ctx["fc"])
        url = path(ctx)
        tag = client.get(url)["ETag"]
        response = client.patch(url, body, format="json", HTTP_IF_MATCH=tag)
        assert response.status_code == 200, response.content

    return edit


def _admin_outlet(ctx):
    ctx["admin_client"].force_login(ctx["admin"])
    outlet = Outlet.objects.get(pk=ctx["source"].outlet_id)
    url = reverse("admin:sources_outlet_change", args=[outlet.pk])
    response = ctx["admin_client"].post(
        url, {"name": "Renamed in the admin", "kind": outlet.kind, "homepage": outlet.homepage}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Outlet.objects.get(pk=outlet.pk).name == "Renamed in the admin"


EDITS = {
    "claim wording (service)": _claim_wording,
    "claim state (service)": _claim_state,
    "evidence added (service)": _evidence_added,
    "evidence changed (service)": _evidence_changed,
    "source title": _source_field("title", "Retitled by the desk"),
    "source kind": _source_field(
        "kind", lambda s: "document" if s.kind != "document" else "dataset"
    ),
    "source outlet": _source_field(
        "outlet", lambda s: Outlet.objects.exclude(pk=s.outlet_id).first()
    ),
    "source author": _source_field("author", "Someone else"),
    "source url": _source_field("url", "https://example.org/any-link"),
    "source archived url": _source_field("archived_url", "https://example.org/archive"),
    "source date": _source_field("published_on", dt.date(2001, 2, 3)),
    "source record": _source_field("on_record", lambda s: not s.on_record),
    "source notes": _source_field("notes", "Desk notes, never public."),
    "source access date": _source_field("accessed_on", dt.date(2026, 1, 2)),
    "provenance": _provenance,
    "outlet name (service)": _outlet_name,
    "article headline": _article_field("headline", "A headline the desk is trying"),
    "article text": _article_field("text", lambda a: "An editor's note. " + a.text),
    "article slug": _article_field("slug", "a-new-address"),
    "source title (API)": _api_patch(
        lambda ctx: f"/api/v1/sources/{ctx['source'].pk}/", {"title": "Retitled over the API"}
    ),
    "outlet name (API)": _api_patch(
        lambda ctx: f"/api/v1/outlets/{ctx['source'].outlet_id}/", {"name": "Renamed over the API"}
    ),
    "article slug (API)": _api_patch(
        lambda ctx: f"/api/v1/articles/{ctx['article'].pk}/", {"slug": "moved-over-the-api"}
    ),
    "outlet name (admin)": _admin_outlet,
}


@pytest.mark.parametrize("edit", EDITS.values(), ids=EDITS.keys())
def test_no_desk_edit_reaches_the_public_until_an_editor_approves(
    seeded, fact_checker, outsider, admin_user, client, edit
):
    claim, source = cited(seeded)
    readers = {"signed out": client, "outsider's token": token_client(outsider)}
    before = public_bytes(readers, claim, source, SEED_SLUG)
    assert all(status == 200 for status, _, _ in before.values())
    from django.test import Client

    edit(
        {
            "claim": claim,
            "source": source,
            "article": seeded,
            "fc": fact_checker,
            "admin": admin_user,
            "admin_client": Client(),
        }
    )
    after = public_bytes(readers, claim, source, SEED_SLUG)
    changed = [key for key in before if before[key] != after[key]]
    assert changed == []
    # The read model is what a rebuild from the frozen versions makes: nothing to change.
    assert public.differences() == []


def test_an_approval_publishes_the_change_and_a_rebuild_changes_nothing(
    seeded, fact_checker, editor, client
):
    claim, source = cited(seeded)
    save_source(source=Source.objects.get(pk=source.pk), author=fact_checker)
    source = Source.objects.get(pk=source.pk)
    source.title = "Retitled by the desk"
    save_source(source=source, author=fact_checker)
    changed = services.edit_claim(claim=claim, author=fact_checker, wording="Reworded by the desk.")
    assert "Reworded by the desk." not in client.get(f"/claims/{claim.pk}/").text
    if changed.review_state != "in_review":
        changed = services.submit_for_review(claim=changed, author=fact_checker)
    services.approve(claim=changed, author=editor, correction="The wording is clearer.")
    page = client.get(f"/claims/{claim.pk}/").text
    assert "Reworded by the desk." in page
    assert "Retitled by the desk" in page  # its sources as they stood at this approval
    data = client.get(f"/api/v1/claims/{claim.pk}/").json()
    assert data["wording"] == "Reworded by the desk."
    assert public.differences() == []
    # Another claim citing the source keeps the copy its own approval froze.
    others = PublicClaim.objects.filter(in_force=True).exclude(pk=claim.pk)
    for other in others:
        assert "Retitled by the desk" not in other.api


def test_an_approved_slug_redirects_from_the_old_address(seeded, fact_checker, editor, client):
    article = Article.objects.get(pk=seeded.pk)
    article.slug = "a-new-address"
    services.save_article(article=article, author=fact_checker)
    assert client.get(f"/articles/{SEED_SLUG}/").status_code == 200
    assert client.get("/articles/a-new-address/").status_code == 404
    services.publish_article(article=article, author=editor)
    response = client.get(f"/articles/{SEED_SLUG}/")
    assert response.status_code == 301
    assert response["Location"] == "/articles/a-new-address/"
    assert client.get("/articles/a-new-address/").status_code == 200
    assert public.differences() == []


def test_public_offsets_are_the_page_marks_after_an_approved_text_edit(
    seeded, fact_checker, editor, client
):
    article = Article.objects.get(pk=seeded.pk)
    article.text = "An editor's note, added later. " + article.text
    services.save_article(article=article, author=fact_checker)
    services.publish_article(article=article, author=editor)
    marks = marks_of(client.get(f"/articles/{SEED_SLUG}/").text)
    text = client.get(f"/api/v1/articles/{seeded.pk}/").json()["text"]
    assert text.startswith("An editor's note, added later. ")
    rows = client.get("/api/v1/claims/", {"page_size": 500}).json()["results"]
    for row in rows:
        if row["publication"]["withdrawn"]:
            continue
        assert row["anchor_intact"] is True
        assert text[row["quote_start"] : row["quote_end"]] == row["quote"]
        assert str(row["id"]) in marks.first
        assert marks.text[str(row["id"])].startswith(row["quote"][:10])


def test_anonymous_filters_and_ordering_read_the_public_copy(seeded, fact_checker, api):
    claim, _source = cited(seeded)
    other = Outlet.objects.exclude(pk=seeded.outlet_id).first()
    article = Article.objects.get(pk=seeded.pk)
    published_outlet = article.outlet_id
    article.outlet = other
    services.save_article(article=article, author=fact_checker)
    assert api.get("/api/v1/articles/", {"outlet": other.pk}).json()["results"] == []
    assert len(api.get("/api/v1/articles/", {"outlet": published_outlet}).json()["results"]) == 1
    assert api.get("/api/v1/claims/", {"outlet": other.pk}).json()["results"] == []
    since = dt.datetime.now(dt.UTC).isoformat()
    services.edit_claim(claim=claim, author=fact_checker, wording="Desk work in progress.")
    assert api.get("/api/v1/claims/", {"updated_since": since}).json()["results"] == []
    assert api.get("/api/v1/articles/", {"updated_since": since}).json()["results"] == []
    for ordering in ("updated_at", "-updated_at", "created_at", "id"):
        response = api.get("/api/v1/claims/", {"ordering": ordering, "page_size": 2})
        assert response.status_code == 200
        following = api.get(response.json()["next"])
        assert following.status_code == 200
    sources = api.get("/api/v1/sources/", {"page_size": 500}).json()["results"]
    assert sources
    assert all("notes" not in s and "accessed_on" not in s for s in sources)


def test_the_links_carry_the_readers_address(seeded, api):
    data = api.get("/api/v1/claims/", {"page_size": 1}).json()["results"][0]
    assert data["links"] == {
        "status_page": f"http://testserver/claims/{data['id']}/",
        "admin": f"http://testserver/admin/claims/claim/{data['id']}/change/",
        "history": f"http://testserver/api/v1/claims/{data['id']}/history/",
        "claimreview": f"http://testserver/api/v1/claims/{data['id']}/claimreview/",
    }
    assert ClaimLinks(root="")(1, in_force=False).endswith(b'"claimreview":null}')


@override_settings(ALLOWED_HOSTS=["999999999.example.org"])
def test_the_links_are_right_when_the_readers_address_holds_the_templates_marker(seeded, api):
    data = api.get("/api/v1/claims/", {"page_size": 1}, HTTP_HOST="999999999.example.org").json()[
        "results"
    ][0]
    root = "http://999999999.example.org"
    assert data["links"]["status_page"] == f"{root}/claims/{data['id']}/"
    assert data["links"]["claimreview"] == f"{root}/api/v1/claims/{data['id']}/claimreview/"
    feed = api.get("/api/v1/claimreview/", HTTP_HOST="999999999.example.org")
    reviews = orjson.loads(b"".join(feed.streaming_content))["dataFeedElement"]
    assert reviews
    assert all(r["url"] == f"{root}/claims/{r['url'].split('/')[-2]}/" for r in reviews)
    assert all(r["@id"] == r["url"] + "#claimreview" for r in reviews)
    ids = {int(r["url"].split("/")[-2]) for r in reviews}
    assert ids == set(
        PublicClaim.objects.exclude(claimreview="")
        .filter(in_force=True)
        .values_list("pk", flat=True)
    )


# -- the admin's inline, a bulk action and a command: the public keeps its bytes until an editor
# approves, and reads the change once one has -------------------------------------------------------


def _inline_form(claim: Claim, **changes) -> dict:
    """The claim's admin change form as the page posts it back: its fields and every piece of
    evidence in the inline, as they stand (what carries each and its own reporting included)."""
    claim.refresh_from_db()
    evidence = list(Evidence.objects.filter(claim=claim).order_by("pk"))
    data = {
        "article": claim.article_id, "wording": claim.wording, "quote": claim.quote,
        "occurrence": "", "quote_start": claim.quote_start, "quote_end": claim.quote_end,
        "claimant": claim.claimant, "about": claim.about, "state": claim.state,
        "rationale": claim.rationale, "change_note": "", "assignee": claim.assignee_id or "",
        "version": claim.version, "evidence-TOTAL_FORMS": str(len(evidence)),
        "evidence-INITIAL_FORMS": str(len(evidence)), "evidence-MIN_NUM_FORMS": "0",
        "evidence-MAX_NUM_FORMS": "1000",
    }  # fmt: skip
    for n, item in enumerate(evidence):
        data |= {
            f"evidence-{n}-id": item.pk,
            f"evidence-{n}-claim": claim.pk,
            f"evidence-{n}-source": item.source_id,
            f"evidence-{n}-stance": item.stance,
            f"evidence-{n}-excerpt": item.excerpt,
            f"evidence-{n}-note": item.note,
            f"evidence-{n}-carried_by": [o.pk for o in item.origins.all()],
        }
        if item.own_reporting:
            data[f"evidence-{n}-own_reporting"] = "on"
    return data | changes


def _by_admin_inline(ctx) -> str:
    """A fact-checker re-words a piece of evidence in the claim admin's inline and saves."""
    claim, client = ctx["claim"], ctx["desk_client"]
    data = _inline_form(claim)
    n = next(
        n for n in range(int(data["evidence-TOTAL_FORMS"]))
        if data[f"evidence-{n}-source"] == ctx["source"].pk
    )  # fmt: skip
    data[f"evidence-{n}-excerpt"] = "An excerpt re-worded in the admin's inline."
    response = client.post(reverse("admin:claims_claim_change", args=[claim.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    evidence = Evidence.objects.get(claim=claim, source=ctx["source"])
    assert evidence.excerpt == "An excerpt re-worded in the admin's inline."
    return "An excerpt re-worded in the admin&#x27;s inline."


def _by_bulk_action(ctx) -> str:
    """A fact-checker changes the claim's state with the changelist's bulk action."""
    from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME

    claim = ctx["claim"]
    to_state = "refuted" if claim.state != "refuted" else "disputed"
    response = ctx["desk_client"].post(
        reverse("admin:claims_claim_changelist"),
        {
            "action": "change_state_action",
            ACTION_CHECKBOX_NAME: [claim.pk],
            "apply": "1",
            "state": to_state,
            "rationale": "A rationale given in the bulk action.",
        },
        follow=True,
    )
    assert "Changed the state of 1 claim" in response.content.decode()
    return "A rationale given in the bulk action."


def _by_command(ctx) -> str:
    """A provenance link loaded around the services (a bulk import), then ``rebuild_provenance``
    puts the closure table right: the cited source now rests on a source the public has never
    been shown."""
    from io import StringIO

    from django.core.management import call_command

    from common.writes import writing_outside_services
    from sources.models import Provenance

    upstream = SourceFactory(title="A wire copy imported in bulk")
    with writing_outside_services():
        Provenance.objects.create(source=ctx["source"], rests_on=upstream)
    call_command("rebuild_provenance", stdout=StringIO())
    return "A wire copy imported in bulk"


PATHS = {
    "evidence (admin inline)": _by_admin_inline,
    "state and rationale (admin bulk action)": _by_bulk_action,
    "provenance (rebuild_provenance command)": _by_command,
}


@pytest.mark.parametrize("edit", PATHS.values(), ids=PATHS.keys())
def test_each_path_reaches_the_public_only_through_an_approval(
    seeded, fact_checker, editor, outsider, client, edit
):
    from django.test import Client

    claim, source = cited(seeded)
    readers = {"signed out": client, "outsider's token": token_client(outsider)}
    before = public_bytes(readers, claim, source, SEED_SLUG)
    desk_client = Client()
    desk_client.force_login(fact_checker)
    shown = edit({"claim": claim, "source": source, "fc": fact_checker, "desk_client": desk_client})
    after = public_bytes(readers, claim, source, SEED_SLUG)
    assert [key for key in before if before[key] != after[key]] == []
    assert public.differences() == []
    # The desk's page lists the change as a difference from the public version.
    desk_page = desk_client.get(f"/claims/{claim.pk}/").content.decode()
    assert 'href="#comparison"' in desk_page
    assert shown in desk_page

    # An editor approves: the public reads the change (and the read model is what a rebuild
    # makes of it).
    claim = Claim.objects.get(pk=claim.pk)
    if claim.review_state != "in_review":
        # Only the sources changed: the claim is sent to review again to approve it with them.
        claim = services.edit_claim(
            claim=claim, author=fact_checker, change_note="Its source's lineage is corrected.",
            reason="A wire copy it rests on was imported.", wording=claim.wording + " ",
        )  # fmt: skip
        if claim.review_state != "in_review":
            claim = services.submit_for_review(claim=claim, author=fact_checker)
    services.approve(
        claim=claim,
        author=editor,
        correction="The desk's change, approved.",
        override_reason="The desk weighed the evidence; its verdict stands.",
    )
    approved = public_bytes(readers, claim, source, SEED_SLUG)
    assert (
        approved[("signed out", f"/claims/{claim.pk}/")]
        != before[("signed out", f"/claims/{claim.pk}/")]
    )
    assert shown in approved[("signed out", f"/claims/{claim.pk}/")][2].decode()
    assert (
        approved[("outsider's token", f"/api/v1/claims/{claim.pk}/")]
        != (before[("outsider's token", f"/api/v1/claims/{claim.pk}/")])
    )
    assert public.differences() == []
