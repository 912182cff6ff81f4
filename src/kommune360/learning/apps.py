from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningConfig(AppConfig):
    name = "kommune360.learning"
    label = "learning"
    verbose_name = _("Lernpfade")

    def ready(self):
        from kommune360.core.registry import (
            DemoStep,
            Figure,
            NavigationEntry,
            PageDependency,
            PersonalData,
            registry,
        )

        from . import api_resources, dashboard, models, services, surveys, training_request
        from .demo import DEMO_LOGINS, load_learning_demo
        from .personal_data import erase_applications, export_applications

        registry.add(NavigationEntry(_("Lernpfade"), "learning:list", order=45))
        api_resources.register()
        # The public pages show paths, their modules and cohorts and published quotes.
        for model in (models.LearningPath, models.Module, models.Cohort, models.Feedback):
            registry.add(PageDependency(model))
        registry.add(
            PersonalData("learning", _("Lernpfade"), export_applications, erase_applications)
        )
        registry.add(DemoStep("learning", load_learning_demo, order=45, logins=DEMO_LOGINS))
        registry.add(training_request.SOURCE)
        registry.add(surveys.SUBJECT)
        registry.add(dashboard.PANEL)
        registry.add(
            Figure(
                "learning.participants",
                _("Teilnehmer:innen der Lernpfade"),
                services.participant_count,
                stage=3,
                method=_("Aufgenommene Teilnehmer:innen der Kohorten, die im Jahr begonnen haben."),
            )
        )
        registry.add(
            Figure(
                "learning.certificates",
                _("ausgestellte Teilnahmebescheinigungen der Lernpfade"),
                services.certificate_count,
                stage=3,
                method=_("Gültige Teilnahmebescheinigungen, die im Jahr ausgestellt wurden."),
            )
        )
        registry.add(
            Figure(
                "learning.rating",
                _("mittlere Bewertung der Lernpfade"),
                services.average_rating,
                unit=_("von 5"),
                stage=4,
                method=_("Mittel der Bewertungen (1 bis 5), die Teilnehmende im Jahr abgaben."),
            )
        )

        from kommune360.core.registry import SitemapSection

        from .models import LearningPath

        registry.add(
            SitemapSection(
                "lernpfade",
                url_names=("learning:list",),
                items=lambda: LearningPath.objects.filter(is_published=True).only("slug"),
            )
        )
