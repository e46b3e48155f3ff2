"""The email of a notification: what the worker sends (``notifications.tasks``)."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse

from accounts.invitations import set_password_path

from . import selectors
from .models import Notification, NotificationKind


def absolute(path: str) -> str:
    """Links in email need the app's address: there is no request to take it from."""
    return settings.SITE_URL.rstrip("/") + path


def wanted(notification: Notification) -> bool:
    """Asked again when the email is sent: the person may have turned email off meanwhile."""
    recipient = notification.recipient
    if not (recipient.is_active and recipient.email):
        return False
    return notification.kind == NotificationKind.WELCOME or selectors.email_on(recipient)


def compose(notification: Notification) -> EmailMessage:
    recipient = notification.recipient
    welcome = notification.kind == NotificationKind.WELCOME
    context = {
        "notification": notification,
        "desk": settings.PUBLISHER_NAME,
        "open_url": absolute(
            reverse("admin:notifications_notification_open", args=[notification.pk])
        ),
        "settings_url": absolute(reverse("admin:notifications_notification_changelist")),
        # Made when the email is sent, never stored: a link that sets the password works once,
        # for PASSWORD_RESET_TIMEOUT, and only while the person has not set one.
        "set_password_url": absolute(set_password_path(recipient))
        if welcome and not recipient.has_usable_password()
        else "",
        "link_days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
        "username": recipient.get_username(),
        "welcome": welcome,
    }
    return EmailMessage(
        subject=f"[{settings.PUBLISHER_NAME}] {notification.title}".replace("\n", " "),
        body=render_to_string("notifications/email.txt", context),
        to=[recipient.email],
    )
