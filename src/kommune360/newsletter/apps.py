from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsletterConfig(AppConfig):
    name = "kommune360.newsletter"
    label = "newsletter"
    verbose_name = _("Newsletter")

    def ready(self):
        from datetime import timedelta

        from kommune360.core.registry import (
            DemoStep,
            Figure,
            HomeSection,
            NavigationEntry,
            PageDependency,
            Periodic,
            PersonalData,
            registry,
        )

        from . import bounces, dashboard, models, services, webhooks  # noqa: F401 (webhooks registers its check)
        from .demo import load_newsletter_demo
        from .personal_data import erase_personal_data, export_personal_data, identifiers
        from .tasks import resume_stalled_campaigns_task, start_scheduled_campaigns_task

        registry.add(
            PersonalData(
                "newsletter",
                _("Newsletter"),
                export_personal_data,
                erase_personal_data,
                identifiers,
            )
        )
        registry.add(NavigationEntry(_("Newsletter"), "newsletter:signup", order=80))
        # The archive shows sent campaigns, the sign-up form the topics.
        for model in (models.Campaign, models.Topic):
            registry.add(PageDependency(model))
        registry.add(
            Figure(
                "newsletter_subscribers",
                _("Newsletter-Abonnent:innen"),
                services.count_active,
                stage=1,
                method=_("Bestätigte Abonnent:innen am Ende des Jahres (heute: jetzt)."),
            )
        )
        registry.add(DemoStep("newsletter", load_newsletter_demo, order=90))
        registry.add(
            Periodic(
                "newsletter.start_scheduled",
                start_scheduled_campaigns_task,
                timedelta(minutes=1),
            )
        )
        registry.add(
            Periodic(
                "newsletter.resume_stalled", resume_stalled_campaigns_task, timedelta(minutes=1)
            )
        )
        registry.add(dashboard.PANEL)
        # The sign-up endpoint needs no per-visitor CSRF token (decision 0040), so the
        # home page stays in the anonymous page cache with this form on it.
        registry.add(
            HomeSection(
                "newsletter",
                _("Newsletter-Anmeldung"),
                "newsletter/_home_section.html",
                order=90,
            )
        )
        bounces.connect_anymail()

        from kommune360.core.registry import SitemapSection

        from .models import Campaign

        registry.add(
            SitemapSection(
                "newsletter",
                url_names=("newsletter:signup", "newsletter:archive"),
                items=lambda: Campaign.objects.filter(
                    state=Campaign.State.SENT, show_in_archive=True
                ).only("slug", "sent_at"),
                lastmod="sent_at",
            )
        )
