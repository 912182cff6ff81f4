from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "kommune360.api"
    label = "api"
    verbose_name = _("Offene Daten")

    def ready(self):
        from kommune360.core.registry import (
            AccountPage,
            FooterLink,
            PagelessPath,
            PersonalData,
            registry,
        )

        from . import tokens
        from .middleware import PREFIX
        from .personal_data import erase_personal_data, export_personal_data

        # The datasets page links the API's reference.
        registry.add(FooterLink(_("Offene Daten"), "open_data:datasets", order=10))
        registry.add(AccountPage(_("API-Schlüssel"), "api:tokens", 35, tokens.may_have_tokens))
        registry.add(
            PersonalData("api", _("API-Schlüssel"), export_personal_data, erase_personal_data)
        )
        registry.add(PagelessPath(PREFIX))  # JSON only: no page cache, no layout
