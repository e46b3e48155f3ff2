"""`Authorization: Token <key>` against the hashed tokens, with failed attempts throttled.

- A header with another scheme (`Bearer …`, garbage) is refused with 401 and
  `WWW-Authenticate: Token`, never read as an anonymous request.
- Wrong, expired or revoked keys count against the client's address (API_AUTH_FAILURE_RATE,
  20 a minute by default); past the limit every token attempt from that address is answered 429 with
  Retry-After, before the key is even looked at.
"""

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from common.api.throttles import WindowCounter
from common.client_ip import client_ip

from .models import ApiToken


class FailedAuthenticationThrottle:
    """Counts token attempts that fail, per address, in the shared cache (common/api/throttles).

    Each attempt takes its place in the count before its key is checked (one atomic increment),
    and gives it back when the key turns out right: so with workers checking at once, no more
    than the limit of wrong keys are ever checked in a window, to the number."""

    def __init__(self, request):
        self.counter = WindowCounter(
            "auth_failure", client_ip(request), settings.API_AUTH_FAILURE_RATE
        )

    def admit(self) -> bool:
        """Takes a place for this attempt; False when the address is past the limit."""
        return self.counter.count() <= self.counter.limit

    def succeeded(self) -> None:
        self.counter.count(-1)

    def wait(self) -> int:
        return self.counter.seconds_left()


class TokenAuthentication(authentication.TokenAuthentication):
    keyword = "Token"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header:
            return None
        if header[0].lower() != self.keyword.lower().encode():
            raise exceptions.AuthenticationFailed(
                _("Send the token as `Authorization: Token <key>`; no other scheme is accepted.")
            )
        throttle = FailedAuthenticationThrottle(request)
        if not throttle.admit():
            raise exceptions.Throttled(
                throttle.wait(),
                detail="Too many wrong tokens from this address.",
            )
        # From here every AuthenticationFailed keeps the place this attempt took in the count.
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                _("Send the token as `Authorization: Token <key>`, with no spaces in the key.")
            )
        try:
            key = header[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed(_("The token is not a valid key.")) from None
        authenticated = self.authenticate_credentials(key)
        throttle.succeeded()
        return authenticated

    def authenticate_credentials(self, key):
        try:
            token = ApiToken.objects.get_from_key(key)
        except ApiToken.DoesNotExist:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from None
        if token.has_expired:
            raise exceptions.AuthenticationFailed(_("The token has expired: ask for a new one."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        return (token.user, token)
