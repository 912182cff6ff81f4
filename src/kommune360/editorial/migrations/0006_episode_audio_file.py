"""Podcast episodes get a file field of their own for the audio (uploaded in the
episode form, kept in the private storage, served only by the counting download view)
next to the old link to a Wagtail document, which may now be empty. 0007 copies the
files, 0008 removes the link.

Three migrations, not one: PostgreSQL refuses to alter a table in the transaction that
changed rows referring to it ("pending trigger events"), so the copy runs apart from
the changes of the tables.
"""

from django.db import migrations, models

import kommune360.core.storage


class Migration(migrations.Migration):
    dependencies = [
        ("editorial", "0005_search_terms_offer_link"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]

    operations = [
        # Nullable, so that going back can fill it again before it is required.
        migrations.AlterField(
            model_name="episodepage",
            name="audio",
            field=models.ForeignKey(
                null=True,
                on_delete=models.deletion.PROTECT,
                related_name="+",
                to="wagtaildocs.document",
                verbose_name="Audiodatei (MP3)",
            ),
        ),
        migrations.AddField(
            model_name="episodepage",
            name="audio_file",
            field=models.FileField(
                default="",
                help_text="MP3, M4A, OGG oder WAV, höchstens 300 MB.",
                max_length=255,
                storage=kommune360.core.storage.private_storage,
                upload_to="podcast/%Y/",
                verbose_name="Audiodatei",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="episodepage",
            name="audio_size",
            field=models.PositiveBigIntegerField(
                default=0, editable=False, verbose_name="Größe der Audiodatei in Bytes"
            ),
        ),
    ]
