"""Registrations of the next events, on the editors' dashboard (a ``DashboardPanel``
entry, declared in ``apps.py``). One query: the events with their counts."""

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kommune360.core.registry import DashboardPanel

from .models import Event, Registration

SHOWN = 5

Status = Registration.Status


def next_events_context(request):
    events = list(
        Event.objects.upcoming(timezone.now())
        .filter(cancelled_at__isnull=True)
        .annotate(
            confirmed=Count("registrations", filter=Q(registrations__status=Status.CONFIRMED)),
            offered=Count("registrations", filter=Q(registrations__status=Status.OFFERED)),
            waitlisted=Count("registrations", filter=Q(registrations__status=Status.WAITLISTED)),
        )
        .only("pk", "title", "starts_at", "capacity", "is_published", "registration_enabled")
        .order_by("starts_at", "pk")[:SHOWN]
    )
    if not events:
        return None
    return {"events": events}


PANEL = DashboardPanel(
    "next_events",
    _("Anmeldungen der nächsten Veranstaltungen"),
    "events/admin/dashboard_next_events.html",
    context=next_events_context,
    empty=_("Keine Veranstaltung steht an."),
    permission="events.view_registration",
    order=30,
)
