"""German slugs: umlauts spelled out ("Führung" → "fuehrung"), and free slugs for new
rows (``unique_slug`` for one row, ``SlugPool`` for many rows from one read)."""

from django.db import models
from django.utils.text import slugify

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
