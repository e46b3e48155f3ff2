"""What a person reads of their notifications."""

from django.db.models import QuerySet

from .models import Notification, NotificationSettings


def notifications_of(user) -> QuerySet[Notification]:
    """A person's notifications, newest first (their own only: nobody reads another's)."""
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-id")


def unread_count(user) -> int:
    """One query (a partial index on the unread rows)."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def email_on(user) -> bool:
    """Whether the person wants email (on unless they turned it off)."""
    return not NotificationSettings.objects.filter(user=user, email=False).exists()


def gets_email(users, *, ignore_preference: bool = False) -> set[int]:
    """The ids of those among ``users`` who get email: an address, and email not turned off.
    One query for all of them."""
    with_address = {user.pk for user in users if user.email}
    if ignore_preference or not with_address:
        return with_address
    turned_off = NotificationSettings.objects.filter(user__in=with_address, email=False)
    return with_address - set(turned_off.values_list("user_id", flat=True))
