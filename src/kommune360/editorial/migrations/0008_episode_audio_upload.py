"""Podcast episodes no longer link a Wagtail document for their audio (0007 copied the
files); the duration may be left empty in the form (read from the file) and the
publication date starts at now."""

import django.core.validators
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("editorial", "0007_episode_audio_from_documents"),
    ]

    operations = [
        migrations.RemoveField(model_name="episodepage", name="audio"),
        migrations.AlterField(
            model_name="episodepage",
            name="duration",
            field=models.PositiveIntegerField(
                blank=True,
                help_text="Leer lassen: Die Dauer wird aus der Audiodatei gelesen.",
                validators=[django.core.validators.MinValueValidator(1)],
                verbose_name="Dauer in Sekunden",
            ),
        ),
        migrations.AlterField(
            model_name="episodepage",
            name="published",
            field=models.DateTimeField(
                default=django.utils.timezone.now,
                help_text="Reihenfolge im Feed und auf der Seite.",
                verbose_name="Erscheinungsdatum",
            ),
        ),
    ]
