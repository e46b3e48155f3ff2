"""manage.py refresh_public: build the public read model (claims.public) again.

The services keep it up to date in the transaction of every write that changes what the public
reads (approval, withdrawal, an article's publication, the seed); this is for data loaded around
them, for a change of the templates or of a setting the public pages show (PUBLIC_SNAPSHOTS,
PUBLISHER_NAME), and to check it: --check reports every row that differs from a rebuild from the
frozen versions, changes nothing, and exits non-zero when one does; --missing builds it only when
it is empty (``make setup`` runs that).
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from claims import public
from claims.models import Claim, PublicClaim


class Command(BaseCommand):
    help = "Build the public read model from the published versions again (--check: compare)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--check", action="store_true", help="report the rows that differ and change nothing"
        )
        parser.add_argument("--missing", action="store_true", help="build it only if it is empty")

    def handle(self, *args, check=False, missing=False, **options):
        if check:
            differ = public.differences()
            if differ:
                shown = "\n".join(differ[:50])
                more = f"\n… and {len(differ) - 50} more" if len(differ) > 50 else ""
                raise CommandError(
                    f"{len(differ)} public row(s) differ from the published versions:\n"
                    f"{shown}{more}\nRun refresh_public to rebuild them."
                )
            self.stdout.write("The public read model matches the published versions.")
            return
        if missing and (
            PublicClaim.objects.exists()
            or not Claim.objects.filter(live_version__isnull=False).exists()
        ):
            self.stdout.write("The public read model is there already.")
            return
        with transaction.atomic():
            count = public.rebuild()
        self.stdout.write(f"Public read model rebuilt: {count} row(s) written or removed.")
