"""Counting places and seats, and what the public pages say about them."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from kommune360.core.cache import invalidate_pages

from ..models import Registration, Session
from .errors import RegistrationError, SessionFull


def holding_count(event) -> int:
    return Registration.objects.filter(event=event, status__in=Registration.HOLDING).count()


def session_counts(event) -> dict[int, int]:
    """Seats held per session of ``event`` (choices of confirmed or offered registrations)."""
    rows = (
        Session.objects.filter(event=event)
        .annotate(
            held=Count("choices", filter=Q(choices__registration__status__in=Registration.HOLDING))
        )
        .values_list("pk", "held")
    )
    return dict(rows)


def availability(capacity, holding) -> str:
    """What the public pages say: ``free``, ``few`` (at most 10 %, at most 5) or ``full``."""
    if capacity is None:
        return "free"
    free = capacity - holding
    if free <= 0:
        return "full"
    return "few" if free <= max(1, min(5, capacity // 10)) else "free"


def pages_changed():
    # Public pages show the availability band; cached copies must not lie about it.
    transaction.on_commit(invalidate_pages)


def check_sessions(event, sessions, *, exclude_registration=None):
    """Raise SessionFull if one of ``sessions`` has no seat left (event must be locked)."""
    if not sessions:
        return
    held = Q(choices__registration__status__in=Registration.HOLDING)
    if exclude_registration is not None:
        held &= ~Q(choices__registration=exclude_registration)
    counts = dict(
        Session.objects.filter(pk__in=[s.pk for s in sessions])
        .annotate(held=Count("choices", filter=held))
        .values_list("pk", "held")
    )
    for session in sessions:
        if session.event_id != event.pk:
            raise RegistrationError(_("Dieser Programmpunkt gehört nicht zur Veranstaltung."))
        if session.capacity is not None and counts.get(session.pk, 0) >= session.capacity:
            raise SessionFull(
                _("„%(title)s“ ist leider ausgebucht.") % {"title": session.title}, session
            )
