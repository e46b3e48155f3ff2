import os
import secrets
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Create a superuser named 'admin' with a random password, printed once, if no account "
        "that can sign in exists yet. Does nothing when there is one."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--password-file",
            type=Path,
            help="write the password to this file (readable by its owner only) instead of "
            "printing it, for a caller that shows it later (make run shows it once the server "
            "is up, then deletes the file)",
        )

    def handle(self, *args, password_file=None, **options):
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
        if password_file is not None:
            password_file.parent.mkdir(parents=True, exist_ok=True)
            descriptor = os.open(password_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(descriptor, "w") as handle:
                handle.write(f"admin\n{password}\n")
            self.stdout.write(
                "Created the first account 'admin': its password is shown once the server is up."
            )
            return
        self.stdout.write(
            self.style.SUCCESS(
                "Created the first account. It is shown this once only:\n"
                f"    username: admin\n    password: {password}"
            )
        )
