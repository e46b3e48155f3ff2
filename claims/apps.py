from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = "Articles and claims"

    def ready(self):
        from django.core import checks

        from sources.signals import lineage_changed

        from .claimreview import check_publisher_url
        from .independence import on_lineage_changed

        checks.register(check_publisher_url, checks.Tags.compatibility)
        # A source's lineage, title, kind or record changed: the stored independence of every
        # claim citing it, or a source resting on it, is refreshed in the same transaction.
        lineage_changed.connect(on_lineage_changed, dispatch_uid="claims.independence")
