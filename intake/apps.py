from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "intake"
    verbose_name = "Article intake"

    def ready(self):
        from django.core import checks

        from .checks import check_fetch_test_setting

        checks.register(check_fetch_test_setting, checks.Tags.security, deploy=True)
