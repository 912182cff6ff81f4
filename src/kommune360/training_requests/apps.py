from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingRequestsConfig(AppConfig):
    name = "kommune360.training_requests"
    label = "training_requests"
    verbose_name = _("Fortbildungsanträge")

    def ready(self):
        from kommune360.core.registry import PageExtra, PersonalData, registry

        from .page_extra import TEMPLATE, has_request, link_context, source_models
        from .personal_data import erase_personal_data, export_personal_data, identifiers

        # The apps that offer training requests register a ``TrainingRequestSource``
        # in their own ``ready()`` (atlas, events, learning).
        registry.add(
            PageExtra(
                "training_request",
                "actions",
                TEMPLATE,
                models=source_models,
                context=link_context,
                applies=has_request,
            )
        )
        registry.add(
            PersonalData(
                "training_requests",
                _("Fortbildungsanträge"),
                export_personal_data,
                erase_personal_data,
                identifiers,
            )
        )
