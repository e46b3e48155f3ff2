"""Who may keep trying to sign in: the lockout (django-axes) and the address throttle around it.

A newsroom's office signs in from one address, so nothing here stops a whole address for long:

- **Per account and address** (axes, ``AXES_LOCKOUT_PARAMETERS``): SIGN_IN_FAILURE_LIMIT wrong
  passwords for one account from one address pause that account there, for
  SIGN_IN_COOLOFF_MINUTES. Made-up usernames lock nobody real, and the account still signs in
  from elsewhere.
- **Per address, a throttle** (``AddressThrottleBackend``): past SIGN_IN_ADDRESS_FAILURE_RATE
  failed sign-ins from one address (40 a minute), every sign-in from it waits until that
  window ends (429 with Retry-After, a minute at most): guessing from one address is slowed,
  never locked for a quarter of an hour. Counted in the shared cache, so it holds across
  workers; a successful sign-in gives its place back.
- **Trusted addresses** (SIGN_IN_TRUSTED_ADDRESSES: the desk's own office, as addresses or
  networks): neither applies, so the desk always has a way in. ``manage.py axes_reset`` lifts
  every pause (README, "Sign-in lockout").
"""

import ipaddress

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver
from django.shortcuts import render

from common.api.throttles import WindowCounter
from common.client_ip import client_ip


def from_trusted_address(request, credentials=None) -> bool:
    """axes' AXES_WHITELIST_CALLABLE: a sign-in from a trusted address is never paused
    (SIGN_IN_TRUSTED_NETWORKS: the settings' SIGN_IN_TRUSTED_ADDRESSES, read as networks)."""
    try:
        address = ipaddress.ip_address(client_ip(request))
    except ValueError:
        return False
    return any(address in network for network in settings.SIGN_IN_TRUSTED_NETWORKS)


def _counter(request) -> WindowCounter:
    return WindowCounter(
        "sign_in_failure", client_ip(request), settings.SIGN_IN_ADDRESS_FAILURE_RATE
    )


class AddressThrottleBackend:
    """First of the authentication backends: an address past its rate of failed sign-ins is
    refused before any password is checked. Each attempt takes its place in the address's count
    (one atomic increment); a success gives it back (``give_back_on_success``)."""

    def authenticate(self, request, **credentials):
        if request is None or not settings.AXES_ENABLED or from_trusted_address(request):
            return
        counter = _counter(request)
        request.sign_in_counted = True
        if counter.count() <= counter.limit:
            return  # on to the lockout and the password
        request.sign_in_wait = counter.seconds_left()
        # Marked as paused for axes, which then neither checks nor records this attempt against
        # the account (a person waiting behind a busy address is not guessing).
        request.axes_locked_out = True
        raise PermissionDenied("Too many failed sign-ins from this address.")

    # No get_user: this backend never signs anyone in (and so is never the session's backend).


@receiver(user_logged_in)
def give_back_on_success(sender, request, user, **kwargs):
    if request is not None and getattr(request, "sign_in_counted", False):
        _counter(request).count(-1)
        request.sign_in_counted = False


def paused_response(request, original_response=None, credentials=None):
    """axes' AXES_LOCKOUT_CALLABLE: the page for a paused sign-in, either kind, with
    Retry-After."""
    wait = getattr(request, "sign_in_wait", None)
    cool_off = settings.AXES_COOLOFF_TIME
    context = {
        "address_wait": wait,
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cooloff_minutes": int(cool_off.total_seconds() // 60),
    }
    response = render(request, "lockout.html", context, status=429)
    response["Retry-After"] = str(wait if wait is not None else int(cool_off.total_seconds()))
    return response
