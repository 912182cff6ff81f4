from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EditorialConfig(AppConfig):
    name = "kommune360.editorial"
    label = "editorial"
    verbose_name = _("Magazin, Podcast, Publikationen")

    def ready(self):
        from kommune360.core.registry import DemoStep, registry

        from .demo import load_editorial_demo

        registry.add(DemoStep("editorial", load_editorial_demo, order=20))
