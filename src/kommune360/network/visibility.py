"""What one viewer may see of a profile: the only door to profile fields.

Three audiences: anonymous visitors see fields open to everybody, members (any
logged-in account) also those open to members, the owner everything. Templates render
a ``Card``; a field the viewer may not see is ``None`` there, never the value.
"""

from dataclasses import dataclass, field
from pathlib import PurePosixPath

from django.urls import reverse
from django.utils.translation import gettext as _

from .models import FIELDS, Visibility

ANONYMOUS, MEMBER, OWNER = "anonymous", "member", "owner"
OPEN_TO = {
    ANONYMOUS: {Visibility.EVERYBODY},
    MEMBER: {Visibility.EVERYBODY, Visibility.MEMBERS},
    OWNER: {Visibility.EVERYBODY, Visibility.MEMBERS, Visibility.NOBODY},
}


def audience(viewer, profile=None) -> str:
    if viewer is None or not viewer.is_authenticated or not viewer.is_active:
        return ANONYMOUS
    if profile is not None and profile.user_id == viewer.pk:
        return OWNER
    return MEMBER


def open_visibilities(level: str) -> list[str]:
    return sorted(OPEN_TO[level])


def may_see(profile, field_name: str, level: str) -> bool:
    return profile.visibility_of(field_name) in OPEN_TO[level]


@dataclass
class Card:
    pk: int
    title: str
    name_shown: bool
    is_fellow: bool
    fellow_year: int | None
    role: str | None = None
    municipality: object | None = None
    topics: list | None = None
    offers: str | None = None
    offers_topics: list | None = None
    seeks: str | None = None
    seeks_topics: list | None = None
    languages: list | None = None
    photo_url: str | None = None
    links: list | None = None
    hidden: list = field(default_factory=list)

    @property
    def initials(self) -> str:
        if not self.name_shown:
            return "?"
        return "".join(part[0] for part in self.title.split()[:2]).upper()


def shown_name(profile, level: str) -> str:
    """The profile's name if ``level`` may see it (no queries)."""
    if profile is not None and may_see(profile, "name", level):
        return profile.name
    return _("Mitglied des Netzwerks")


def card(profile, level: str) -> Card:
    """The profile as ``level`` may see it (topics and municipality prefetched)."""
    shown = {name: may_see(profile, name, level) for name in FIELDS}
    result = Card(
        pk=profile.pk,
        title=shown_name(profile, level),
        name_shown=shown["name"],
        is_fellow=profile.is_fellow,
        fellow_year=profile.fellow_year if profile.is_fellow else None,
        hidden=[name for name in FIELDS if not shown[name]],
    )
    if shown["role"] and profile.role:
        result.role = profile.get_role_display()
    if shown["municipality"] and profile.municipality_id:
        result.municipality = profile.municipality
    if shown["topics"]:
        result.topics = list(profile.topics.all())
    if shown["offers"]:
        result.offers = profile.offers
        result.offers_topics = list(profile.offers_topics.all())
    if shown["seeks"]:
        result.seeks = profile.seeks
        result.seeks_topics = list(profile.seeks_topics.all())
    if shown["languages"]:
        result.languages = profile.language_list
    if shown["photo"] and profile.photo:
        # Served by a view that asks the same question; a new photo, a new address.
        version = PurePosixPath(profile.photo.name).stem[:12]
        result.photo_url = f"{reverse('network:photo', args=[profile.pk])}?v={version}"
    if shown["links"]:
        result.links = [
            link for link in profile.link_list if link.startswith(("https://", "http://"))
        ]
    return result


def with_related(queryset):
    return queryset.select_related("municipality", "municipality__district").prefetch_related(
        "topics", "offers_topics", "seeks_topics"
    )
