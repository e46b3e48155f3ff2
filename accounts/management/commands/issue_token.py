from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from accounts.models import ApiToken


class Command(BaseCommand):
    help = (
        "Issue a new API token for USER and print its key, this once: only a hash is stored. "
        "Send it as 'Authorization: Token <key>'. --rotate revokes the user's other tokens."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="Who or what holds the token.")
        parser.add_argument(
            "--expires-in-days", type=int, default=None, help="Days until it stops working."
        )
        parser.add_argument("--rotate", action="store_true", help="Revoke the user's other tokens.")

    def handle(self, *args, username, name, expires_in_days, rotate, **options):
        try:
            user = get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"There is no user named “{username}”.") from None
        if not user.is_active:
            raise CommandError(f"“{username}” is not active: a token would not let them in.")
        if expires_in_days is not None and expires_in_days < 1:
            raise CommandError("--expires-in-days must be 1 or more.")
        if rotate:
            ApiToken.objects.filter(user=user, revoked=False).update(revoked=True)
        expiry = timezone.now() + timedelta(days=expires_in_days) if expires_in_days else None
        token, key = ApiToken.objects.create_key(
            user=user, name=name or f"{username}'s token", expiry_date=expiry
        )
        role = (
            "desk member (reads drafts; writes by role)"
            if user.is_staff
            else "reader (reads what the public reads)"
        )
        self.stderr.write(
            f"New token {token.prefix}… for {username}, a {role}"
            f"{f', expiring {expiry:%Y-%m-%d %H:%M} UTC' if expiry else ''}. "
            "The key is printed this once (only its hash is kept):"
        )
        self.stdout.write(key)
