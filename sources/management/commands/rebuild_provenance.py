"""manage.py rebuild_provenance: recompute the provenance closure table from the links.

The services keep the table up to date with every change; this is for data loaded around them
(a bulk import, a restore) and to check the table: --check reports any difference and changes
nothing.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from sources.provenance import closure_rows, rebuild_closure


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
            if check:
                transaction.set_rollback(True)
        missing, extra = after - before, before - after
        if check and (missing or extra):
            raise CommandError(
                f"The closure table differs from its links: {len(missing)} row(s) missing, "
                f"{len(extra)} row(s) that should not be there. Run rebuild_provenance to fix it."
            )
        verb = "checked" if check else "rebuilt"
        self.stdout.write(f"Provenance closure {verb}: {count} rows.")
