from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ops import databases


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup` into an empty database: the configured one, "
        "or --into DATABASE_URL. Refuses a database that already has tables."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The backup file.")
        parser.add_argument(
            "--into", default=None, help="The database to restore into (a DATABASE_URL)."
        )

    def handle(self, *args, path, into, **options):
        path = Path(path)
        if not path.is_file():
            raise CommandError(f"There is no backup file at {path}.")
        db = databases.settings_for(into)
        kind = databases.backup_kind(path)
        if kind is None:
            raise CommandError(
                f"{path} is not a backup this command reads: neither an SQLite database nor a "
                "pg_dump file (custom format or plain SQL), by its first bytes."
            )
        if databases.is_sqlite(db) != (kind == "sqlite"):
            into_kind = "SQLite" if databases.is_sqlite(db) else "PostgreSQL"
            raise CommandError(
                f"{path} is {'an SQLite database' if kind == 'sqlite' else 'a pg_dump file'}, "
                f"and the database to restore into is {into_kind}: SQLite backups restore into "
                "SQLite, pg_dump files into PostgreSQL."
            )
        if databases.has_tables(db):
            raise CommandError(
                f"{db['NAME']} already has tables: restore into an empty database (create a new "
                "one, or move the old file away), so that nothing is mixed."
            )
        try:
            databases.restore(db, path)
        except Exception as error:
            raise CommandError(f"The restore failed: {error}") from error
        self.stdout.write(f"Restored {path} into {db['NAME']}.")
