from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "kommune360.core"
    label = "core"
    verbose_name = _("Grundlagen")

    def ready(self):
        from datetime import timedelta

        from django.db.models.signals import post_delete, post_save, pre_save
        from wagtail.signals import page_published, page_unpublished

        from . import models, synonyms  # noqa: F401 (synonyms: its signal receivers)
        from .cache import invalidate_pages
        from .demo import load_core_demo
        from .registry import DemoStep, Periodic, registry
        from .tasks import forget_import_files, recover_import_jobs
        from .text import clean_one_line_fields

        # One-line fields of every model lose control characters, however they are saved.
        pre_save.connect(clean_one_line_fields, dispatch_uid="core-one-line-fields")

        # Any change editors make to what every page shows empties the page cache.
        page_published.connect(invalidate_pages, dispatch_uid="pagecache-published")
        page_unpublished.connect(invalidate_pages, dispatch_uid="pagecache-unpublished")
        for model in (
            models.SiteSettings,
            models.Supporter,
            models.Topic,
            models.Method,
            models.TargetGroup,
            models.Format,
        ):
            post_save.connect(
                invalidate_pages, sender=model, dispatch_uid=f"pagecache-{model.__name__}"
            )
            post_delete.connect(
                invalidate_pages, sender=model, dispatch_uid=f"pagecache-del-{model.__name__}"
            )

        registry.add(DemoStep("core", load_core_demo, order=10))
        registry.add(Periodic("core.recover_imports", recover_import_jobs, timedelta(minutes=5)))
        registry.add(Periodic("core.forget_import_files", forget_import_files, timedelta(days=1)))
