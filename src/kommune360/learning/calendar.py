"""Calendar files (iCalendar, RFC 5545) for the meetings of a cohort."""

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar
from icalendar import Event as VEvent


def _host():
    return settings.SITE_URL.split("://", 1)[-1].split("/")[0] or "kommune360"


def _vevent(date, area_url):
    tz = timezone.get_default_timezone()
    cohort = date.cohort
    item = VEvent()
    item.add("uid", f"lernpfad-termin-{date.pk}@{_host()}")
    item.add("dtstamp", timezone.now())
    item.add("dtstart", date.starts_at.astimezone(tz))
    item.add("dtend", date.ends_at.astimezone(tz))
    item.add("summary", f"{cohort.path.title}: {date.module.title}")
    description = [date.module.get_kind_display()]
    if date.module.description:
        description.append(date.module.description)
    description.append(area_url)
    item.add("description", "\n\n".join(str(part) for part in description))
    item.add("url", area_url)
    location = date.place or ("Online" if cohort.is_online else cohort.place)
    if location:
        item.add("location", location)
    return item


def dates_ics(dates, *, name, area_url) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//kommune360//Lernpfade//DE")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    for date in dates:
        calendar.add_component(_vevent(date, area_url))
    calendar.add_missing_timezones()
    return calendar.to_ical()
