"""A GIN index for the API's full-text search of claims, on PostgreSQL only.

The expression was exactly the one claims.api.filters.search_claims searched with (Django's
SearchVector over wording, quote and rationale, English configuration), so the planner uses it.
SQLite has no such index. Dropped in 0019, once claim search ranked by similarity (matching).
"""

from django.db import migrations

INDEX = "claim_search_gin_idx"
EXPRESSION = (
    "to_tsvector('english'::regconfig, "
    "COALESCE(wording, '') || ' ' || COALESCE(quote, '') || ' ' || COALESCE(rationale, ''))"
)


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON claims_claim USING gin ({EXPRESSION})"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("claims", "0004_review_permissions")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
