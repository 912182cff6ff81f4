"""Calendar files (iCalendar, RFC 5545) for one event and for all public events."""

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Event as VEvent

from kommune360.core.calendar import new_calendar, to_ical, uid_host
from kommune360.core.languages import in_default_language

from .models import Event


def _vevent(event: Event, registration=None):
    tz = timezone.get_default_timezone()
    item = VEvent()
    item.add("uid", f"veranstaltung-{event.pk}@{uid_host()}")
    item.add("dtstamp", event.updated_at or timezone.now())
    item.add("dtstart", event.starts_at.astimezone(tz))
    item.add("dtend", event.ends_at.astimezone(tz))
    item.add("summary", event.title)
    url = settings.SITE_URL + event.get_absolute_url()
    description = [event.summary] if event.summary else []
    if registration is not None and registration.status == "confirmed" and event.online_url:
        description.append(_("Zugang: %(url)s") % {"url": event.online_url})
        if event.online_notes:
            description.append(event.online_notes)
    description.append(url)
    item.add("description", "\n\n".join(description))
    item.add("url", url)
    if event.address_line:
        item.add("location", event.address_line)
    elif event.online_url:
        item.add("location", _("Online"))
    item.add("status", "CANCELLED" if event.is_cancelled else "CONFIRMED")
    return item


@in_default_language
def event_ics(event: Event, registration=None) -> bytes:
    calendar = new_calendar("Veranstaltungen", method="PUBLISH")
    calendar.add_component(_vevent(event, registration))
    return to_ical(calendar)


@in_default_language
def feed_ics(events, name) -> bytes:
    calendar = new_calendar("Veranstaltungen", name=name)
    for event in events:
        calendar.add_component(_vevent(event))
    return to_ical(calendar)
