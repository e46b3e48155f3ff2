from django.contrib import admin
from rest_framework_api_key.admin import APIKeyModelAdmin
from rest_framework_api_key.models import APIKey

from .models import ApiToken

# The library's own key model is not used (tokens are ApiToken, tied to a desk account): its admin
# page would only show an empty, confusing second list of "API keys".
if admin.site.is_registered(APIKey):
    admin.site.unregister(APIKey)


@admin.register(ApiToken)
class ApiTokenAdmin(APIKeyModelAdmin):
    """Only the prefix is ever shown (the key itself is not stored). A token added here is shown
    once, in the message after saving; ticking "revoked" ends it for good."""

    list_display = ["prefix", "name", "user", "created", "expiry_date", "_has_expired", "revoked"]
    list_filter = ["revoked", "created"]
    search_fields = ["prefix", "name", "user__username"]
    list_select_related = ["user"]
    autocomplete_fields = ["user"]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return [*fields, "user"] if obj else fields
