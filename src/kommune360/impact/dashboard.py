"""The year's figures and the targets on the editors' dashboard (a ``DashboardPanel``).
A fixed number of queries, like the public page it shares its reading with."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kommune360.core.registry import DashboardPanel

from .figures import year_figures
from .indicators import year_indicators


def panel_context(request):
    year = timezone.localdate().year
    figures = year_figures(year)
    if not figures:
        year -= 1
        figures = year_figures(year)
    if not figures:
        return None
    return {"year": year, "figures": figures, "indicators": year_indicators(year, figures)}


PANEL = DashboardPanel(
    "impact",
    _("Wirkung: das Jahr in Zahlen"),
    "impact/admin/dashboard_impact.html",
    context=panel_context,
    empty=_("Für dieses Jahr liegen noch keine Zahlen vor."),
    permission="impact.change_manualfigure",
    order=60,
)
