"""The Redaktion and the Administration run rounds; the Jury reviews."""

from django.db import migrations


def create_permissions(apps, schema_editor):
    # Permissions are normally created after all migrations ran; these are needed now.
    from django.contrib.auth.management import create_permissions as create

    app_config = apps.get_app_config("awards")
    app_config.models_module = True
    create(app_config, apps=apps, verbosity=0)
    app_config.models_module = None


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editing = Permission.objects.filter(content_type__app_label="awards").exclude(
        codename="review_application"
    )
    for name in ("Redaktion", "Administration"):
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*editing)
    jury, _ = Group.objects.get_or_create(name="Jury")
    jury.permissions.add(
        *Permission.objects.filter(content_type__app_label="awards", codename="review_application")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("awards", "0001_initial"),
        ("accounts", "0003_roles"),
    ]

    operations = [
        migrations.RunPython(create_permissions, migrations.RunPython.noop),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
