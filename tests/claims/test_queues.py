"""Each role works from its own queues on the admin home; "sent back" shows wherever a claim does."""

import re

import pytest
from django.urls import reverse

from claims import services
from claims.models import ConfirmationState, ReviewEvent
from tests.factories import ArticleFactory, ClaimFactory, EvidenceFactory, SourceFactory

pytestmark = pytest.mark.django_db

TEXT = "One said alpha happened. Two said beta happened. Three said gamma happened."


def _verdict(claim, author):
    EvidenceFactory(claim=claim, source=SourceFactory())
    EvidenceFactory(claim=claim, source=SourceFactory())
    return services.change_state(
        claim=claim, to_state=ConfirmationState.CONFIRMED, rationale="Two sources.", author=author
    )


@pytest.fixture
def desk(fact_checker, editor):
    article = ArticleFactory(text=TEXT)
    alpha = ClaimFactory(
        article=article, quote="alpha happened", wording="Alpha", assignee=fact_checker
    )
    beta = ClaimFactory(
        article=article, quote="beta happened", wording="Beta", assignee=fact_checker
    )
    gamma = ClaimFactory(
        article=article, quote="gamma happened", wording="Gamma", assignee=fact_checker
    )
    for claim in (beta, gamma):
        services.submit_for_review(claim=_verdict(claim, fact_checker), author=fact_checker)
    services.send_back(claim=beta, author=editor, comment="Name the second source.")
    services.edit_claim(
        claim=alpha, author=fact_checker, state=ConfirmationState.IN_PROGRESS, reason="Started."
    )
    return alpha, beta, gamma


def _section(page, title):
    match = re.search(
        rf"<h2 id=\"queue-\w+\">{title} <span class=\"queue-count\">(\d+)</span></h2>(.*?)</section>",
        page,
        re.S,
    )
    assert match, f"no queue {title!r}"
    return int(match.group(1)), match.group(2)


def test_the_fact_checker_works_from_assigned_sent_back_and_in_progress(
    client_for, fact_checker, desk
):
    page = client_for(fact_checker).get(reverse("admin:index")).content.decode()
    count, assigned = _section(page, "Assigned to me")
    assert count == 1
    assert "Alpha" in assigned
    count, sent_back = _section(page, "Sent back to me")
    assert count == 1
    assert "Beta" in sent_back
    assert "eddie.editor: Name the second source." in sent_back
    count, in_progress = _section(page, "In progress")
    assert (count, "Alpha" in in_progress) == (1, True)
    assert "Awaiting your review" not in page.split('id="content-main"')[0].split("queue-nav")[0]
    # The counts are in the navigation of every admin page.
    listing = (
        client_for(fact_checker).get(reverse("admin:claims_claim_changelist")).content.decode()
    )
    assert re.search(r'Sent back to me <span class="queue-count">1</span>', listing)


def test_the_editor_works_from_awaiting_review_oldest_first_with_the_wait(
    client_for, editor, fact_checker, desk
):
    _, beta, _ = desk
    services.submit_for_review(claim=beta, author=fact_checker)  # resubmitted: newer than gamma
    page = client_for(editor).get(reverse("admin:index")).content.decode()
    count, review = _section(page, "Awaiting your review")
    assert count == 2
    assert review.index("Gamma") < review.index("Beta")
    assert "waiting" in review
    assert "Assigned to me" not in page


def test_sent_back_shows_on_the_claim_in_the_list_and_as_a_filter_until_resubmitted(
    client_for, fact_checker, desk
):
    _, beta, _ = desk
    client = client_for(fact_checker)
    claim_page = client.get(reverse("admin:claims_claim_change", args=[beta.pk])).content.decode()
    assert "Sent back by eddie.editor" in claim_page
    assert "Name the second source." in claim_page
    filtered = client.get(
        reverse("admin:claims_claim_changelist"), {"sent_back": "yes"}
    ).content.decode()
    assert "Beta" in filtered
    assert "Gamma" not in filtered
    assert "review--sent_back" in filtered
    services.submit_for_review(claim=beta, author=fact_checker)
    claim_page = client.get(reverse("admin:claims_claim_change", args=[beta.pk])).content.decode()
    assert "Sent back by" not in claim_page
    queue = client.get(
        reverse("admin:claims_claim_changelist"), {"queue": "sent_back"}
    ).content.decode()
    assert "Beta" not in queue


def test_the_dashboards_review_link_lists_the_claims_in_the_admin(client_for, editor, desk):
    client = client_for(editor)
    dashboard = client.get("/").content.decode()
    link = re.search(r'href="([^"]+)">1 claim needs review', dashboard)
    assert link, dashboard[:2000]
    listing = client.get(link.group(1).replace("&amp;", "&")).content.decode()
    assert "Gamma" in listing
    assert "Beta" not in listing  # sent back: a draft again
    assert "Alpha" not in listing
    assert ReviewEvent.objects.count() >= 3
