import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Create a superuser named 'admin' with a random password, printed once, if no account "
        "that can sign in exists yet. Does nothing when there is one."
    )

    def handle(self, *args, **options):
        User = get_user_model()
        # The seed's author account has no usable password: it records who loaded the seed and
        # cannot sign in, so it does not count as "an account".
        if any(
            user.has_usable_password()
            for user in User.objects.filter(is_active=True).only("password")
        ):
            self.stdout.write(
                "An account already exists; sign in with it "
                "(reset a password with: DEBUG=1 .venv/bin/python manage.py changepassword admin)."
            )
            return
        password = secrets.token_urlsafe(12)
        User.objects.create_superuser(username="admin", email="", password=password)
        self.stdout.write(
            self.style.SUCCESS(
                "Created the first account. It is shown this once only:\n"
                f"    username: admin\n    password: {password}"
            )
        )
