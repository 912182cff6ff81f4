"""Offers waiting for the editors, on their dashboard (a ``DashboardPanel`` entry,
declared in ``apps.py``): submitted offers to review and published offers nobody has
confirmed for a year. Two queries, however many offers wait."""

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from kommune360.core.registry import DashboardPanel

from .models import Offer
from .services import is_stale

SHOWN = 5


def review_context(request):
    counts = Offer.objects.aggregate(
        submitted=Count("pk", filter=Q(status=Offer.Status.SUBMITTED)),
        stale=Count("pk", filter=is_stale()),
    )
    if not (counts["submitted"] or counts["stale"]):
        return None
    submitted = list(
        Offer.objects.filter(status=Offer.Status.SUBMITTED)
        .select_related("provider")
        .only("pk", "title", "updated", "provider__name")
        .order_by("updated", "pk")[:SHOWN]
    )
    return {**counts, "offers": submitted}


PANEL = DashboardPanel(
    "offer_review",
    _("Angebote prüfen"),
    "atlas/admin/dashboard_review.html",
    context=review_context,
    empty=_("Kein Angebot wartet auf Prüfung."),
    permission="atlas.change_offer",
    order=20,
)
