"""Rate limits: per address for anonymous clients, per account (token or session) for the rest.

Rates are read from settings when a request comes (API_THROTTLE_RATES), so they can be changed
per deployment. Over the limit: 429 with Retry-After.
"""

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


class AnonymousThrottle(AnonRateThrottle):
    def get_rate(self):
        return settings.API_THROTTLE_RATES["anon"]


class AccountThrottle(UserRateThrottle):
    def get_rate(self):
        return settings.API_THROTTLE_RATES["user"]
