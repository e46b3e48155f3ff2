"""Measure claim matching on CheckThat! 2020 Task 2 files, through the very code the claim
form, the admin search and the API use (matching.engine.similar).

The verified claims are loaded as external fact-checks into the database the command runs on,
inside a transaction that is rolled back at the end: nothing is kept. It refuses a database that
holds desk data (articles, claims or external fact-checks), so that a mistaken DATABASE_URL
never mixes evaluation rows into a desk's work. Run it on a scratch database:

    DATABASE_URL=sqlite:///var/eval.sqlite3 manage.py migrate
    DATABASE_URL=sqlite:///var/eval.sqlite3 manage.py evaluate_matching --claims ... --queries ...
        --qrels ...
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from claims.models import Article, Claim
from common.writes import service
from matching.engine import EXTERNAL, similar
from matching.evaluation import average_precision_at, read_qrels, read_tsv
from matching.models import ExternalFactCheck, ImportedFrom

DEPTH = 5


class Rollback(Exception):
    pass


@service
def _load_verified_claims(rows) -> dict[int, str]:
    """Each verified claim as an external fact-check; returns {fact-check id: vclaim id}."""
    checks = ExternalFactCheck.objects.bulk_create(
        [
            ExternalFactCheck(
                claim_reviewed=claim.strip() or title.strip(),
                title=title.strip()[:500],
                imported_from=ImportedFrom.EVALUATION,
            )
            for _, claim, title in rows
        ],
        batch_size=500,
    )
    if any(check.pk is None for check in checks):  # bulk_create returns ids on both databases
        checks = ExternalFactCheck.objects.order_by("pk")
    return {check.pk: row[0] for check, row in zip(checks, rows, strict=True)}


class Command(BaseCommand):
    help = "MAP@5 of claim matching on CheckThat! 2020 Task 2 files (on a scratch database)."

    def add_arguments(self, parser):
        parser.add_argument("--claims", required=True, type=Path, help="verified_claims.docs.tsv")
        parser.add_argument("--queries", required=True, type=Path, nargs="+")
        parser.add_argument("--qrels", required=True, type=Path, nargs="+")

    def handle(self, *args, claims, queries, qrels, **options):
        for path in [claims, *queries, *qrels]:
            if not path.is_file():
                raise CommandError(f"No such file: {path}")
        if Article.objects.exists() or Claim.objects.exists() or ExternalFactCheck.objects.exists():
            raise CommandError(
                "This database holds desk data (articles, claims or external fact-checks): "
                "evaluate on a scratch database (DATABASE_URL=sqlite:///var/eval.sqlite3, then "
                "manage.py migrate)."
            )
        rows = [row[:3] for row in read_tsv(claims) if len(row) >= 3]
        tweets = [row for path in queries for row in read_tsv(path) if len(row) >= 2]
        relevant = {}
        for path in qrels:
            relevant.update(read_qrels(path))
        if not rows or not tweets:
            raise CommandError("No verified claims or no queries in the files given.")
        try:
            with transaction.atomic():
                vclaim_of = _load_verified_claims(rows)
                if connection.vendor == "postgresql":
                    # Statistics for the planner, as autovacuum would take them after a load
                    # this size (it cannot see inside this transaction).
                    with connection.cursor() as cursor:
                        cursor.execute("ANALYZE matching_index")
                total = 0.0
                for tweet_id, text in tweets:
                    ranked = [
                        vclaim_of[match.pk]
                        for match in similar(text, limit=DEPTH, kinds=(EXTERNAL,))
                    ]
                    total += average_precision_at(ranked, relevant.get(tweet_id, set()), DEPTH)
                raise Rollback
        except Rollback:
            pass
        self.stdout.write(f"MAP@{DEPTH} {total / len(tweets):.4f} ({len(tweets)} queries)")
