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
from rest_framework.throttling import SimpleRateThrottle

from .models import ApiToken


class FailedAuthenticationThrottle(SimpleRateThrottle):
    """Counts failures only: ``blocked`` looks, ``record`` adds one."""

    scope = "auth_failure"

    def get_rate(self):
        return settings.API_AUTH_FAILURE_RATE

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}

    def _load(self, request):
        self.key = self.get_cache_key(request, None)
        self.now = self.timer()
        self.history = [t for t in self.cache.get(self.key, []) if t > self.now - self.duration]

    def blocked(self, request) -> bool:
        self._load(request)
        return len(self.history) >= self.num_requests

    def record(self, request) -> None:
        self._load(request)
        self.history.insert(0, self.now)
        self.cache.set(self.key, self.history, self.duration)


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
        throttle = FailedAuthenticationThrottle()
        if throttle.blocked(request):
            raise exceptions.Throttled(
                throttle.wait(),
                detail="Too many wrong tokens from this address.",
            )
        try:
            if len(header) != 2:
                raise exceptions.AuthenticationFailed(
                    _("Send the token as `Authorization: Token <key>`, with no spaces in the key.")
                )
            try:
                key = header[1].decode()
            except UnicodeError:
                raise exceptions.AuthenticationFailed(_("The token is not a valid key.")) from None
            return self.authenticate_credentials(key)
        except exceptions.AuthenticationFailed:
            throttle.record(request)
            raise

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
