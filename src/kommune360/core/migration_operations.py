"""What data migrations of several apps do alike."""


def grant_model_permissions(app_label, model_names, roles):
    """A ``RunPython`` function giving ``roles`` (group names) every permission on the
    models, creating the permissions first (Django normally creates them only after all
    migrations have run)."""

    def grant(apps, schema_editor):
        from django.contrib.auth.management import create_permissions

        app_config = apps.get_app_config(app_label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
        Group = apps.get_model("auth", "Group")
        Permission = apps.get_model("auth", "Permission")
        permissions = Permission.objects.filter(
            content_type__app_label=app_label, content_type__model__in=model_names
        )
        for name in roles:
            group, _created = Group.objects.get_or_create(name=name)
            group.permissions.add(*permissions)

    return grant
