from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "kommune360.core"
    label = "core"
    verbose_name = _("Grundlagen")

    def ready(self):
        from datetime import timedelta

        from django.db.backends.signals import connection_created
        from django.db.models.signals import pre_save
        from django.urls import register_converter
        from wagtail.models import PageViewRestriction, Site

        from .http import IdConverter

        # Every URL pattern takes ids as <id:...> (core.http): never beyond 64 bits.
        register_converter(IdConverter, "id")

        from . import models, synonyms  # noqa: F401 (synonyms: its signal receivers)
        from .cache import connect_invalidation
        from .dashboard import IMPORTS_PANEL
        from .demo import load_core_demo
        from .personal_data import core_identifiers, erase_core, export_core
        from .registry import DemoStep, PageDependency, Periodic, PersonalData, registry
        from .sorting import connect_sqlite
        from .tasks import forget_import_files, recover_import_jobs
        from .text import clean_one_line_fields

        # One-line fields of every model lose control characters, however they are saved.
        pre_save.connect(clean_one_line_fields, dispatch_uid="core-one-line-fields")
        # SQLite gets the function that orders names by the numbers in them (core.sorting).
        connection_created.connect(connect_sqlite, dispatch_uid="core-natural-key")

        from django.db.models.signals import post_delete, post_save
        from wagtail.models import Locale

        from .languages import forget_locales

        post_save.connect(forget_locales, sender=Locale, dispatch_uid="core-locales-saved")
        post_delete.connect(forget_locales, sender=Locale, dispatch_uid="core-locales-deleted")

        connect_invalidation()
        from .forms import give_wagtail_forms_the_site_messages

        give_wagtail_forms_the_site_messages()
        # What every page shows (settings, supporters in the layout), the taxonomy, and
        # people and municipalities named on articles, episodes and offers.
        for model in (
            Site,  # which page tree a host serves
            PageViewRestriction,  # private pages leave lists and the search
            models.SiteSettings,
            models.Supporter,
            models.Person,
            models.Municipality,
            models.Topic,
            models.Method,
            models.TargetGroup,
            models.Format,
            models.SynonymGroup,  # search results on lists
        ):
            registry.add(PageDependency(model))

        # Last in erasure: the apps' own erasure may still write to the audit log.
        registry.add(
            PersonalData(
                "core",
                _("Teilnahmebescheinigungen, Protokoll und ausgehende E-Mails"),
                export_core,
                erase_core,
                core_identifiers,
                order=1000,
            )
        )
        registry.add(DemoStep("core", load_core_demo, order=10))
        # Imports of every kind (atlas, newsletter) in one panel of the dashboard.
        registry.add(IMPORTS_PANEL)
        registry.add(Periodic("core.recover_imports", recover_import_jobs, timedelta(minutes=5)))
        registry.add(Periodic("core.forget_import_files", forget_import_files, timedelta(days=1)))
