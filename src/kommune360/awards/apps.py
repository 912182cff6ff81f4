from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AwardsConfig(AppConfig):
    name = "kommune360.awards"
    label = "awards"
    verbose_name = _("Auszeichnungen")

    def ready(self):
        from . import registration

        registration.register()
