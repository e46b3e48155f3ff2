"""Tokens used to be stored in clear (rest_framework.authtoken). Those rows are deleted: a key that
anyone with the database could read is not a secret any more. Holders get a new token from
`manage.py issue_token USER` (README "The REST API")."""

from django.db import migrations


def forget_clear_tokens(apps, schema_editor):
    connection = schema_editor.connection
    if "authtoken_token" in connection.introspection.table_names():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM authtoken_token")


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_api_tokens")]

    operations = [migrations.RunPython(forget_clear_tokens, migrations.RunPython.noop)]
