"""Desk members as a desk lead manages them (a proxy of Django's user), and the group "Desk leads":
its members add and change fact-checkers and editors and issue, change and revoke API tokens
from the admin (accounts.services), without being superusers."""

import django.contrib.auth.models
from django.db import migrations

LEAD_PERMISSIONS = [
    "add_deskmember",
    "change_deskmember",
    "view_deskmember",
    "add_apitoken",
    "change_apitoken",
    "view_apitoken",
]


def create_leads(apps, schema_editor):
    # Permissions are normally made after migrate; make them now so the group can hold them.
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    leads, _ = Group.objects.get_or_create(name="Desk leads")
    leads.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="accounts", codename__in=LEAD_PERMISSIONS
        )
    )


def remove_leads(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Desk leads").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_forget_clear_tokens"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.CreateModel(
            name="DeskMember",
            fields=[],
            options={
                "verbose_name": "desk member",
                "verbose_name_plural": "desk members",
                "proxy": True,
                "indexes": [],
                "constraints": [],
            },
            bases=("auth.user",),
            managers=[("objects", django.contrib.auth.models.UserManager())],
        ),
        migrations.RunPython(create_leads, remove_leads),
    ]
