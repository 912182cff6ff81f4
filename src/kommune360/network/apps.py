from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "kommune360.network"
    label = "network"
    verbose_name = _("Netzwerk")

    def ready(self):
        from kommune360.core.registry import (
            AccountPage,
            DemoStep,
            Figure,
            NavigationEntry,
            PageDependency,
            PersonalData,
            SitemapSection,
            registry,
        )

        from . import dashboard, figures
        from .demo import DEMO_LOGINS, load_network_demo
        from .models import Profile
        from .personal_data import erase_personal_data, export_personal_data

        registry.add(NavigationEntry(_("Netzwerk"), "network:home", order=45))
        registry.add(AccountPage(_("Mein Netzwerkprofil"), "network:profile", order=40))
        registry.add(AccountPage(_("Kontakte im Netzwerk"), "network:contacts", order=41))
        registry.add(PageDependency(Profile))
        registry.add(
            PersonalData("network", _("Netzwerk"), export_personal_data, erase_personal_data)
        )
        registry.add(DemoStep("network", load_network_demo, order=60, logins=DEMO_LOGINS))
        registry.add(dashboard.PANEL)
        registry.add(SitemapSection("netzwerk", url_names=("network:home", "network:fellows")))
        registry.add(
            Figure("network.profiles", _("sichtbare Profile im Netzwerk"), figures.profiles)
        )
        registry.add(
            Figure("network.contacts", _("angenommene Kontaktanfragen"), figures.accepted_contacts)
        )
