from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingRequestsConfig(AppConfig):
    name = "kommune360.training_requests"
    label = "training_requests"
    verbose_name = _("Fortbildungsanträge")

    def ready(self):
        from django.utils.module_loading import autodiscover_modules

        from kommune360.core.registry import PersonalData, registry

        from .personal_data import erase_personal_data, export_personal_data, identifiers

        # Each app that offers training requests registers its source in its own
        # ``training_request`` module (learning, events, atlas).
        autodiscover_modules("training_request")
        registry.add(
            PersonalData(
                "training_requests",
                _("Fortbildungsanträge"),
                export_personal_data,
                erase_personal_data,
                identifiers,
            )
        )
