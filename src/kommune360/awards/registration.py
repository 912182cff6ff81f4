"""What the awards app contributes to the others, declared once (``AppConfig.ready``)."""

from django.utils.translation import gettext_lazy as _

from kommune360.core.registry import (
    AccountPage,
    Commentable,
    DemoStep,
    Figure,
    NavigationEntry,
    NewsletterItem,
    PageDependency,
    PersonalData,
    Searchable,
    SitemapSection,
    registry,
    teaser,
)


def _solutions():
    from .models import Solution

    return Solution.objects.published().select_related("application__round")


def _teaser(solution):
    return teaser(
        title=solution.title,
        text=solution.problem[:300],
        path=solution.get_absolute_url(),
        kind=_("Ausgezeichnete Lösung"),
    )


def _is_public(solution):
    return _solutions().filter(pk=solution.pk).exists()


def _has_applications(user):
    from .services.applications import applications_of

    cached = getattr(user, "_awards_has_applications", None)
    if cached is None:
        cached = applications_of(user).exists()
        user._awards_has_applications = cached
    return cached


def register():
    from . import api_resources, dashboard, models, showcase, surveys
    from .demo import DEMO_LOGINS, load_awards_demo
    from .personal_data import erase_personal_data, export_personal_data, identifiers

    registry.add(NavigationEntry(_("Auszeichnungen"), "awards:list", order=55))
    registry.add(AccountPage(_("Meine Bewerbungen"), "awards:mine", 35, _has_applications))
    registry.add(
        PersonalData(
            "awards",
            _("Auszeichnungen"),
            export_personal_data,
            erase_personal_data,
            identifiers,
        )
    )
    registry.add(
        Commentable(models.Solution, _("Ausgezeichnete Lösung"), {"is_public": _is_public})
    )
    registry.add(
        Searchable(
            models.Solution, _("Ausgezeichnete Lösung"), lambda: models.Solution.objects.published()
        )
    )
    registry.add(
        NewsletterItem(models.Solution, _("Ausgezeichnete Lösung"), _teaser, queryset=_solutions)
    )
    registry.add(
        SitemapSection(
            "auszeichnungen",
            url_names=("awards:list",),
            items=_solutions,
            lastmod="updated_at",
        )
    )
    registry.add(
        Figure(
            "awards.adoption_requests",
            _("angenommene Anfragen zum Nachnutzen"),
            showcase.accepted_requests_count,
        )
    )
    registry.add(DemoStep("awards", load_awards_demo, order=60, logins=DEMO_LOGINS))
    registry.add(dashboard.PANEL)
    registry.add(surveys.SUBJECT)
    api_resources.register()
    for model in (models.Round, models.Criterion, models.Question, models.Solution):
        registry.add(PageDependency(model))
