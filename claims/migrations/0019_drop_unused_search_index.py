"""Drops 0005's GIN index (PostgreSQL only): nothing searches with its expression any more.

Claim search (the admin's, the API's ``q=``, the public's) ranks by similarity through the
matching app's own index (matching/index.py), so this index only cost every claim write its
upkeep. Reversing makes it again, as 0005 did.
"""

from django.db import migrations

INDEX = "claim_search_gin_idx"
EXPRESSION = (
    "to_tsvector('english'::regconfig, "
    "COALESCE(wording, '') || ' ' || COALESCE(quote, '') || ' ' || COALESCE(rationale, ''))"
)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON claims_claim USING gin ({EXPRESSION})"
        )


class Migration(migrations.Migration):
    dependencies = [("claims", "0018_freeze_what_was_published")]

    operations = [migrations.RunPython(drop, create, elidable=False)]
