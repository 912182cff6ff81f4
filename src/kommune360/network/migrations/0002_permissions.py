"""Give the roles their network permissions (see kommune360.accounts.roles): the
Redaktion and the Administration mark Fellows, the Moderation handles reports."""

from django.db import migrations

FELLOWS = ["view_profile", "change_profile"]
REPORTS = ["view_report", "moderate_report"]
GRANTS = {
    "Redaktion": FELLOWS,
    "Administration": [*FELLOWS, *REPORTS],
    "Moderation": REPORTS,
}


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config("network")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GRANTS.items():
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="network", codename__in=codenames)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("network", "0001_initial"),
        ("accounts", "0003_roles"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
