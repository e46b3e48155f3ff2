from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from claims.seed import SeedError, load_seed


class Command(BaseCommand):
    help = "Load the seed articles in seeds/*.toml. Safe to run again: what exists is left alone."

    def add_arguments(self, parser):
        parser.add_argument(
            "files", nargs="*", type=Path, help="Seed files to load (default: every seeds/*.toml)."
        )

    def handle(self, *args, files, **options):
        files = files or sorted((Path(settings.BASE_DIR) / "seeds").glob("*.toml"))
        if not files:
            raise CommandError("No seed files found in seeds/.")
        for path in files:
            try:
                report = load_seed(path)
            except (SeedError, OSError) as error:
                raise CommandError(f"{path}: {error}") from error
            self.stdout.write(f"{path.name}: {report}")
