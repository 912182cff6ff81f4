"""Learning paths in the public API (``/api/v1/lernpfade/``), each with its cohorts as
the path's page shows them (dates, place, application window)."""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from pydantic import BaseModel, Field

from kommune360.core.registry import ApiResource, registry

from .models import Cohort, LearningPath


class CohortSchema(BaseModel):
    id: int
    titel: str
    beginn: date
    ende: date
    ort: str
    online: bool
    begleitung: str
    bewerbung_ab: date
    bewerbung_bis: date = Field(description="Applications close at the end of this day.")
    bewerbung_offen: bool


class LearningPathSchema(BaseModel):
    id: int
    slug: str
    titel: str
    kurzbeschreibung: str
    lernziele: list[str]
    zielgruppen: list[str]
    kosten_eur: float
    kostenhinweis: str
    anbieterin: str = Field(description="Empty: the network itself.")
    module: list[str]
    stunden: float
    kohorten: list[CohortSchema]
    url: str


def paths():
    return LearningPath.objects.filter(is_published=True).prefetch_related(
        "modules",
        "target_groups",
        Prefetch("cohorts", queryset=Cohort.objects.order_by("starts_on", "pk")),
    )


def cohort_data(cohort, today):
    return {
        "id": cohort.pk,
        "titel": cohort.title,
        "beginn": cohort.starts_on,
        "ende": cohort.ends_on,
        "ort": cohort.place,
        "online": cohort.is_online,
        "begleitung": cohort.facilitator_names,
        "bewerbung_ab": cohort.applications_open_on,
        "bewerbung_bis": cohort.applications_close_on,
        "bewerbung_offen": cohort.applications_open(today),
    }


def path_data(path):
    today = timezone.localdate()
    modules = list(path.modules.all())
    return {
        "id": path.pk,
        "slug": path.slug,
        "titel": path.title,
        "kurzbeschreibung": path.summary,
        "lernziele": path.goal_list,
        "zielgruppen": [t.name for t in path.target_groups.all()],
        "kosten_eur": float(path.cost or Decimal("0")),
        "kostenhinweis": path.cost_note,
        "anbieterin": path.provider,
        "module": [m.title for m in modules],
        "stunden": float(sum((m.hours for m in modules), Decimal("0"))),
        "kohorten": [cohort_data(c, today) for c in path.cohorts.all()],
        "url": settings.SITE_URL + path.get_absolute_url(),
    }


def register():
    registry.add(
        ApiResource(
            "lernpfade",
            _("Lernpfade"),
            LearningPathSchema,
            paths,
            path_data,
            order=40,
        )
    )
