"""Sections other apps contribute to the home page, without editorial importing them.

An app registers a section in its ``wagtail_hooks.py``::

    from wagtail import hooks

    @hooks.register("kommune360_home_sections")
    def upcoming_events():
        return HomeSection("events", _("Nächste Veranstaltungen"), render_upcoming_events, order=30)

``HomeSection`` needs no import either: any object with ``key``, ``label``,
``render(request) -> str`` and ``order`` works (a dict with these keys too).
Editors place a section with the block "Bereich aus einem anderen Modul"; sections not
placed anywhere on the home page are shown after the editor's sections.
"""

from dataclasses import dataclass
from typing import Any

from django.utils.safestring import mark_safe
from wagtail import hooks

HOOK_NAME = "kommune360_home_sections"


@dataclass(frozen=True)
class HomeSection:
    key: str
    label: Any
    render: Any
    order: int = 100


def _as_section(item):
    if isinstance(item, dict):
        return HomeSection(item["key"], item["label"], item["render"], item.get("order", 100))
    return item


def contributed_sections():
    sections = []
    for fn in hooks.get_hooks(HOOK_NAME):
        item = fn()
        if item is not None:
            sections.append(_as_section(item))
    return sorted(sections, key=lambda s: (s.order, s.key))


def section_choices():
    return [(section.key, section.label) for section in contributed_sections()]


def render_section(key, request):
    for section in contributed_sections():
        if section.key == key:
            return mark_safe(section.render(request) or "")
    return ""


def unplaced_sections(page, request):
    """HTML of the contributed sections the editors have not placed on ``page``."""
    placed = {block.value["section"] for block in page.body if block.block_type == "section"}
    return [
        mark_safe(section.render(request) or "")
        for section in contributed_sections()
        if section.key not in placed
    ]
