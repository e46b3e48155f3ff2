from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _ensure_index(sender, using, **kwargs):
    from django.db import connections

    from .index import ensure

    ensure(connections[using])


class MatchingConfig(AppConfig):
    name = "matching"
    verbose_name = "Matching and external fact-checks"

    def ready(self):
        # After every migrate: SQLite loses a table's triggers when Django rebuilds the table.
        post_migrate.connect(_ensure_index, sender=self, dispatch_uid="matching.ensure_index")
