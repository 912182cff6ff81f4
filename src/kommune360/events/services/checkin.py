"""Check-in at the event (the certificates of the checked-in: ``core.certificates``)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from kommune360.core.audit import log_action

from ..models import Registration
from .errors import RegistrationError
from .locking import lock_registration, locked_transaction

Status = Registration.Status


def check_in(registration, *, actor=None, now=None) -> tuple[Registration, bool]:
    """Mark a confirmed participant as present. Twice is harmless: returns (reg, False)."""
    now = now or timezone.now()
    with locked_transaction():
        registration = lock_registration(registration.pk)
        if registration.status != Status.CONFIRMED:
            raise RegistrationError(_("Diese Anmeldung ist nicht bestätigt."), registration)
        if registration.checked_in_at is not None:
            return registration, False
        registration.checked_in_at = now
        registration.save(update_fields=["checked_in_at"])
        log_action(actor, "events.checked_in", registration)
    return registration, True
