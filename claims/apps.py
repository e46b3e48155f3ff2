from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = "Articles and claims"

    def ready(self):
        from django.core import checks

        from sources.signals import lineage_changed, sources_edited

        from .claimreview import check_publisher_url
        from .independence import on_lineage_changed
        from .services.review import on_sources_edited

        checks.register(check_publisher_url, checks.Tags.compatibility)
        # A source's lineage, title, kind or record changed: the stored independence of every
        # claim citing it, or a source resting on it, is refreshed in the same transaction.
        lineage_changed.connect(on_lineage_changed, dispatch_uid="claims.independence")
        # A desk edit of sources that published verdicts show puts those verdicts back in
        # review (claims.services.review.reopen_for_source_edits), in the same transaction.
        sources_edited.connect(on_sources_edited, dispatch_uid="claims.review")
