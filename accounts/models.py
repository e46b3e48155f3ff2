"""API tokens, stored hashed (djangorestframework-api-key).

The database keeps a public prefix and a SHA-512 of the key, never the key: whoever reads the
database (or a backup) cannot use a token. The key is shown once, when it is issued. A token
belongs to one user, has a name (which tool holds it), may expire, and can be revoked for good.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models
from rest_framework_api_key.models import AbstractAPIKey, APIKeyManager


class ApiTokenManager(APIKeyManager):
    def get_usable_keys(self):
        # The user comes in the same query: authenticating a request costs one query, as before.
        return super().get_usable_keys().select_related("user")


class ApiToken(AbstractAPIKey):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )

    objects = ApiTokenManager()

    class Meta(AbstractAPIKey.Meta):
        verbose_name = "API token"
        verbose_name_plural = "API tokens"


class DeskMember(get_user_model()):
    """A fact-checker or an editor, as a desk lead manages them in the admin ("Desk members"):
    the same account as Django's user, seen through the desk's roles. Its permissions ("Can add
    desk member", ...) are what make a desk lead (``accounts.services.is_desk_lead``)."""

    class Meta:
        proxy = True
        verbose_name = "desk member"
        verbose_name_plural = "desk members"
