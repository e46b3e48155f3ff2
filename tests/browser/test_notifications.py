"""A fact-checker's notifications in Chromium: the unread count in the header, opening one (it
leads to the claim and is read), turning email off, and marking the rest read, each by clicking
its button; at desktop and phone widths."""

import pytest

from claims import services
from claims.models import ConfirmationState
from notifications.models import Notification, NotificationSettings
from tests.factories import ClaimFactory, EvidenceFactory, SourceFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _unread(page) -> str:
    return page.locator(".notification-nav .queue-count").inner_text()


def test_a_fact_checker_opens_what_she_was_told_from_the_header(
    live_server, new_page, console, shot, sign_in, desk_member, fits
):
    checker, editor = desk_member("fiona", "Fact-checkers"), desk_member("eddie", "Editors")
    sent_back = ClaimFactory(wording="The bridge opens in May")
    EvidenceFactory(claim=sent_back, source=SourceFactory(title="Reuters"))
    claim = services.change_state(
        claim=sent_back,
        to_state=ConfirmationState.CONFIRMED,
        rationale="Reuters reports it.",
        author=checker,
    )
    claim = services.submit_for_review(claim=claim, author=checker)
    services.send_back(claim=claim, author=editor, comment="One wire is not two: find AFP's.")
    services.add_comment(
        claim=ClaimFactory(wording="Twelve hundred workers"),
        author=editor,
        body="@fiona is the 1,200 the ministry's figure or the union's?",
    )

    page = new_page(width=1366)
    sign_in(page, "fiona")
    assert _unread(page) == "2"
    shot(page, "notifications-header-1366")
    page.locator(".notification-nav a").click()
    page.wait_for_url("**/admin/notifications/notification/**")
    assert page.locator(".notification--unread").count() == 2
    assert "One wire is not two: find AFP's." in page.locator("#result_list").inner_text()
    shot(page, "notifications-list-1366")

    page.get_by_role("link", name="eddie sent claim").click()
    page.wait_for_url(f"**/admin/claims/claim/{sent_back.pk}/change/")
    assert _unread(page) == "1"
    assert Notification.objects.get(claim=sent_back, recipient=checker).read_at is not None

    page.goto(f"{live_server.url}/admin/notifications/notification/")
    page.get_by_label("Email me each notification").uncheck()
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    assert "No more email" in page.locator(".messagelist").inner_text()
    assert NotificationSettings.objects.get(user=checker).email is False
    assert not page.get_by_label("Email me each notification").is_checked()

    page.get_by_role("button", name="Mark all as read").click()
    page.wait_for_load_state()
    assert "1 notification marked read." in page.locator(".messagelist").inner_text()
    assert _unread(page) == "0"

    phone = new_page(width=390)
    sign_in(phone, "fiona")
    phone.goto(f"{live_server.url}/admin/notifications/notification/")
    shot(phone, "notifications-list-390")
    fits(phone, 390)
    assert console.csp_violations == []
    assert console.errors == []
    assert console.failed == []
