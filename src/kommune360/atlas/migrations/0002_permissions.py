"""The Redaktion and the Administration keep the atlas in the Wagtail admin."""

from django.db import migrations


def create_permissions(apps, schema_editor):
    # Permissions are normally created after all migrations ran; this one needs them now.
    from django.contrib.auth.management import create_permissions as create

    app_config = apps.get_app_config("atlas")
    app_config.models_module = True
    create(app_config, apps=apps, verbosity=0)
    app_config.models_module = None


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    perms = Permission.objects.filter(
        content_type__app_label="atlas",
        content_type__model__in=["offer", "provider", "analysistext"],
    )
    for name in ("Redaktion", "Administration"):
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*perms)


class Migration(migrations.Migration):
    dependencies = [
        ("atlas", "0001_initial"),
        ("accounts", "0003_roles"),
    ]

    operations = [
        migrations.RunPython(create_permissions, migrations.RunPython.noop),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
