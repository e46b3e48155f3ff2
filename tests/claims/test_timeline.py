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
