"""What waits for the editors in the atlas, on their dashboard (``DashboardPanel``
entries, declared in ``apps.py``): submitted offers to review and published offers
nobody has confirmed for a year (two queries); requests to become a provider (two
queries), however many wait."""

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from kommune360.core.registry import DashboardPanel

from .models import Offer, ProviderRequest
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


def requests_context(request):
    from .provider_requests import open_requests

    count = ProviderRequest.objects.filter(status=ProviderRequest.Status.OPEN).count()
    if not count:
        return None
    return {"count": count, "requests": list(open_requests()[:SHOWN])}


REQUESTS_PANEL = DashboardPanel(
    "provider_requests",
    _("Anfragen als Anbieter:in"),
    "atlas/admin/dashboard_provider_requests.html",
    context=requests_context,
    empty=_("Keine Anfrage als Anbieter:in wartet."),
    permission="atlas.change_providerrequest",
    order=21,
)
