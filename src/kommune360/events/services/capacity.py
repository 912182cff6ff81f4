"""Changes to an event that move people: its capacity, calling it off."""

from __future__ import annotations

from django.utils import timezone

from kommune360.core.audit import log_action

from ..models import Event, Registration
from .locking import lock_event, locked_transaction
from .mails import on_commit_mail
from .places import pages_changed
from .registration import cancel_locked, fill_from_waitlist


def update_capacity(event, capacity, *, actor=None, now=None) -> Event:
    """Change the number of places; new places go to the waitlist at once.

    Lowering it below the places already held takes nobody's place away.
    """
    now = now or timezone.now()
    with locked_transaction():
        event = lock_event(event.pk)
        event.capacity = capacity
        event.save(update_fields=["capacity", "updated_at"])
        log_action(actor, "events.capacity_changed", event, capacity=capacity)
        pages_changed()
        fill_from_waitlist(event, now)
    return event


def cancel_event(event, *, reason="", actor=None, now=None) -> Event:
    """Call the event off: every registration is cancelled and everyone is informed."""
    now = now or timezone.now()
    with locked_transaction():
        event = lock_event(event.pk)
        if event.is_cancelled:
            return event
        event.cancelled_at = now
        event.cancel_reason = reason
        event.save(update_fields=["cancelled_at", "cancel_reason", "updated_at"])
        for registration in Registration.objects.active().filter(event=event):
            registration.event = event
            cancel_locked(registration, now, actor, "events.registration_cancelled_with_event")
            on_commit_mail(registration, "event_cancelled")
        log_action(actor, "events.event_cancelled", event, reason=reason)
    return event
