"""Targets of contributions, known only through the registry's ``Commentable`` entries.

Options an app may give in ``Commentable(model, label, options)``:

- ``sections``: ``[(key, label), ...]`` or a callable ``(obj) -> [(key, label), ...]``;
  contributions may then point at one section (e.g. each section of the analysis).
- ``is_public``: callable ``(obj) -> bool``; default: the object's own ``is_public``
  (property or method) if it has one, else ``obj.live`` if it has that, otherwise true.
  Nobody can contribute to an item that is not public.
- ``url``: callable ``(obj) -> str``; default: ``obj.get_absolute_url()`` or, for
  Wagtail pages, ``obj.url``.
- ``premoderation``: default of the per-target switch (``True`` unless given).
- ``title``: callable ``(obj) -> str``; default ``str(obj)``.
"""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist
from django.urls import reverse

from kommune360.core import languages
from kommune360.core.registry import registry


@dataclass(frozen=True)
class Target:
    obj: object
    content_type: ContentType
    section: str = ""
    label: str = ""
    options: dict | None = None

    @property
    def object_id(self) -> str:
        return str(self.obj.pk)

    @property
    def key(self) -> str:
        return f"{self.content_type.pk}-{self.object_id}-{self.section}"

    @property
    def title(self) -> str:
        title_fn = (self.options or {}).get("title")
        title = str(title_fn(self.obj) if title_fn else self.obj)
        section_label = dict(sections_of(self.obj, self.options)).get(self.section)
        if section_label:
            title = f"{title} – {section_label}"
        return title[:255]

    @property
    def url(self) -> str:
        url_fn = (self.options or {}).get("url")
        if url_fn:
            return url_fn(self.obj)
        if hasattr(self.obj, "get_absolute_url"):
            return self.obj.get_absolute_url()
        # A page in the language shown; without a URL of its own the item is reached
        # through the Mitdenken page.
        shown = languages.counterpart(self.obj) if languages.is_page(self.obj) else self.obj
        return getattr(shown or self.obj, "url", "") or reverse("participation:index")

    @property
    def anchor_url(self) -> str:
        return f"{self.url}#mitdenken-{self.section or 'gesamt'}"

    def is_public(self) -> bool:
        check = (self.options or {}).get("is_public")
        if check is not None:
            return bool(check(self.obj))
        own = getattr(self.obj, "is_public", None)
        if own is not None:
            return bool(own() if callable(own) else own)
        return bool(getattr(self.obj, "live", True))

    @property
    def default_premoderation(self) -> bool:
        return bool((self.options or {}).get("premoderation", True))


def commentable_for(model):
    concrete = model._meta.concrete_model
    for entry in registry.commentables():
        if entry.model is model or entry.model._meta.concrete_model is concrete:
            return entry
    # Wagtail pages: a specific page class may be registered through a parent class.
    for entry in registry.commentables():
        if issubclass(model, entry.model):
            return entry
    return None


def sections_of(obj, options):
    sections = (options or {}).get("sections") or []
    if callable(sections):
        sections = sections(obj)
    return [(str(key), label) for key, label in sections]


def target_for(obj, section=""):
    """The target for ``obj`` (and one of its sections), or ``None`` if not commentable.

    A page's English translation or alias shares the German page's contributions: one
    conversation per article, whatever the language it is read in."""
    obj = languages.original(obj)
    entry = commentable_for(type(obj))
    if entry is None:
        return None
    section = section or ""
    if section and section not in dict(sections_of(obj, entry.options)):
        return None
    return Target(
        obj=obj,
        content_type=ContentType.objects.get_for_model(obj),
        section=section,
        label=str(entry.label),
        options=entry.options,
    )


def resolve(content_type_id, object_id, section=""):
    """The target a form or a stored contribution points at, or ``None``."""
    try:
        content_type = ContentType.objects.get_for_id(int(content_type_id))
    except (ValueError, TypeError, ObjectDoesNotExist):
        return None
    model = content_type.model_class()
    if model is None or commentable_for(model) is None:
        return None
    try:
        obj = model._default_manager.get(pk=object_id)
    except (ObjectDoesNotExist, ValueError, TypeError):
        return None
    if hasattr(obj, "specific"):
        obj = obj.specific
    return target_for(obj, section)


def commentable_content_types():
    return [ContentType.objects.get_for_model(entry.model) for entry in registry.commentables()]
