"""Reports about profiles wait for the Moderation on the dashboard (two queries)."""

from django.utils.translation import gettext_lazy as _

from kommune360.core.registry import DashboardPanel

from .models import Report

SHOWN = 5


def reports_context(request):
    count = Report.objects.filter(state=Report.State.OPEN).count()
    if not count:
        return None
    reports = list(
        Report.objects.filter(state=Report.State.OPEN)
        .select_related("profile")
        .order_by("created", "pk")[:SHOWN]
    )
    return {"count": count, "reports": reports}


PANEL = DashboardPanel(
    "network_reports",
    _("Meldungen im Netzwerk"),
    "network/admin/dashboard_reports.html",
    context=reports_context,
    empty=_("Keine Meldung aus dem Netzwerk wartet."),
    permission="network.moderate_report",
    order=40,
)
