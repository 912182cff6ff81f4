from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipationConfig(AppConfig):
    name = "kommune360.participation"
    label = "participation"
    verbose_name = _("Mitdenken")

    def ready(self):
        from kommune360.core.registry import (
            Commentable,
            DemoStep,
            NavigationEntry,
            PageDependency,
            PageExtra,
            Periodic,
            PersonalData,
            registry,
        )

        from . import dashboard
        from .demo import load_participation_demo
        from .models import Call, Contribution, FollowUp, Status, TargetSettings
        from .page_extra import TEMPLATE, commentable_models, contributions_context, is_commentable
        from .personal_data import erase_personal_data, export_personal_data, identifiers
        from .tasks import send_moderation_digest

        registry.add(Commentable(Call, _("Aufruf zum Mitdenken")))
        # Published contributions and follow-ups show on every commentable page; what
        # visitors send (unconfirmed, waiting for moderation) does not, until published.
        for model in (Call, TargetSettings, FollowUp):
            registry.add(PageDependency(model))
        registry.add(PageDependency(Contribution, shown=lambda row: row.status == Status.PUBLISHED))
        registry.add(
            PageExtra(
                "contributions",
                "end",
                TEMPLATE,
                models=commentable_models,
                context=contributions_context,
                applies=is_commentable,
            )
        )
        registry.add(NavigationEntry(_("Mitdenken"), "participation:index", order=60))
        registry.add(
            PersonalData(
                "participation",
                _("Mitdenken-Beiträge"),
                export_personal_data,
                erase_personal_data,
                identifiers,
            )
        )
        registry.add(Periodic("participation.digest", send_moderation_digest, timedelta(days=1)))
        registry.add(DemoStep("participation", load_participation_demo, order=80))
        for panel in dashboard.PANELS:
            registry.add(panel)

        from kommune360.core.registry import SitemapSection

        from .models import Call

        registry.add(
            SitemapSection(
                "mitdenken",
                url_names=("participation:index",),
                # The first active call is the index page itself.
                items=lambda: Call.objects.filter(is_active=True)[1:],
            )
        )
