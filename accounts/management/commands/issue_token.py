from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from accounts.services import issue_token


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
        if expires_in_days is not None and expires_in_days < 1:
            raise CommandError("--expires-in-days must be 1 or more.")
        expiry = timezone.now() + timedelta(days=expires_in_days) if expires_in_days else None
        try:
            # The same service as the admin's "Add API token" (accounts.services).
            token, key = issue_token(user=user, name=name, expires_at=expiry, rotate=rotate)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
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
