"""The client's address, as far as this deployment can know it.

X-Forwarded-For is written by whoever sends the request, so it is believed only as far as the
deployment says it passes through its own proxies: TRUSTED_PROXY_COUNT (0 by default: the header
is ignored and the connection's address counts). With N proxies in front, each appends the
address it received the request from, so the client is the N-th address from the right.
The API's rate limits (DRF's NUM_PROXIES, set from the same number) and the sign-in lockout both
count by this address.
"""

from django.conf import settings


def client_ip(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    forwarded = [
        address.strip()
        for address in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if address.strip()
    ]
    if len(forwarded) < count:
        return remote  # not through all the proxies: nothing in the header is vouched for
    return forwarded[-count]
