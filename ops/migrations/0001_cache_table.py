"""The database cache's table (the rate-limit counters every worker shares, common/cache.py),
made by migrate itself: every way of making a database (make run, CI's Schemathesis server, the
benchmarks, a deployment's own migrate) then has it. Nothing happens with Redis (CACHE_URL), or
when the table exists; createcachetable's own command does the same for older databases."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    initial = True
    dependencies = []
    operations = [
        migrations.RunPython(create_cache_table, migrations.RunPython.noop, elidable=False)
    ]
