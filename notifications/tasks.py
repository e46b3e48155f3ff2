"""Sending a notification's email, in the worker (never in the request that caused it).

``schedule_email`` enqueues the task in the caller's transaction (the database backend stores
the task row there: a change that rolls back leaves no email behind). The task sends through
Django's email backend (the console by default, SMTP with ``EMAIL_HOST``) and records the outcome
on the notification:

- sent: ``email_status`` "sent" and ``emailed_at``;
- the server is out of reach, or answers "try later" (a refused connection, a timeout, a 4xx):
  the attempt and its error are recorded and the task is enqueued again to run after a pause
  that doubles each time (1 minute, 2, 4, ... at most an hour), for up to ``MAX_ATTEMPTS``
  attempts (about two days), then given up;
- the server refuses the message or every recipient for good (5xx): given up at once.

The notification itself is never lost whatever the mail does: it was written with the change and
stands in the person's list. Each update names the state it expects (still "to be sent"), so an
email that went out is never sent again.
"""

import logging
import smtplib
from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django_tasks import task

from . import emails
from .models import EmailStatus, Notification

logger = logging.getLogger(__name__)

FIRST_RETRY_SECONDS = 60
LONGEST_RETRY_SECONDS = 3600
MAX_ATTEMPTS = 60


def retry_delay(attempts: int) -> timedelta:
    """The pause before attempt ``attempts + 1``."""
    return timedelta(seconds=min(FIRST_RETRY_SECONDS * 2 ** (attempts - 1), LONGEST_RETRY_SECONDS))


def schedule_email(notification: Notification, *, after=None) -> None:
    """Enqueue the notification's email (``after``: not before this time)."""
    job = (
        send_notification_email if after is None else send_notification_email.using(run_after=after)
    )
    job.enqueue(notification.pk)


def refused_for_good(error: OSError) -> bool:
    """A permanent refusal of this message (5xx), as opposed to a server that is away or busy.
    A refused sign-in or sender is the deployment's settings, which someone will fix: retried."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in error.recipients.values())
    if isinstance(error, smtplib.SMTPDataError):
        return error.smtp_code >= 500
    return False


@task(queue_name="email")
def send_notification_email(notification_id: int) -> str:
    notification = (
        Notification.objects.select_related("recipient").filter(pk=notification_id).first()
    )
    if notification is None:
        return f"Notification {notification_id} is gone (its claim was deleted)."
    if notification.email_status != EmailStatus.PENDING:
        return f"Notification {notification_id}: nothing to send ({notification.email_status})."
    pending = Notification.objects.filter(pk=notification.pk, email_status=EmailStatus.PENDING)
    if not emails.wanted(notification):
        pending.update(email_status=EmailStatus.NOT_WANTED)
        return f"Notification {notification_id}: email turned off or no address."
    message = emails.compose(notification)
    try:
        message.send()
    except OSError as error:  # smtplib's errors are OSErrors, as are refused connections
        return _failed(notification, error)
    pending.update(
        email_status=EmailStatus.SENT,
        emailed_at=timezone.now(),
        email_attempts=F("email_attempts") + 1,
        email_error="",
    )
    return f"Notification {notification_id}: sent to {notification.recipient.email}."


def _failed(notification: Notification, error: OSError) -> str:
    attempts = notification.email_attempts + 1
    reason = f"{type(error).__name__}: {error}"[:1000]
    pending = Notification.objects.filter(pk=notification.pk, email_status=EmailStatus.PENDING)
    if refused_for_good(error) or attempts >= MAX_ATTEMPTS:
        pending.update(
            email_status=EmailStatus.GIVEN_UP, email_attempts=attempts, email_error=reason
        )
        logger.warning(
            "Notification %s: email given up after %s: %s", notification.pk, attempts, reason
        )
        return f"Notification {notification.pk}: given up ({reason})."
    retry_at = timezone.now() + retry_delay(attempts)
    with transaction.atomic():
        pending.update(email_attempts=attempts, email_error=reason)
        schedule_email(notification, after=retry_at)
    logger.warning(
        "Notification %s: email attempt %s failed (%s); trying again at %s",
        notification.pk,
        attempts,
        reason,
        retry_at.isoformat(timespec="seconds"),
    )
    return f"Notification {notification.pk}: attempt {attempts} failed ({reason}); again at {retry_at:%H:%M:%S}."
