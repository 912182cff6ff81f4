from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "kommune360.accounts"
    label = "accounts"
    verbose_name = _("Konto")

    def ready(self):
        from kommune360.core.registry import DemoStep, PersonalData, registry

        from . import second_factor  # noqa: F401  (registers its deploy check)
        from .demo import DEMO_LOGINS, load_accounts_demo
        from .personal_data import account_identifiers, erase_account, export_account

        registry.add(
            PersonalData("accounts", _("Konto"), export_account, erase_account, account_identifiers)
        )
        registry.add(DemoStep("accounts", load_accounts_demo, order=15, logins=DEMO_LOGINS))
