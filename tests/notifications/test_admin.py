"""Each desk member's notifications in the admin, through the test client: the unread count in
the header of every admin page, their own list (only theirs), opening one (read, and on to the
claim), marking all read, and the email preference they set themselves."""

import re

import pytest
from django.urls import reverse

from claims import services
from notifications.models import Notification, NotificationSettings
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db

LIST = "/admin/notifications/notification/"


def header_count(page: str) -> int:
    nav = re.search(r'<nav class="queue-nav notification-nav".*?</nav>', page, re.S).group(0)
    return int(re.search(r'<span class="queue-count[^"]*"[^>]*>(\d+)</span>', nav).group(1))


def mention(claim, author, who: str, text: str = "can you look?"):
    services.add_comment(claim=claim, author=author, body=f"@{who} {text}")


@pytest.fixture
def mentioned_twice(fact_checker, editor):
    """Two claims on which the editor asked the fact-checker something."""
    first, second = ClaimFactory(), ClaimFactory()
    mention(first, editor, fact_checker.username, "where is the letter?")
    mention(second, editor, fact_checker.username, "which date?")
    return first, second


def test_the_header_of_every_admin_page_counts_the_unread(
    client_for, fact_checker, mentioned_twice
):
    client = client_for(fact_checker)
    for url in ["/admin/", "/admin/claims/claim/", "/admin/sources/source/", LIST]:
        assert header_count(client.get(url).content.decode()) == 2, url


def test_the_list_is_ones_own_and_opening_one_reads_it_and_leads_to_the_claim(
    client_for, fact_checker, editor, mentioned_twice
):
    first, _ = mentioned_twice
    mention(first, fact_checker, editor.username, "for you, not for fiona")
    client = client_for(fact_checker)
    page = client.get(LIST).content.decode()
    assert page.count("notification--unread") == 2
    assert "where is the letter?" in page
    assert "which date?" in page
    assert "for you, not for fiona" not in page  # the editor's, not hers

    notification = Notification.objects.get(recipient=fact_checker, claim=first)
    opened = client.get(reverse("admin:notifications_notification_open", args=[notification.pk]))
    assert opened.status_code == 302
    assert opened["Location"] == reverse("admin:claims_claim_change", args=[first.pk])
    notification.refresh_from_db()
    assert notification.read_at is not None
    page = client.get(LIST).content.decode()
    assert header_count(page) == 1
    assert page.count("notification--unread") == 1
    # Only the unread, as the header's link opens the list.
    unread = client.get(LIST + "?unread=1").content.decode()
    assert "which date?" in unread
    assert "where is the letter?" not in unread


def test_nobody_opens_anothers_notification(client_for, fact_checker, editor, mentioned_twice):
    theirs = Notification.objects.filter(recipient=fact_checker).first()
    client = client_for(editor)
    url = reverse("admin:notifications_notification_open", args=[theirs.pk])
    assert client.get(url).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None
    # Its "change" page leads to the open view, which refuses too.
    change = client.get(f"{LIST}{theirs.pk}/change/", follow=True)
    assert change.status_code == 404


def test_outsiders_have_no_notifications_page(client_for, outsider):
    assert client_for(outsider).get(LIST).status_code == 302  # to the sign-in page


def test_marking_all_read(client_for, fact_checker, mentioned_twice):
    client = client_for(fact_checker)
    assert client.get(reverse("admin:notifications_notification_read")).status_code == 405
    response = client.post(reverse("admin:notifications_notification_read"), follow=True)
    page = response.content.decode()
    assert "2 notifications marked read." in page
    assert header_count(page) == 0
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_a_person_turns_their_email_off_and_on(client_for, fact_checker):
    client = client_for(fact_checker)
    url = reverse("admin:notifications_notification_email")
    page = client.get(LIST).content.decode()
    assert re.search(r'<input type="checkbox" name="email" checked>', page)
    assert "fiona.factchecker@example.org" in page

    response = client.post(url, {}, follow=True)  # the box unticked
    assert "No more email" in response.content.decode()
    assert NotificationSettings.objects.get(user=fact_checker).email is False
    assert '<input type="checkbox" name="email">' in response.content.decode()

    client.post(url, {"email": "on"})
    assert NotificationSettings.objects.get(user=fact_checker).email is True


def test_the_list_runs_a_fixed_number_of_queries(
    client_for, fact_checker, editor, django_assert_num_queries
):
    claim = ClaimFactory()
    client = client_for(fact_checker)
    mention(claim, editor, fact_checker.username)
    client.get(LIST)
    # session, user, the email preference, the page's count (no full count), the person's
    # permissions (their own and their groups': the header's queues ask them), the rows (the
    # kind filter's values are choices: no query); the header: the queue counts and the unread
    # count.
    with django_assert_num_queries(9):
        assert client.get(LIST).status_code == 200
    for _ in range(20):
        mention(claim, editor, fact_checker.username)
    with django_assert_num_queries(9):
        assert client.get(LIST).status_code == 200
