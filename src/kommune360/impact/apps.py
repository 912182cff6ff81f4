from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImpactConfig(AppConfig):
    name = "kommune360.impact"
    label = "impact"
    verbose_name = _("Wirkung")

    def ready(self):
        from kommune360.core.registry import (
            DemoStep,
            HomeSection,
            NavigationEntry,
            NewsletterItem,
            PageDependency,
            Periodic,
            SitemapSection,
            registry,
        )

        from . import api_resources, dashboard, figures, home, models
        from .demo import load_impact_demo
        from .tasks import refresh_figures_task, send_surveys_task

        # After every app whose figures and surveys it shows.
        registry.add(DemoStep("impact", load_impact_demo, order=95))
        registry.add(NavigationEntry(_("Wirkung"), "impact:index", order=85))
        registry.add(Periodic("impact.refresh_figures", refresh_figures_task, timedelta(hours=1)))
        registry.add(Periodic("impact.send_surveys", send_surveys_task, timedelta(hours=1)))
        registry.add(dashboard.PANEL)
        api_resources.register()
        registry.add(
            HomeSection(
                "impact",
                _("Jahr in Zahlen"),
                "impact/_home_section.html",
                context=home.home_context,
                order=40,
            )
        )
        registry.add(
            NewsletterItem(
                models.YearReport,
                _("Jahr in Zahlen"),
                home.newsletter_teaser,
                queryset=lambda: models.YearReport.objects.order_by("-year"),
            )
        )
        registry.add(
            SitemapSection(
                "wirkung",
                url_names=("impact:index",),
                # A year's page exists once it has figures (views.year_page).
                items=lambda: models.YearReport.objects.filter(
                    year__in=figures.years_with_figures()
                ).only("year"),
            )
        )
        for model in (
            models.FigureValue,
            models.ManualFigure,
            models.YearReport,
            models.Indicator,
            models.Target,
            models.Survey,
            models.Question,
            models.Response,
        ):
            registry.add(PageDependency(model))
