from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from rest_framework.authtoken.models import Token


class Command(BaseCommand):
    help = (
        "Print the API token of USER (made if the user has none). Send it as "
        "'Authorization: Token <key>'. --rotate replaces an existing token."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--rotate", action="store_true", help="Revoke the current token and issue a new one."
        )

    def handle(self, *args, username, rotate, **options):
        try:
            user = get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"There is no user named “{username}”.") from None
        if not user.is_active:
            raise CommandError(f"“{username}” is not active: a token would not let them in.")
        if rotate:
            Token.objects.filter(user=user).delete()
        token, created = Token.objects.get_or_create(user=user)
        role = (
            "desk member (reads drafts; writes by role)"
            if user.is_staff
            else "reader (reads what the public reads)"
        )
        self.stderr.write(f"{'New' if created else 'Existing'} token for {username}, a {role}:")
        self.stdout.write(token.key)
