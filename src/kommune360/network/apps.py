from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "kommune360.network"
    label = "network"
    verbose_name = _("Netzwerk")

    def ready(self):
        from datetime import timedelta

        from kommune360.core.registry import (
            AccountPage,
            DemoStep,
            Figure,
            NavigationEntry,
            PageDependency,
            Periodic,
            PersonalData,
            SitemapSection,
            registry,
        )

        from . import dashboard, figures
        from .demo import DEMO_LOGINS, load_network_demo
        from .matching import survey
        from .matching.tasks import send_follow_ups_task
        from .models import Profile
        from .personal_data import erase_personal_data, export_personal_data, identifiers

        registry.add(NavigationEntry(_("Netzwerk"), "network:home", order=45))
        registry.add(AccountPage(_("Mein Netzwerkprofil"), "network:profile", order=40))
        registry.add(AccountPage(_("Kontakte im Netzwerk"), "network:contacts", order=41))
        registry.add(AccountPage(_("It’s a Match!"), "network:rounds", order=42))
        registry.add(survey.SUBJECT)
        # Daily: the "Wie läuft euer Tandem?" question three months after a release.
        registry.add(Periodic("network.send_follow_ups", send_follow_ups_task, timedelta(days=1)))
        registry.add(PageDependency(Profile))
        registry.add(
            PersonalData(
                "network", _("Netzwerk"), export_personal_data, erase_personal_data, identifiers
            )
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
        registry.add(
            Figure(
                "network.tandems",
                _("Tandems aus „It’s a Match!“"),
                figures.accepted_tandems,
                stage=3,
                method=_(
                    "Gezählt werden vorgeschlagene Tandems, die beide Seiten angenommen haben, "
                    "im Jahr der Freigabe der Runde."
                ),
            )
        )
        registry.add(
            Figure(
                "network.tandems_going_well",
                _("Antworten „Unser Tandem läuft gut“"),
                figures.tandems_going_well,
                stage=4,
                method=_(
                    "Drei Monate nach der Freigabe fragen wir beide Seiten „Wie läuft euer "
                    "Tandem?“; gezählt werden die Antworten „sehr gut“ und „gut“."
                ),
            )
        )
