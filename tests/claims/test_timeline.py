"""One timeline per claim in the admin, newest first, and the desk's internal discussion."""

import re

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from claims import services
from claims.models import ClaimComment, ConfirmationState
from tests.factories import ClaimFactory, SourceFactory

pytestmark = pytest.mark.django_db


def _timeline(html):
    section = html.split('id="timeline-heading"', 1)[1].split("</fieldset>", 1)[0]
    return [
        " ".join(re.sub(r"<[^>]+>", " ", item).split())
        for item in re.findall(r'<li class="desk-timeline__entry.*?</li>', section, re.S)
    ]


def test_the_timeline_tells_the_whole_story_newest_first(client_for, fact_checker, editor):
    claim = ClaimFactory()
    long_wording = "The minister promised the bridge " + "and its approaches " * 12 + "by May."
    services.edit_claim(
        claim=claim, author=fact_checker, wording=long_wording, reason="Closer to the text."
    )
    services.edit_claim(claim=claim, author=fact_checker, assignee=editor)
    source = SourceFactory(title="Ministry notice")
    services.add_evidence(
        claim=claim, source=source, stance="supports", author=fact_checker, excerpt="Opens in May."
    )
    services.change_state(
        claim=claim, to_state=ConfirmationState.CONFIRMED, rationale="Notice.", author=fact_checker
    )
    services.submit_for_review(claim=claim, author=fact_checker)
    services.add_comment(claim=claim, author=editor, body="Is there a second source?")
    article = claim.article
    article.text = "Update: " + article.text
    services.save_article(article=article, author=fact_checker)

    page = client_for(fact_checker).get(reverse("admin:claims_claim_change", args=[claim.pk]))
    entries = _timeline(page.content.decode())
    kinds = list(entries)
    assert "Anchor moved" in kinds[0]
    assert "Comment" in kinds[1]
    assert "eddie.editor" in kinds[1]
    assert "Is there a second source?" in kinds[1]
    joined = "\n".join(entries)
    assert "Sent to review" in joined
    assert "Unverified → Confirmed" in joined
    assert "Evidence added “Ministry notice”, supports. Excerpt: “Opens in May.”" in joined
    assert "Edited: assignee Assignee: nobody → eddie.editor" in joined
    assert "Edited: wording" in joined
    assert "Why: Closer to the text." in joined
    assert "…" in joined  # long values cut at a word boundary
    assert "approache…" not in joined
    assert "draft -> in_review" not in joined
    assert "None" not in joined


def test_comments_are_for_the_desk_only(client_for, client, fact_checker, outsider):
    claim = ClaimFactory()
    url = reverse("admin:claims_claim_comment", args=[claim.pk])
    response = client_for(fact_checker).post(url, {"body": "Check the date."}, follow=True)
    assert "Your comment is in the claim&#x27;s discussion." in response.content.decode()
    assert ClaimComment.objects.get().author == fact_checker
    # Empty comments are refused in words; outsiders cannot write; the public never reads them.
    response = client_for(fact_checker).post(url, {"body": "  "}, follow=True)
    assert "Write something to add to the discussion." in response.content.decode()
    with pytest.raises(PermissionDenied):
        services.add_comment(claim=claim, author=outsider, body="Hello")
    client.logout()
    public = client.get(reverse("claims:claim", args=[claim.pk]))
    assert "Check the date." not in public.content.decode()


def test_the_desk_status_page_and_the_admin_link_to_each_other(client_for, fact_checker):
    claim = ClaimFactory()
    client = client_for(fact_checker)
    status = client.get(reverse("claims:claim", args=[claim.pk])).content.decode()
    assert reverse("admin:claims_claim_change", args=[claim.pk]) in status
    admin_page = client.get(reverse("admin:claims_claim_change", args=[claim.pk])).content.decode()
    assert f'href="{reverse("claims:claim", args=[claim.pk])}"' in admin_page


def _status_history(html):
    section = html.split('id="history-heading"', 1)[1].split("</section>", 1)[0]
    return [
        " ".join(re.sub(r"<[^>]+>", " ", item).split())
        for item in re.findall(r'<li class="timeline__entry.*?</li>', section, re.S)
    ]


def test_the_desk_status_page_shows_anchor_moves_and_comments_the_public_never(
    client, client_for, fact_checker, editor
):
    from tests.factories import make_public

    claim = make_public(ClaimFactory(), ConfirmationState.CONFIRMED)
    services.add_comment(claim=claim, author=editor, body="INTERNAL: is the date right?")
    article = claim.article
    article.text = "Update: " + article.text
    services.save_article(article=article, author=fact_checker)
    moved_to = article.text.index(claim.quote)

    page = client_for(editor).get(reverse("claims:claim", args=[claim.pk])).content.decode()
    entries = _status_history(page)
    # Newest first, each with when, who and why.
    assert "Anchor moved" in entries[0]
    assert "fiona.factchecker" in entries[0]
    assert f"now stands at characters {moved_to}–{moved_to + len(claim.quote)}" in entries[0]
    assert "Comment desk only, never public" in entries[1]
    assert "eddie.editor" in entries[1]
    assert "INTERNAL: is the date right?" in entries[1]
    assert re.search(r"\d{1,2} \w{3} \d{4}, \d\d:\d\d", entries[0])
    assert "Version 1" in entries[-1]

    # Signed out: neither the comment, nor the move, nor a staff name, on the page or the API.
    client.logout()
    public = client.get(reverse("claims:claim", args=[claim.pk]))
    assert public.status_code == 200
    api = [
        client.get(f"/api/v1/claims/{claim.pk}/"),
        client.get(f"/api/v1/claims/{claim.pk}/history/"),
        client.get(f"/api/v1/claims/{claim.pk}/versions/"),
    ]
    for response in [public, *api]:
        assert response.status_code == 200
        text = response.content.decode()
        for secret in ("INTERNAL", "Anchor moved", "now stands at", "fiona", "eddie"):
            assert secret not in text, (response.request["PATH_INFO"], secret)
    assert "Version 1" in public.content.decode()


def test_a_broken_anchor_is_in_the_desk_history_with_who_and_why(client_for, fact_checker):
    claim = ClaimFactory()
    article = claim.article
    article.text = "An entirely different text now."
    services.save_article(article=article, author=fact_checker)
    entries = _status_history(
        client_for(fact_checker).get(reverse("claims:claim", args=[claim.pk])).content.decode()
    )
    assert "Anchor broken" in entries[0]
    assert "fiona.factchecker" in entries[0]
    assert "no longer stands in it once with its context" in entries[0]


def test_the_admin_history_link_leads_to_the_claims_one_timeline(
    client_for, client, fact_checker, editor, outsider
):
    claim = ClaimFactory()
    services.edit_claim(claim=claim, author=fact_checker, wording="Reworded.", reason="Clearer.")
    services.add_comment(claim=claim, author=editor, body="Looks right.")
    desk = client_for(fact_checker)
    change_url = reverse("admin:claims_claim_change", args=[claim.pk])
    history_url = reverse("admin:claims_claim_history", args=[claim.pk])
    change = desk.get(change_url).content.decode()
    assert f'<a href="{history_url}" class="historylink">' in change  # the admin's own button

    page = desk.get(history_url).content.decode()
    # The admin's conventions: its title, breadcrumbs to the list and the claim, then History.
    assert "<title>History: Reworded. |" in page
    breadcrumbs = page.split('<div class="breadcrumbs">', 1)[1].split("</div>", 1)[0]
    assert reverse("admin:claims_claim_changelist") in breadcrumbs
    assert change_url in breadcrumbs
    assert breadcrumbs.rstrip().endswith("History")
    # The same entries, in the same words, as the timeline on the claim's page; not the raw table.
    assert _timeline(page) == _timeline(change)
    entries = _timeline(page)
    assert "Comment" in entries[0]
    assert "Looks right." in entries[0]
    assert "Edited: wording" in entries[1]
    assert "Why: Clearer." in entries[1]
    assert 'id="change-history"' not in page
    assert "Change reason" not in page
    assert reverse("claims:claim", args=[claim.pk]) in page

    # simple-history's page of one past version (raw values), from an old bookmark: the timeline.
    version = claim.history.latest().history_id
    old_page = desk.get(reverse("admin:claims_claim_simple_history", args=[claim.pk, version]))
    assert old_page.status_code == 302
    assert old_page["Location"] == history_url
    for not_a_version in ("abc", "9" * 30, str(version + 1000)):
        assert desk.get(f"{history_url}{not_a_version}/").status_code == 404

    # A claim that does not exist: the admin's usual redirect with a message, never a 500.
    missing = desk.get(reverse("admin:claims_claim_history", args=[999999]), follow=True)
    assert missing.status_code == 200
    assert "doesn’t exist" in missing.content.decode()
    # Outsiders and anonymous visitors go to the sign-in page.
    client.logout()
    assert client.get(history_url).status_code == 302
    assert client_for(outsider).get(history_url).status_code == 302


def test_the_timeline_names_evidence_carried_by_its_own_reporting(client_for, fact_checker):
    claim = ClaimFactory()
    services.add_evidence(
        claim=claim,
        source=SourceFactory(title="Agency report"),
        stance="supports",
        own_reporting=True,
        author=fact_checker,
    )
    evidence = claim.evidence.get()
    evidence.own_reporting = False
    services.change_evidence(evidence=evidence, author=fact_checker)
    page = client_for(fact_checker).get(reverse("admin:claims_claim_change", args=[claim.pk]))
    joined = "\n".join(_timeline(page.content.decode()))
    assert "Evidence added “Agency report”, supports. Carried by its own reporting." in joined
    assert "Evidence changed “Agency report”: carried by its own reporting: yes → no" in joined
