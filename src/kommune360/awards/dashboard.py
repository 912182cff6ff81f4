"""Rounds that need the editors, on the dashboard (one query)."""

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from kommune360.core.registry import DashboardPanel

from .models import Application, Round


def rounds_context(request):
    rounds = list(
        Round.objects.filter(phase__in=[Round.Phase.OPEN, Round.Phase.REVIEW, Round.Phase.DECISION])
        .exclude(kind=Round.Kind.EXTERNAL)
        .annotate(
            submitted=Count(
                "applications", filter=Q(applications__state=Application.State.SUBMITTED)
            ),
            undecided=Count(
                "applications",
                filter=Q(
                    applications__state=Application.State.SUBMITTED, applications__decision=""
                ),
            ),
        )
        .order_by("closes_at", "pk")[:5]
    )
    if not rounds:
        return None
    return {"rounds": rounds}


PANEL = DashboardPanel(
    "awards_rounds",
    _("Laufende Auszeichnungsrunden"),
    "awards/admin/dashboard_rounds.html",
    context=rounds_context,
    empty=_("Keine Runde läuft gerade."),
    permission="awards.change_round",
    order=60,
)
