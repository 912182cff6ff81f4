"""The Redaktion and the Administration keep the figures, indicators and surveys."""

from django.db import migrations

from kommune360.core.migration_operations import grant_model_permissions

MODELS = ["manualfigure", "yearreport", "indicator", "target", "survey", "question"]


class Migration(migrations.Migration):
    dependencies = [("impact", "0001_initial"), ("accounts", "0003_roles")]

    operations = [
        migrations.RunPython(
            grant_model_permissions("impact", MODELS, ["Redaktion", "Administration"]),
            migrations.RunPython.noop,
        )
    ]
