"""The "Nächste Veranstaltungen" section of the home page (editorial's home-section hook)."""

from django.template.loader import render_to_string
from django.utils import timezone

from .models import Event

HOME_COUNT = 3


def render_upcoming_events(request):
    events = list(
        Event.objects.published().upcoming(timezone.now()).order_by("starts_at", "pk")[:HOME_COUNT]
    )
    return render_to_string("events/_home_section.html", {"events": events}, request=request)
