"""manage.py rebuild_provenance: recompute the provenance closure table from the links.

The services keep the table up to date with every change; this is for data loaded around them
(a bulk import, a restore) and to check the table: --check reports any difference and changes
nothing.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from sources.models import SourceAncestor
from sources.provenance import closure_rows, rebuild_closure
from sources.signals import lineage_changed


class Command(BaseCommand):
    help = "Recompute the provenance closure table (sources resting on sources) from the links."

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="compare the table with a fresh computation and change nothing",
        )

    def handle(self, *args, check=False, **options):
        with transaction.atomic():
            before = closure_rows()
            count = rebuild_closure()
            after = closure_rows()
            missing, extra = after - before, before - after
            if check:
                transaction.set_rollback(True)
            elif missing or extra:
                # What is computed from lineages (claims' independence) follows the rebuilt rows.
                changed = {source_id for source_id, _, _ in missing | extra}
                lineage_changed.send(sender=SourceAncestor, source_ids=changed)
        if check and (missing or extra):
            raise CommandError(
                f"The closure table differs from its links: {len(missing)} row(s) missing, "
                f"{len(extra)} row(s) that should not be there. Run rebuild_provenance to fix it."
            )
        verb = "checked" if check else "rebuilt"
        self.stdout.write(f"Provenance closure {verb}: {count} rows.")
