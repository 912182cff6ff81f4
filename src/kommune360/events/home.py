"""The "Nächste Veranstaltungen" section of the home page (a ``HomeSection`` entry)."""

from django.utils import timezone

from .models import Event

HOME_COUNT = 3


def upcoming_events(request):
    events = list(
        Event.objects.published().upcoming(timezone.now()).order_by("starts_at", "pk")[:HOME_COUNT]
    )
    return {"events": events}
