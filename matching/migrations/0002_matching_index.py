"""The matching index and the triggers that keep it (matching.index): an FTS5 table on SQLite,
a stored tsvector under a GIN index on PostgreSQL, where pg_trgm's similarity reranks."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


def create(apps, schema_editor):
    from matching.index import ensure

    ensure(schema_editor.connection)


def drop(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TABLE IF EXISTS matching_fts")
            for table in ("claims_claim", "matching_externalfactcheck"):
                for event in ("insert", "update", "delete"):
                    cursor.execute(f"DROP TRIGGER IF EXISTS matching_{table}_{event}")
        elif connection.vendor == "postgresql":
            cursor.execute("DROP TABLE IF EXISTS matching_index")
            for table in ("claims_claim", "matching_externalfactcheck"):
                cursor.execute(f"DROP FUNCTION IF EXISTS matching_index_{table}() CASCADE")


class Migration(migrations.Migration):
    dependencies = [
        ("matching", "0001_external_fact_checks"),
        ("claims", "0015_verdict_authors_and_second_reader"),
    ]

    operations = [
        TrigramExtension(),  # on PostgreSQL only (Django skips it on other databases)
        migrations.RunPython(create, drop, elidable=False),
    ]
