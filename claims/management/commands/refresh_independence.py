"""manage.py refresh_independence: compute and store every claim's independence block again.

The services keep the stored blocks up to date with every write (see claims.independence); this
is for data loaded around them (a bulk import, a restore, an upgrade from before the blocks were
stored) and to check them: --check reports the claims whose stored block differs from a fresh
computation, and changes nothing; --missing stores only the blocks of claims that have none
(``make setup`` runs it: a database from before the blocks were stored gets them once).
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from claims.independence import refresh, refresh_all, stored_blocks
from claims.models import Claim


class Command(BaseCommand):
    help = "Compute and store every claim's independence block (desk and public) again."

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="compare the stored blocks with a fresh computation and change nothing",
        )
        parser.add_argument(
            "--missing",
            action="store_true",
            help="store the blocks of the claims that have none yet, and leave the others",
        )

    def handle(self, *args, check=False, missing=False, **options):
        if missing:
            with transaction.atomic():
                count = refresh(
                    Claim.objects.filter(stored_independence__isnull=True).values_list(
                        "pk", flat=True
                    )
                )
            self.stdout.write(f"Independence stored for {count} claim(s) that had none.")
            return
        with transaction.atomic():
            before = stored_blocks()
            count = refresh_all()
            after = stored_blocks()
            if check:
                transaction.set_rollback(True)
        differ = sorted(pk for pk in after if before.get(pk) != after[pk])
        if check and differ:
            shown = ", ".join(f"#{pk}" for pk in differ[:20])
            more = f" and {len(differ) - 20} more" if len(differ) > 20 else ""
            raise CommandError(
                f"{len(differ)} claim(s) have a stored independence block that differs from "
                f"their evidence and provenance ({shown}{more}). Run refresh_independence to fix "
                "them."
            )
        verb = "checked" if check else "stored"
        self.stdout.write(f"Independence {verb} for {count} claim(s).")
