"""Shared parts of the calendar files (iCalendar, RFC 5545) that apps offer."""

from django.conf import settings
from icalendar import Calendar


def uid_host():
    """The domain part of UIDs: the site's host name."""
    return settings.SITE_URL.split("://", 1)[-1].split("/")[0] or "kommune360"


def new_calendar(product, *, name=None, method=None):
    """An empty calendar of ``product`` (e.g. "Lernpfade"), named for subscriptions."""
    calendar = Calendar()
    calendar.add("prodid", f"-//kommune360//{product}//DE")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method:
        calendar.add("method", method)
    if name:
        calendar.add("x-wr-calname", name)
        calendar.add("x-wr-timezone", settings.TIME_ZONE)
    return calendar


def to_ical(calendar) -> bytes:
    calendar.add_missing_timezones()
    return calendar.to_ical()
