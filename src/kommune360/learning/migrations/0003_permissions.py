"""The Redaktion and the Administration run Lernpfade in the Wagtail admin."""

from django.db import migrations

MODELS = [
    "learningpath",
    "module",
    "cohort",
    "cohortdate",
    "application",
    "attendance",
    "material",
    "feedback",
]


def create_permissions(apps, schema_editor):
    # Permissions are normally created after all migrations ran; these are needed now.
    from django.contrib.auth.management import create_permissions as create

    for label in ("learning", "core"):
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    perms = Permission.objects.filter(
        content_type__app_label="learning", content_type__model__in=MODELS
    ) | Permission.objects.filter(content_type__app_label="core", codename="view_certificate")
    for name in ("Redaktion", "Administration"):
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*perms)


class Migration(migrations.Migration):
    dependencies = [
        ("learning", "0002_cohort_area_material_feedback"),
        ("core", "0002_certificate"),
        ("accounts", "0003_roles"),
    ]

    operations = [
        migrations.RunPython(create_permissions, migrations.RunPython.noop),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
