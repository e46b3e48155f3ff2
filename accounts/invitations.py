"""A new desk member sets their own password through a link: nobody else ever knows it.

The link is Django's password-reset token (``default_token_generator``): made when the email is
sent and never stored, it works once (it is made from the password hash, which setting a password
changes), and for ``PASSWORD_RESET_TIMEOUT`` (three days by default). A lead whose member missed
it sends a new one ("Send a new invitation", on the desk members' list).
"""

from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode


def set_password_path(user) -> str:
    return reverse(
        "accounts:set-password",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
