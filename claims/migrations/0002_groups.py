"""The two roles of a fact-checking desk, as groups with their model permissions.

Fact-checkers record articles, claims, sources and evidence. Editors can do all of that too (a
desk's editor often checks as well); what sets them apart, approving verdicts for publication,
comes with the review workflow.
"""

from django.db import migrations

WORK_MODELS = {
    "claims": ["article", "claim", "evidence"],
    "sources": ["outlet", "source", "provenance"],
}
GROUPS = {
    "Fact-checkers": ["add", "change", "view", "delete"],
    "Editors": ["add", "change", "view", "delete"],
}


def create_groups(apps, schema_editor):
    # Permissions are normally made after migrate; make them now so the groups can hold them.
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, actions in GROUPS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        codenames = [
            f"{action}_{model}"
            for models in WORK_MODELS.values()
            for model in models
            for action in actions
        ]
        perms = Permission.objects.filter(
            content_type__app_label__in=WORK_MODELS, codename__in=codenames
        )
        group.permissions.add(*perms)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0001_initial"),
        ("sources", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
