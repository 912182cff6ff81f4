"""Dates and times in the active language, by the name of a format.

The formats live per language in ``kommune360/formats/<language>/formats.py``
(``FORMAT_MODULE_PATH``): "Dienstag, 12. Januar 2027" on German pages, "Tuesday,
12 January 2027" on English ones. Nothing else types a format:

- templates: ``{% load core %}{{ event.starts_at|local_date:"LONG_DATETIME_FORMAT" }}``
  (Django's ``date`` filter with one of Django's names, ``|date:"DATE_FORMAT"``, is the
  same thing; a machine-readable ``|date:"c"`` stays allowed);
- code: ``local_date(value, "SHORT_DATE_FORMAT")``.

Mails, calendar files and PDFs are made in the platform's language
(``core.languages.in_default_language``), so their dates follow it too.
``tests/core/test_date_formats.py`` finds every typed format in templates and code.
"""

import datetime
from functools import lru_cache

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils import dateformat, formats, timezone, translation

# The names of kommune360's own formats; Django's own are ``formats.FORMAT_SETTINGS``.
OWN_FORMATS = (
    "LONG_DATE_FORMAT",
    "LONG_DATETIME_FORMAT",
    "WEEKDAY_DATE_FORMAT",
    "WEEKDAY_DATETIME_FORMAT",
)
DISPLAY_FORMATS = (
    "DATE_FORMAT",
    "DATETIME_FORMAT",
    "TIME_FORMAT",
    "YEAR_MONTH_FORMAT",
    "MONTH_DAY_FORMAT",
    "SHORT_DATE_FORMAT",
    "SHORT_DATETIME_FORMAT",
    *OWN_FORMATS,
)


def format_string(name: str, language: str | None = None) -> str:
    """The format called ``name`` in ``language`` (default: the active one)."""
    if name not in DISPLAY_FORMATS:
        raise ValueError(f"Unknown date format name {name!r} (core.dates.DISPLAY_FORMATS)")
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    for code in (language, settings.LANGUAGE_CODE):
        for module in formats.get_format_modules(code):
            if hasattr(module, name):
                return getattr(module, name)
    return formats.get_format(name, lang=language)


def berlin(value):
    """An aware datetime in the platform's time zone (Europe/Berlin), whatever zone is
    active (the Wagtail admin activates an editor's own); other values unchanged."""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value, timezone.get_default_timezone())
    return value


def local_date(value, name: str = "DATE_FORMAT") -> str:
    """``value`` (a date or datetime; aware ones in Berlin time) in the active
    language's format ``name``; empty for ``None``."""
    if value in (None, ""):
        return ""
    return _formatted(berlin(value), name, translation.get_language())


@lru_cache(maxsize=4096)
def _formatted(value, name, language):
    # A list writes the same few dates many times; formatting one costs 25 µs.
    return dateformat.format(value, format_string(name, language))


@receiver(setting_changed, dispatch_uid="core-dates-formats")
def _formats_changed(setting, **kwargs):
    if setting in {"FORMAT_MODULE_PATH", "LANGUAGE_CODE", "LANGUAGES", "TIME_ZONE"}:
        _formatted.cache_clear()


def same_day(first, second) -> bool:
    """Whether two datetimes fall on the same calendar day in Berlin."""
    if first is None or second is None:
        return True

    def day(value):
        value = berlin(value)
        return value.date() if isinstance(value, datetime.datetime) else value

    return day(first) == day(second)


def year_range(year: int) -> tuple[datetime.datetime, datetime.datetime]:
    """The calendar ``year`` in the site's time zone (Europe/Berlin) as a half-open
    range: ``start <= moment < end`` (the figures of the impact page count by it)."""
    tz = timezone.get_default_timezone()
    return datetime.datetime(year, 1, 1, tzinfo=tz), datetime.datetime(year + 1, 1, 1, tzinfo=tz)
