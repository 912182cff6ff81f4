from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsletterConfig(AppConfig):
    name = "kommune360.newsletter"
    label = "newsletter"
    verbose_name = _("Newsletter")

    def ready(self):
        from kommune360.core.registry import (
            DemoStep,
            Figure,
            NavigationEntry,
            PersonalData,
            registry,
        )

        from . import bounces, services
        from .demo import load_newsletter_demo

        registry.add(
            PersonalData(
                "newsletter", _("Newsletter"), services.export_for_user, services.erase_for_user
            )
        )
        registry.add(NavigationEntry(_("Newsletter"), "newsletter:signup", order=80))
        registry.add(
            Figure("newsletter_subscribers", _("Newsletter-Abonnent:innen"), services.count_active)
        )
        registry.add(DemoStep("newsletter", load_newsletter_demo, order=90))
        bounces.connect_anymail()
        _register_platform_items(registry)


def _register_platform_items(registry):
    """Events and offers as teaser items (editorial registers its own pages).

    Kept here so that the newsletter can offer every kind of platform item the issue
    names; an app that registers its own entry later replaces nothing here, it adds one.
    """
    from django.apps import apps
    from django.conf import settings

    from kommune360.core.registry import NewsletterItem

    def teaser(obj, kind):
        return {
            "title": obj.title,
            "text": obj.summary,
            "url": settings.SITE_URL + obj.get_absolute_url(),
            "kind": kind,
        }

    if apps.is_installed("kommune360.events"):
        from kommune360.events.models import Event

        registry.add(
            NewsletterItem(
                Event,
                _("Veranstaltung"),
                lambda event: {
                    **teaser(event, str(_("Veranstaltung"))),
                    "date": event.starts_at,
                },
                queryset=lambda: Event.objects.published().order_by("-starts_at"),
            )
        )
    if apps.is_installed("kommune360.atlas"):
        from kommune360.atlas.models import Offer

        registry.add(
            NewsletterItem(
                Offer,
                _("Angebot"),
                lambda offer: teaser(offer, str(_("Angebot"))),
                queryset=lambda: Offer.objects.filter(status=Offer.Status.PUBLISHED).order_by(
                    "title"
                ),
            )
        )
