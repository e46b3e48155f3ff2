from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ops import databases


class Command(BaseCommand):
    help = (
        "Back up the whole database while the app serves: SQLite's online backup API, or "
        "pg_dump (custom format) on PostgreSQL. Prints the file written."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "path",
            nargs="?",
            help="Where to write it (default: var/backups/claimtracker-<UTC time>.sqlite3|.dump).",
        )

    def handle(self, *args, path, **options):
        db = databases.settings_for(None)
        if path is None:
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
            suffix = "sqlite3" if databases.is_sqlite(db) else "dump"
            path = Path(settings.BASE_DIR) / "var" / "backups" / f"claimtracker-{stamp}.{suffix}"
        path = Path(path)
        try:
            databases.backup(db, path)
        except Exception as error:
            raise CommandError(f"The backup failed, nothing was written: {error}") from error
        self.stdout.write(str(path))
