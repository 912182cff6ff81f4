"""A Lernpfad as the subject of a training request (Fortbildungsantrag).

``SOURCE`` is registered in the app's ``AppConfig.ready()``; see
docs/training-requests.md.
"""

from django.conf import settings
from django.db.models import Prefetch
from django.template.defaultfilters import floatformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kommune360.core import text
from kommune360.core.dates import local_date
from kommune360.core.registry import TrainingFacts, TrainingRequestSource

from .models import Cohort, CohortDate, LearningPath


def _upcoming(path):
    today = timezone.localdate()
    return [cohort for cohort in path.cohorts.all() if not cohort.is_finished(today)]


def get(pk):
    dates = CohortDate.objects.select_related("module").order_by("starts_at", "pk")
    cohorts = Cohort.objects.order_by("starts_on", "pk").prefetch_related(
        Prefetch("dates", queryset=dates)
    )
    return (
        LearningPath.objects.filter(is_published=True, pk=pk)
        .prefetch_related("modules", Prefetch("cohorts", queryset=cohorts))
        .first()
    )


def has_facts(path):
    """Goals or a summary, modules with hours, and a cohort still to come."""
    return bool(
        path.is_published
        and (path.summary or path.goals)
        and path.modules.all()
        and _upcoming(path)
    )


def facts(path):
    if not has_facts(path):
        return None
    schedule, places = [], []
    cohorts = _upcoming(path)
    for cohort in cohorts:
        where = _("online") if cohort.is_online else cohort.place
        schedule.append(
            _("%(cohort)s: %(start)s bis %(end)s")
            % {
                "cohort": cohort.label,
                "start": local_date(cohort.starts_on),
                "end": local_date(cohort.ends_on),
            }
            + (f" ({where})" if where else "")
        )
        for date in cohort.dates.all():
            starts = timezone.localtime(date.starts_at)
            ends = timezone.localtime(date.ends_at)
            schedule.append(
                _("– %(module)s: %(day)s, %(start)s–%(end)s Uhr")
                % {
                    "module": date.module.title,
                    "day": local_date(starts),
                    "start": local_date(starts, "TIME_FORMAT"),
                    "end": local_date(ends, "TIME_FORMAT"),
                }
                + (f" ({date.place})" if date.place else "")
            )
        if cohort.place and cohort.place not in places:
            places.append(cohort.place)
    modules = path.modules.all()
    return TrainingFacts(
        kind=_("Lernpfad"),
        title=path.title,
        provider=path.provider,
        description=path.summary,
        url=settings.SITE_URL + path.get_absolute_url(),
        learning_goals=tuple(path.goal_list),
        schedule=tuple(schedule),
        hours=text.hours(path.total_hours()),
        place="; ".join(places),
        online=any(cohort.is_online for cohort in cohorts),
        cost_text=_("kostenfrei")
        if path.is_free
        else _("%(amount)s €") % {"amount": floatformat(path.cost, -2)},
        includes=path.cost_note,
        certificate=_(
            "Ja, eine Teilnahmebescheinigung bei Teilnahme an mindestens %(percent)s %% der "
            "Modulstunden."
        )
        % {"percent": path.certificate_min_percent},
        modules=tuple(
            (f"{module.title} ({module.get_kind_display()})", text.hours(module.hours))
            for module in modules
        ),
    )


SOURCE = TrainingRequestSource(
    "lernpfad", LearningPath, gettext_lazy("Lernpfad"), get, facts, has_facts
)
