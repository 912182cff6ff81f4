from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "kommune360.events"
    label = "events"
    verbose_name = _("Veranstaltungen")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from kommune360.core.registry import (
            AccountPage,
            DemoStep,
            Figure,
            HomeSection,
            NavigationEntry,
            NewsletterItem,
            PageDependency,
            Periodic,
            PersonalData,
            Searchable,
            registry,
        )

        from . import api_resources, dashboard, models, surveys, training_request
        from .demo import load_events_demo
        from .home import upcoming_events
        from .personal_data import (
            erase_registrations,
            export_registrations,
            registration_identifiers,
        )
        from .tasks import expire_offers_task, send_due_mails_task

        registry.add(NavigationEntry(_("Veranstaltungen"), "events:list", order=40))
        api_resources.register()
        registry.add(AccountPage(_("Meine Anmeldungen"), "events:mine", order=20))
        registry.add(
            PersonalData(
                "events",
                _("Veranstaltungen"),
                export_registrations,
                erase_registrations,
                registration_identifiers,
            )
        )
        registry.add(
            Figure(
                "events.postcards",
                _("verschickte Postkarten"),
                models.postcard_count,
                stage=2,
                method=_("Postkarten, die Teilnehmende über die Plattform verschickt haben."),
            )
        )
        registry.add(
            Figure(
                "events.participants",
                _("Teilnahmen an Veranstaltungen"),
                models.participant_count,
                stage=2,
                method=_(
                    "Bestätigte Anmeldungen zu Veranstaltungen, die im Jahr begonnen haben "
                    "und vorbei sind."
                ),
            )
        )
        registry.add(surveys.SUBJECT)
        registry.add(
            Searchable(models.Event, _("Veranstaltung"), lambda: models.Event.objects.published())
        )
        registry.add(
            NewsletterItem(
                models.Event,
                _("Veranstaltung"),
                _newsletter_teaser,
                queryset=lambda: models.Event.objects.published().order_by("-starts_at"),
            )
        )
        registry.add(Periodic("events.expire_offers", expire_offers_task, timedelta(minutes=5)))
        registry.add(Periodic("events.due_mails", send_due_mails_task, timedelta(minutes=1)))
        registry.add(DemoStep("events", load_events_demo, order=40))
        registry.add(dashboard.PANEL)
        # The availability band follows registrations; the services empty the page
        # cache when it changes (a registration alone does not).
        for model in (models.Event, models.Session, models.Question):
            registry.add(PageDependency(model))
        registry.add(training_request.SOURCE)
        registry.add(
            HomeSection(
                "events",
                _("Nächste Veranstaltungen"),
                "events/_home_section.html",
                context=upcoming_events,
                order=30,
            )
        )
        for model in (models.Question, models.Session):
            post_save.connect(models.touch_event, sender=model, dispatch_uid=f"touch-{model}")
            post_delete.connect(models.touch_event, sender=model, dispatch_uid=f"touch-d-{model}")

        from kommune360.core.registry import SitemapSection

        registry.add(
            SitemapSection(
                "veranstaltungen",
                url_names=("events:list",),
                items=lambda: models.Event.objects.published().only("slug", "updated_at"),
                lastmod="updated_at",
            )
        )


def _newsletter_teaser(event):
    """An event as a newsletter teaser: title, summary, link and date."""
    from kommune360.core.registry import teaser

    return teaser(
        title=event.title,
        text=event.summary,
        path=event.get_absolute_url(),
        kind=_("Veranstaltung"),
        date=event.starts_at,
    )
