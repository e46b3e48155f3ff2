"""The claim's assignee is chosen from the desk: a search over active staff, for every desk member.

Django's autocomplete answers with the target model's admin, and asks that admin whether the
person may view users: only superusers may, so desk staff got "The results could not be
loaded" (403). The user admin stays closed to them; only its answer to the assignee
autocomplete is opened, to anyone who may change claims, and lists active staff only.
"""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from claims.permissions import may_change_claims

User = get_user_model()


def desk_members():
    """Who can be assigned a claim: active staff accounts."""
    return User.objects.filter(is_active=True, is_staff=True)


def is_assignee_search(request) -> bool:
    match = getattr(request, "resolver_match", None)
    return (
        match is not None
        and match.url_name == "autocomplete"
        and request.GET.get("app_label") == "claims"
        and request.GET.get("model_name") == "claim"
        and request.GET.get("field_name") == "assignee"
    )


class DeskUserAdmin(UserAdmin):
    def has_view_permission(self, request, obj=None):
        if super().has_view_permission(request, obj):
            return True
        return obj is None and is_assignee_search(request) and may_change_claims(request.user)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if is_assignee_search(request):
            return queryset.filter(is_active=True, is_staff=True)
        return queryset


if admin.site.is_registered(User):
    # Re-registered with the same options (django.contrib.auth's UserAdmin) plus the above.
    admin.site.unregister(User)
admin.site.register(User, DeskUserAdmin)
