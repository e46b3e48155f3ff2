from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Desk members and tokens"

    def ready(self):
        from . import sign_in  # noqa: F401 (connects the sign-in throttle's success receiver)
