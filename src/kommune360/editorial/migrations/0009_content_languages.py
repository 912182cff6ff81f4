"""Pages in German and English (decision 0080): the locales, and who may translate.

Existing pages keep (or get) the German locale; the English counterparts of existing
pages are made after the migration (``editorial.translations.sync_page_tree``, run on
``post_migrate``), with the page models of the code rather than these frozen ones.
"""

from django.db import migrations

from kommune360.core.migration_operations import grant_model_permissions

LANGUAGES = ("de", "en")


def create_locales(apps, schema_editor):
    Locale = apps.get_model("wagtailcore", "Locale")
    Page = apps.get_model("wagtailcore", "Page")
    german, _created = Locale.objects.get_or_create(language_code="de")
    for code in LANGUAGES[1:]:
        Locale.objects.get_or_create(language_code=code)
    # Pages of a locale that is no content language any more are German pages.
    Page.objects.exclude(locale__language_code__in=LANGUAGES).update(locale=german)


class Migration(migrations.Migration):
    dependencies = [
        ("editorial", "0008_episode_audio_upload"),
        ("wagtailcore", "0098_apitoken"),
        ("simple_translation", "0001_initial"),
        ("accounts", "0003_roles"),
    ]

    operations = [
        migrations.RunPython(create_locales, migrations.RunPython.noop),
        migrations.RunPython(
            grant_model_permissions(
                "simple_translation", ["simpletranslation"], ["Redaktion", "Administration"]
            ),
            migrations.RunPython.noop,
        ),
    ]
