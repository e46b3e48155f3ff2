"""On PostgreSQL the rate-limit counters' table is UNLOGGED (common/cache.py ``set_logged``): a
count no longer waits for the write-ahead log. Reversed, it is logged again."""

from django.db import migrations

from common.cache import set_logged


def unlogged(apps, schema_editor):
    set_logged(schema_editor.connection, logged=False)


def logged(apps, schema_editor):
    set_logged(schema_editor.connection, logged=True)


class Migration(migrations.Migration):
    dependencies = [("ops", "0001_cache_table")]
    operations = [migrations.RunPython(unlogged, logged, elidable=False)]
