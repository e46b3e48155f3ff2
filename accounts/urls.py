"""Setting one's own password from an invitation's link (accounts.invitations)."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy


class AdminPageMixin:
    """The workspace's header and title on these pages (they are not admin views)."""

    def get_context_data(self, **kwargs):
        return {**admin.site.each_context(self.request), **super().get_context_data(**kwargs)}


class SetPasswordView(AdminPageMixin, auth_views.PasswordResetConfirmView):
    template_name = "accounts/set_password.html"
    success_url = reverse_lazy("accounts:password-set")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = (
            "Choose your password" if context["validlink"] else "This link no longer works"
        )
        return context


class PasswordSetView(AdminPageMixin, auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_set.html"
    title = "Your password is set"


app_name = "accounts"

urlpatterns = [
    path("account/set-password/<uidb64>/<token>/", SetPasswordView.as_view(), name="set-password"),
    path("account/password-set/", PasswordSetView.as_view(), name="password-set"),
]
