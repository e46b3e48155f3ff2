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


def _review_items(page: str) -> dict[str, str]:
    """The editor's queue as {claim wording: its list item's HTML}."""
    _, review = _section(page, "Awaiting your review")
    items = re.findall(r"<li>(.*?)</li>", review, re.S)
    return {re.search(r'">([^<]+)</a>', item).group(1): item for item in items}


def test_the_review_queue_says_who_sent_each_claim_when_and_what_kind_of_review(
    client_for, editor, fact_checker, django_assert_num_queries
):
    """A new verdict, a correction of a public one, a withdrawal request and a verdict stronger
    than its evidence, each with who sent it and when, and a link to the status page's review
    box; the page's queries do not grow with the queue."""
    from tests.factories import make_public

    fact_checker.first_name, fact_checker.last_name = "Fiona", "Factchecker"
    fact_checker.save()
    article = ArticleFactory(text=TEXT)
    new, corrected, withdrawn = (
        ClaimFactory(article=article, quote=f"{word} happened", wording=word.title())
        for word in ("alpha", "beta", "gamma")
    )
    services.submit_for_review(
        claim=_verdict(new, fact_checker), author=fact_checker, comment="Two agencies."
    )
    for claim in (corrected, withdrawn):
        EvidenceFactory(claim=claim, source=SourceFactory())
        EvidenceFactory(claim=claim, source=SourceFactory())
        make_public(claim, ConfirmationState.CONFIRMED, rationale="Two sources.")
    services.edit_claim(
        claim=corrected,
        author=fact_checker,
        rationale="Two sources, both on the record.",
        reason="The rationale says what the record is.",
    )
    services.edit_claim(
        claim=withdrawn,
        author=fact_checker,
        state=ConfirmationState.IN_PROGRESS,
        reason="One of the two sources retracted.",
    )
    client = client_for(editor)
    client.get(reverse("admin:index"))  # warms the content-type cache
    with django_assert_num_queries(QUEUE_PAGE_QUERIES):
        page = client.get(reverse("admin:index")).content.decode()
    items = _review_items(page)
    assert set(items) == {"Alpha", "Beta", "Gamma"}
    assert "A new verdict" in items["Alpha"]
    assert "Sent by Fiona Factchecker" in items["Alpha"]
    assert "Two agencies." in items["Alpha"]
    assert "A correction of the public verdict" in items["Beta"]
    assert "Changed after publication by Fiona Factchecker" in items["Beta"]
    assert "The rationale says what the record is." in items["Beta"]
    assert "A withdrawal request" in items["Gamma"]
    assert "Stronger than its evidence" not in page
    for claim in (new, corrected, withdrawn):
        wording = claim.wording
        assert f'href="/claims/{claim.pk}/#review"' in items[wording]
        event = ReviewEvent.objects.filter(claim=claim).latest("created_at", "id")
        assert f'datetime="{event.created_at.isoformat()}"' in items[wording]

    # Confirmed on one source: stronger than its evidence, flagged; more claims, no more queries.
    delta = ClaimFactory(
        article=ArticleFactory(text="Delta happened."), quote="Delta happened", wording="Delta"
    )
    EvidenceFactory(claim=delta, source=SourceFactory())
    services.change_state(
        claim=delta, to_state=ConfirmationState.CONFIRMED, rationale="One.", author=fact_checker
    )
    services.submit_for_review(claim=delta, author=fact_checker)
    with django_assert_num_queries(QUEUE_PAGE_QUERIES):
        page = client.get(reverse("admin:index")).content.decode()
    items = _review_items(page)
    assert "⚠ Stronger than its evidence" in items["Delta"]
    assert "A new verdict" in items["Delta"]
    assert "Stronger than its evidence" not in items["Alpha"]

    # The link opens the claim's status page at its review box.
    review_page = client.get(f"/claims/{new.pk}/").content.decode()
    assert 'id="review"' in review_page


# The admin home for an editor: session, user, the user's and the groups' permissions, the
# queue counts and the unread notifications in the header, the queue's claims (with who sent
# each, its live version and stored independence joined) and its count, the recent actions.
QUEUE_PAGE_QUERIES = 9
