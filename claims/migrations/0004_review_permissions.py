"""Editors approve, send back and withdraw verdicts; both roles read the audit trail."""

from django.db import migrations

AUDIT_MODELS = ["statechange", "reviewevent", "correctionnote"]


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    view_audit = Permission.objects.filter(
        content_type__app_label="claims", codename__in=[f"view_{m}" for m in AUDIT_MODELS]
    )
    publish = Permission.objects.get(content_type__app_label="claims", codename="publish_claim")
    for name in ("Fact-checkers", "Editors"):
        Group.objects.get(name=name).permissions.add(*view_audit)
    Group.objects.get(name="Editors").permissions.add(publish)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    perms = Permission.objects.filter(
        content_type__app_label="claims",
        codename__in=["publish_claim", *[f"view_{m}" for m in AUDIT_MODELS]],
    )
    for group in Group.objects.filter(name__in=["Fact-checkers", "Editors"]):
        group.permissions.remove(*perms)


class Migration(migrations.Migration):
    dependencies = [("claims", "0003_review_and_history"), ("claims", "0002_groups")]

    operations = [migrations.RunPython(grant, revoke)]
