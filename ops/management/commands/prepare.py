"""manage.py prepare: bring this instance up to date in one start-up.

``make setup``, ``make run`` and ``make dev`` run this instead of five commands (each Django
start-up costs about a second, and collectstatic re-hashes and compresses every file each time:
35 seconds here). In order: the migrations, the seed (what exists is left alone), the
independence blocks of claims that have none, the database cache's table, the first admin account, and with ``--static``
the collected static files, only when a source file changed since the last collection.

The first account's password is printed once. ``--password-file`` writes it to a file
(readable by its owner only) instead, for the caller to show once the server is up: ``make run``
prints it last and alone, after the install and start-up logs (``ops/serve.py`` deletes the
file once it has shown it).
"""

import hashlib
import os
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.finders import get_finders
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection

from common.cache import set_logged


def static_sources_fingerprint() -> str:
    """A digest of every static file the finders see (its name, size and modification time):
    what collectstatic would collect. Reading names and sizes costs milliseconds; collecting
    again costs half a minute."""
    digest = hashlib.sha256()
    seen = set()
    for finder in get_finders():
        for path, storage in finder.list(["CVS", ".*", "*~"]):
            prefixed = os.path.join(getattr(storage, "prefix", None) or "", path)
            if prefixed in seen:
                continue  # the first finder's file wins, as collectstatic does
            seen.add(prefixed)
            stat = os.stat(storage.path(path))
            digest.update(f"{prefixed}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    digest.update(settings.STORAGES["staticfiles"]["BACKEND"].encode())
    return digest.hexdigest()


class Command(BaseCommand):
    help = (
        "Migrate, load the seed, store missing independence blocks, create the first admin "
        "and (with --static) collect the static files when they changed: one start-up."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--static",
            action="store_true",
            help="collect the static files too (skipped when no source file changed)",
        )
        parser.add_argument(
            "--password-file",
            type=Path,
            help="write the first account's password here instead of printing it",
        )

    def handle(self, *args, static=False, password_file=None, **options):
        call_command("migrate", interactive=False, verbosity=options["verbosity"])
        # The rate-limit counters' table when the cache is the database (no CACHE_URL): every
        # worker counts there. Nothing happens when it exists, or with Redis.
        call_command("createcachetable")
        set_logged(connection, logged=False)  # one createcachetable has just made (PostgreSQL)
        call_command("load_seed")
        call_command("refresh_independence", missing=True)
        call_command("refresh_public", missing=True)
        if static:
            self.collect_static()
        call_command("create_first_admin", password_file=password_file)

    def collect_static(self):
        root = Path(settings.STATIC_ROOT)
        fingerprint = static_sources_fingerprint()
        # Beside the collected files, not among them (WhiteNoise serves whatever is in there).
        stamp = Path(settings.BASE_DIR) / "var" / "static-sources.sha256"
        manifest_ok = (root / "staticfiles.json").exists() or not settings.STATIC_MANIFEST
        if manifest_ok and stamp.exists() and stamp.read_text() == fingerprint:
            self.stdout.write("Static files: unchanged since the last collection.")
            return
        call_command("collectstatic", interactive=False, verbosity=0)
        stamp.write_text(fingerprint)
        self.stdout.write(f"Static files: collected into {root}.")
