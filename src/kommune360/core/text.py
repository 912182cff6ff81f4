"""Text helpers for every app.

German slugs: umlauts spelled out ("Führung" → "fuehrung"), and free slugs for new rows
(``unique_slug`` for one row, ``SlugPool`` for many rows from one read). One-line text:
``one_line`` for fields and mail headers, applied to every ``CharField`` of the
platform's models on save (``clean_one_line_fields``) and to every mail subject.
Amounts of hours: ``hours`` ("1 Stunde", "1,5 Stunden") for every app."""

import functools
import re
from decimal import Decimal, InvalidOperation

from django.db import models
from django.template.defaultfilters import floatformat
from django.utils.text import slugify
from django.utils.translation import ngettext

_UMLAUTS = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"}
)


def slugify_de(value: str) -> str:
    """A slug that spells umlauts the German way: "Führung" → "fuehrung"."""
    return slugify(str(value).translate(_UMLAUTS))


def slug_base(text, *, fallback: str, max_length: int = 180, reserved=()) -> str:
    """The slug ``text`` should get before collisions are counted: German spelling, at
    most ``max_length`` characters, ``fallback`` for text without letters, and a
    ``-1`` after a word the site's addresses use themselves (``reserved``)."""
    base = slugify_de(text)[:max_length].strip("-") or fallback
    return f"{base}-1" if base in reserved else base


def _numbered(base: str, taken) -> str:
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


def unique_slug(model_or_queryset, text, *, field="slug", exclude_pk=None, **base) -> str:
    """A slug for ``text`` that no row of ``model_or_queryset`` (but ``exclude_pk``,
    the row itself) has in ``field``: the base, else ``base-2``, ``base-3``, …
    ``base`` takes the keywords of ``slug_base``. One query: the slugs starting with
    the base are read at once."""
    queryset = (
        model_or_queryset.objects.all()
        if isinstance(model_or_queryset, type) and issubclass(model_or_queryset, models.Model)
        else model_or_queryset
    )
    first = slug_base(text, **base)
    if exclude_pk is not None:
        queryset = queryset.exclude(pk=exclude_pk)
    taken = set(queryset.filter(**{f"{field}__startswith": first}).values_list(field, flat=True))
    return _numbered(first, taken)


class SlugPool:
    """Free slugs for many new rows of one model from one read of the slugs in use
    (a bulk import): each ``take`` reserves the slug it returns."""

    def __init__(self, model_or_queryset, *, field="slug", **base):
        queryset = getattr(model_or_queryset, "objects", model_or_queryset)
        self.taken = set(queryset.values_list(field, flat=True))
        self.base = base

    def take(self, text) -> str:
        slug = _numbered(slug_base(text, **self.base), self.taken)
        self.taken.add(slug)
        return slug


# CR, LF, TAB and the other line and page breaks: a run of them becomes one space.
_BREAKS = re.compile("[\t\n\v\f\r\x85\u2028\u2029]+")
# What is left of C0 and C1 (NUL included) and DEL: dropped.
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")


def one_line(value: str) -> str:
    """``value`` fit for a one-line field or a mail header: breaks and tabs become one
    space, other control characters (NUL, escape, C1) disappear."""
    return _CONTROL.sub("", _BREAKS.sub(" ", value))


def mail_subject(value) -> str:
    """A mail subject on one line: a title with a line break must not break the header."""
    return one_line(str(value)).strip()


@functools.cache
def _one_line_fields(model) -> tuple[str, ...]:
    return tuple(
        field.attname
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField)
    )


def clean_one_line_fields(sender, instance, **kwargs):
    """``pre_save`` receiver for every model of the platform's apps: the text of each
    ``CharField`` (titles, names, subjects ...) passes through ``one_line`` whichever way
    it arrived (form, Wagtail snippet or page, service, import)."""
    if not sender.__module__.startswith("kommune360."):
        return
    clean_instance(instance)


def clean_instance(instance):
    """``one_line`` on each ``CharField`` of ``instance`` (for ``bulk_create``, which
    sends no ``pre_save``)."""
    for attname in _one_line_fields(type(instance)):
        value = getattr(instance, attname)
        if isinstance(value, str) and value:
            cleaned = one_line(value)
            if cleaned != value:
                setattr(instance, attname, cleaned)


def _decimal(value) -> Decimal | None:
    """A number, also from text written either way ("7,5", "7.5"); None for no number."""
    if isinstance(value, str):
        value = value.strip().replace(",", ".")
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def number(value, decimals=2) -> str:
    """A number in the active language with at most ``decimals`` places and no trailing
    zeros: 9.50 → "9,5", 3.00 → "3", "7,5" → "7.5" in English. Anything that is no
    number is shown as it is."""
    amount = _decimal(value)
    if amount is None:
        return str(value)
    shown = floatformat(amount, decimals)
    if decimals > 0:
        shown = re.sub(r"([.,]\d*?)0+$", r"\1", shown).rstrip(".,")
    return shown


def hours(value) -> str:
    """An amount of hours in the active language: "1 Stunde", "1,5 Stunden", "3 Stunden".
    Only exactly one is singular, in German as in English."""
    one = _decimal(value) == 1
    return ngettext("%(hours)s Stunde", "%(hours)s Stunden", 1 if one else 2) % {
        "hours": number(value)
    }
