"""Profiles: saving one's own, switching it on and off, Fellows (staff)."""

import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kommune360.core.audit import log_action
from kommune360.core.images import clean_photo

from .. import search
from ..models import FIELDS, Profile

SIMPLE_FIELDS = ("name", "role", "municipality", "offers", "seeks", "languages", "links")
TOPIC_FIELDS = ("topics", "offers_topics", "seeks_topics")


def profile_of(user):
    """The person's profile, or ``None`` before they created one."""
    if not user.is_authenticated:
        return None
    return Profile.objects.filter(user=user).first()


def default_name(user) -> str:
    return user.get_full_name() or ""


@transaction.atomic
def save_profile(user, data: dict, *, photo=None, remove_photo=False) -> Profile:
    """Create or change the person's own profile from cleaned form data."""
    profile = Profile.objects.select_for_update().filter(user=user).first()
    created = profile is None
    if created:
        profile = Profile(user=user)
    for name in SIMPLE_FIELDS:
        if name in data:
            value = data[name]
            if value is None and name != "municipality":
                value = ""
            setattr(profile, name, value)
    for name in FIELDS:
        key = f"{name}_visibility"
        if key in data:
            setattr(profile, key, data[key])
    if "is_active" in data:
        profile.is_active = bool(data["is_active"])
    if "show_as_fellow" in data:
        profile.show_as_fellow = bool(data["show_as_fellow"])
    if photo is not None:
        # A random name: the file's address must not be guessable, since the photo may
        # be open to members only.
        cleaned = clean_photo(photo, name=f"{uuid.uuid4().hex}.jpg")
        if profile.photo:
            profile.photo.delete(save=False)
        profile.photo.save(cleaned.name, cleaned, save=False)
    elif remove_photo and profile.photo:
        profile.photo.delete(save=False)
    if not profile.name.strip():
        raise ValidationError(_("Bitte geben Sie einen Namen an."))
    profile.save()
    for name in TOPIC_FIELDS:
        if name in data:
            getattr(profile, name).set(data[name])
    search.index_profile(profile)
    log_action(user, "network.profile_created" if created else "network.profile_changed", profile)
    return profile


@transaction.atomic
def set_active(user, active: bool, *, actor=None) -> Profile:
    """Switch the person's profile on or off (the Moderation may switch it off)."""
    profile = Profile.objects.select_for_update().get(user=user)
    profile.is_active = active
    profile.save(update_fields=["is_active", "updated"])
    action = "network.profile_shown" if active else "network.profile_hidden"
    log_action(actor or user, action, profile)
    return profile


@transaction.atomic
def set_fellow(actor, profile, *, is_fellow: bool, year: int | None) -> Profile:
    """Staff mark a member as Fellow of a cohort year (or take it back)."""
    if is_fellow and not year:
        raise ValidationError(_("Bitte geben Sie den Jahrgang der Fellows an."))
    profile.is_fellow = is_fellow
    profile.fellow_year = year if is_fellow else None
    if not is_fellow:
        profile.show_as_fellow = False
    profile.save(update_fields=["is_fellow", "fellow_year", "show_as_fellow", "updated"])
    log_action(actor, "network.fellow_set", profile, is_fellow=is_fellow, year=year)
    return profile
