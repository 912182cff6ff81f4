"""Calendar files (iCalendar, RFC 5545) for the meetings of a cohort."""

from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Event as VEvent

from kommune360.core.calendar import new_calendar, to_ical, uid_host
from kommune360.core.languages import in_default_language


def _vevent(date, area_url):
    tz = timezone.get_default_timezone()
    cohort = date.cohort
    item = VEvent()
    item.add("uid", f"lernpfad-termin-{date.pk}@{uid_host()}")
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
    location = date.place or (_("Online") if cohort.is_online else cohort.place)
    if location:
        item.add("location", location)
    return item


@in_default_language
def dates_ics(dates, *, name, area_url) -> bytes:
    calendar = new_calendar("Lernpfade", name=name, method="PUBLISH")
    for date in dates:
        calendar.add_component(_vevent(date, area_url))
    return to_ical(calendar)
