"""The Redaktion and the Administration run the newsletter in the Wagtail admin."""

from django.db import migrations


def create_permissions(apps, schema_editor):
    # Permissions are normally created after all migrations ran; these are needed now.
    from django.contrib.auth.management import create_permissions as create

    app_config = apps.get_app_config("newsletter")
    app_config.models_module = True
    create(app_config, apps=apps, verbosity=0)
    app_config.models_module = None


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    perms = Permission.objects.filter(
        content_type__app_label="newsletter",
        content_type__model__in=["topic", "subscriber", "campaign", "importjob"],
    )
    for name in ("Redaktion", "Administration"):
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*perms)


class Migration(migrations.Migration):
    dependencies = [
        ("newsletter", "0003_import_job"),
        ("accounts", "0003_roles"),
    ]

    operations = [
        migrations.RunPython(create_permissions, migrations.RunPython.noop),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
