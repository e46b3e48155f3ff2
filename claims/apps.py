from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = "Articles and claims"

    def ready(self):
        from django.core import checks

        from .claimreview import check_publisher_url

        checks.register(check_publisher_url, checks.Tags.compatibility)
