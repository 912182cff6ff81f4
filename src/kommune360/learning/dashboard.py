"""Open applications to cohorts, on the editors' dashboard (a ``DashboardPanel`` entry,
declared in ``apps.py``). Two queries: the total and the cohorts with their counts."""

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from kommune360.core.registry import DashboardPanel

from .models import Application, Cohort

SHOWN = 5

Status = Application.Status


def open_applications_context(request):
    total = Application.objects.filter(status=Status.APPLIED).count()
    if not total:
        return None
    cohorts = list(
        Cohort.objects.annotate(
            undecided=Count("applications", filter=Q(applications__status=Status.APPLIED)),
            accepted=Count("applications", filter=Q(applications__status=Status.ACCEPTED)),
        )
        .filter(undecided__gt=0)
        .select_related("path")
        .only("pk", "title", "capacity", "applications_close_on", "path__title")
        .order_by("applications_close_on", "pk")[:SHOWN]
    )
    return {"total": total, "cohorts": cohorts}


PANEL = DashboardPanel(
    "cohort_applications",
    _("Lernpfade: offene Bewerbungen"),
    "learning/admin/dashboard_applications.html",
    context=open_applications_context,
    empty=_("Keine Bewerbung wartet auf eine Entscheidung."),
    permission="learning.view_application",
    order=40,
)
