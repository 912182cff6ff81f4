"""Give the roles their Mitdenken permissions (see kommune360.accounts.roles)."""

from django.db import migrations

MODERATION = ["moderate_contribution", "view_contribution", "view_followup", "change_followup"]
GRANTS = {
    "Moderation": MODERATION,
    "Administration": [*MODERATION, "add_call", "change_call", "delete_call", "view_call"],
    # The editors follow up cooperation interests and keep the text of the call.
    "Redaktion": ["view_followup", "change_followup", "add_call", "change_call", "delete_call",
                  "view_call"],
}


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config("participation")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GRANTS.items():
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="participation", codename__in=codenames
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("participation", "0001_initial"),
        ("accounts", "0003_roles"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
