"""Create the roles of kommune360 as groups (see kommune360.accounts.roles)."""

from django.db import migrations

RENAMES = {"Editors": "Redaktion", "Moderators": "Administration"}
ROLES = ["Mitglied", "Anbieter:in", "Redaktion", "Moderation", "Jury", "Administration"]
STAFF = ["Redaktion", "Moderation", "Jury", "Administration"]


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for old, new in RENAMES.items():
        if not Group.objects.filter(name=new).exists():
            Group.objects.filter(name=old).update(name=new)
    for name in ROLES:
        Group.objects.get_or_create(name=name)
    access_admin = Permission.objects.get(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
    for name in STAFF:
        Group.objects.get(name=name).permissions.add(access_admin)
    # Editors keep the taxonomy, municipalities and network snippets.
    editor_models = ["topic", "method", "targetgroup", "format", "municipality", "supporter", "person"]
    editor_perms = Permission.objects.filter(
        content_type__app_label="core",
        content_type__model__in=editor_models,
    )
    for name in ("Redaktion", "Administration"):
        Group.objects.get(name=name).permissions.add(*editor_perms)
    administration = Group.objects.get(name="Administration")
    administration.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="core",
            codename__in=["change_sitesettings", "view_auditentry"],
        ),
        *Permission.objects.filter(
            content_type__app_label="accounts", codename__in=["add_user", "change_user", "view_user"]
        ),
        *Permission.objects.filter(content_type__app_label="auth", codename="change_group"),
    )


def create_permissions(apps, schema_editor):
    # Permissions are normally created after all migrations ran; this migration needs
    # them now.
    from django.contrib.auth.management import create_permissions as create

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_initial"),
        ("core", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]

    operations = [
        migrations.RunPython(create_permissions, migrations.RunPython.noop),
        migrations.RunPython(create_roles, migrations.RunPython.noop),
    ]
