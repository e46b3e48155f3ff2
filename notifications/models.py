"""Telling people: one row per person told of one event, and whether they want email.

A notification is written in the transaction of the change that caused it (the claims services
call ``notifications.services`` inside theirs), so a change and the news of it commit or roll
back together. Its email is a separate, later step: a task the worker runs
(``notifications.tasks``), which records on the row when the email went out, or that it was not
wanted, or that it was given up on. A mail server that is down delays the email; the row, and the
person's list in the admin, never depend on it.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from common.writes import ServiceWritten


class NotificationKind(models.TextChoices):
    ASSIGNED = "assigned", "Assigned to you"
    SENT_BACK = "sent_back", "Sent back to you"
    REVIEW_REQUESTED = "review_requested", "Awaiting your review"
    MENTIONED = "mentioned", "You were mentioned"
    VERDICT_APPROVED = "verdict_approved", "Your verdict was approved"
    VERDICT_CORRECTED = "verdict_corrected", "Your verdict was corrected"
    WELCOME = "welcome", "Added to the desk"


class EmailStatus(models.TextChoices):
    PENDING = "pending", "To be sent"
    SENT = "sent", "Sent"
    NOT_WANTED = "not_wanted", "Not sent (email turned off, or no address)"
    GIVEN_UP = "given_up", "Given up"


class Notification(ServiceWritten, models.Model):
    """One person told of one event. The title and body are written when the event happens and
    kept as they were (the claim's wording may change later; what the person was told does
    not)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=20, choices=NotificationKind.choices)
    # A claim is only ever deleted while it has no history; its notifications go with it.
    claim = models.ForeignKey(
        "claims.Claim", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who did what the notification tells of.",
    )
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True, help_text="The comment or note that came with the event.")
    created_at = models.DateTimeField("when", default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    email_status = models.CharField(
        max_length=20, choices=EmailStatus.choices, default=EmailStatus.PENDING
    )
    emailed_at = models.DateTimeField(null=True, blank=True)
    email_attempts = models.PositiveIntegerField(default=0)
    email_error = models.TextField(blank=True, help_text="Why the last attempt failed.")

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_list_idx"),
            # The header's unread count, on every admin page.
            models.Index(
                fields=["recipient"],
                condition=Q(read_at__isnull=True),
                name="notification_unread_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=NotificationKind.values), name="notification_kind_known"
            ),
            models.CheckConstraint(
                condition=Q(email_status__in=EmailStatus.values),
                name="notification_email_status_known",
            ),
            # Every kind but the welcome is about a claim (opening it leads there).
            models.CheckConstraint(
                condition=Q(kind=NotificationKind.WELCOME) | Q(claim__isnull=False),
                name="notification_names_its_claim",
            ),
            # "Sent" and the time it was sent go together.
            models.CheckConstraint(
                condition=Q(email_status=EmailStatus.SENT, emailed_at__isnull=False)
                | (~Q(email_status=EmailStatus.SENT) & Q(emailed_at__isnull=True)),
                name="notification_sent_has_time",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


class NotificationSettings(ServiceWritten, models.Model):
    """What a person chose for themselves. No row: the defaults (email on)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="notification_settings",
    )
    email = models.BooleanField(
        default=True, help_text="Send me an email for each notification, as well as listing it."
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "notification settings"
        verbose_name_plural = "notification settings"

    def __str__(self) -> str:
        return f"Notification settings of {self.user_id}"
