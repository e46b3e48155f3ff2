"""Rate limits: per address for anonymous clients, per account (token or session) for the rest.

Rates are read from settings when a request comes (API_THROTTLE_RATES), so they can be changed
per deployment. Over the limit: 429 with Retry-After.

Counting holds across every worker process: the counters live in the shared cache (settings
CACHES) and each request takes its place with one atomic increment (``WindowCounter``), never
DRF's read-the-list-then-write-it-back, which let every worker admit what the others had just
admitted. A window of one period (a minute for "120/min") starts at a client's first request
and ends a period later; within it the first ``limit`` requests pass and the rest are refused.
"""

import time

from django.conf import settings
from django.core.cache import cache
from rest_framework.throttling import BaseThrottle

from common.client_ip import client_ip

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """ "120/min" -> (120, 60): DRF's notation (the period's first letter counts)."""
    number, period = rate.split("/")
    return int(number), PERIODS[period.strip()[0]]


class WindowCounter:
    """Counts events of one kind for one client in windows of ``duration`` seconds.

    The window's start is written once (``add``: only the first writer wins), and the count lives
    under a key that names that start, so a new window is a new count; ``incr`` is atomic in the
    shared cache (Redis's INCR). The shared database cache does it all in one statement, the
    window's end in the count's row (``count_in_window``)."""

    def __init__(self, scope: str, ident: str, rate: str):
        self.limit, self.duration = parse_rate(rate)
        self.prefix = f"window:{scope}:{ident}"

    def _window(self) -> tuple[str, float]:
        now = time.time()
        start_key = f"{self.prefix}:start"
        cache.add(start_key, now, self.duration)
        start = cache.get(start_key)
        if start is None:  # it ran out between the two calls: a new window, from now
            cache.add(start_key, now, self.duration)
            start = cache.get(start_key, now)
        return f"{self.prefix}:{start!r}", start

    def count(self, delta: int = 1) -> int:
        """Adds ``delta`` (one event, or a negative correction) and returns the window's count."""
        in_window = getattr(cache, "count_in_window", None)
        if in_window is not None:  # the shared database cache: one statement (common/cache.py)
            counted, end = in_window(self.prefix, delta, self.duration)
            self.start = end - self.duration
            return counted
        key, self.start = self._window()
        # The count outlives its start by a second, so that it never vanishes while in use.
        cache.add(key, 0, self.duration + 1)
        try:
            return cache.incr(key, delta)
        except ValueError:  # expired between add and incr: the count starts again
            cache.add(key, 0, self.duration + 1)
            return cache.incr(key, delta)

    def seconds_left(self) -> int:
        """Until the window counted in last ends (after ``count``)."""
        return max(1, int(self.start + self.duration - time.time() + 0.999))


class WindowThrottle(BaseThrottle):
    scope = ""

    def get_rate(self) -> str:
        raise NotImplementedError

    def get_ident(self, request) -> str:
        return client_ip(request)

    def ident_for(self, request) -> str | None:
        """Whom this request counts against; None: this throttle does not apply."""
        raise NotImplementedError

    def allow_request(self, request, view):
        ident = self.ident_for(request)
        if ident is None:
            return True
        self.counter = WindowCounter(self.scope, ident, self.get_rate())
        return self.counter.count() <= self.counter.limit

    def wait(self):
        return self.counter.seconds_left()


class AnonymousThrottle(WindowThrottle):
    scope = "anon"

    def get_rate(self):
        return settings.API_THROTTLE_RATES["anon"]

    def ident_for(self, request):
        if request.user and request.user.is_authenticated:
            return None
        return self.get_ident(request)


class AccountThrottle(WindowThrottle):
    scope = "user"

    def get_rate(self):
        return settings.API_THROTTLE_RATES["user"]

    def ident_for(self, request):
        if request.user and request.user.is_authenticated:
            return str(request.user.pk)
        return None
