from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AtlasConfig(AppConfig):
    name = "kommune360.atlas"
    label = "atlas"
    verbose_name = _("Angebotsatlas")

    def ready(self):
        from kommune360.core.registry import (
            AccountPage,
            Commentable,
            DemoStep,
            NavigationEntry,
            NewsletterItem,
            PageDependency,
            Periodic,
            PersonalData,
            Searchable,
            registry,
        )

        from . import (
            api_resources,
            dashboard,
            provider_requests,
            signals,  # noqa: F401
            training_request,
        )
        from .analysis import SECTIONS
        from .demo import DEMO_LOGINS, load_atlas_demo
        from .models import AnalysisText, Offer, Provider
        from .personal_data import erase_personal_data, export_personal_data
        from .tasks import remind_stale_offers

        registry.add(NavigationEntry(_("Angebote"), "atlas:list", order=20))
        # Providers reach their offers from "Mein Konto", everyone else the request.
        maintains = provider_requests.maintains_offers
        registry.add(AccountPage(_("Meine Angebote"), "atlas:manage", 30, maintains))
        registry.add(
            AccountPage(
                _("Anbieter:in werden"), "atlas:become_provider", 30, lambda u: not maintains(u)
            )
        )
        for model in (Offer, Provider, AnalysisText):
            registry.add(PageDependency(model))
        registry.add(
            PersonalData("atlas", _("Angebotsatlas"), export_personal_data, erase_personal_data)
        )
        registry.add(
            Searchable(
                Offer,
                _("Angebot"),
                lambda: Offer.objects.filter(status=Offer.Status.PUBLISHED),
            )
        )
        registry.add(Commentable(Offer, _("Angebot")))
        api_resources.register()
        registry.add(
            NewsletterItem(
                Offer,
                _("Angebot"),
                _newsletter_teaser,
                queryset=lambda: Offer.objects.filter(status=Offer.Status.PUBLISHED).order_by(
                    "title"
                ),
            )
        )
        registry.add(
            Commentable(
                AnalysisText,
                _("Landschaftsanalyse"),
                {"url": lambda text: text.get_absolute_url(), "sections": SECTIONS},
            )
        )
        # Checked daily; each provider gets at most one reminder per calendar month.
        registry.add(Periodic("atlas.remind_stale_offers", remind_stale_offers, timedelta(days=1)))
        registry.add(DemoStep("atlas", load_atlas_demo, order=30, logins=DEMO_LOGINS))
        registry.add(dashboard.PANEL)
        registry.add(dashboard.REQUESTS_PANEL)
        registry.add(training_request.SOURCE)

        from kommune360.core.registry import SitemapSection

        registry.add(
            SitemapSection(
                "angebote",
                url_names=("atlas:list", "atlas:analysis"),
                items=lambda: Offer.objects.filter(status=Offer.Status.PUBLISHED).only(
                    "slug", "updated"
                ),
                lastmod="updated",
            )
        )


def _newsletter_teaser(offer):
    """An offer as a newsletter teaser: title, summary and link."""
    from kommune360.core.registry import teaser

    return teaser(
        title=offer.title, text=offer.summary, path=offer.get_absolute_url(), kind=_("Angebot")
    )
