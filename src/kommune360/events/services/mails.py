"""Mails to participants: registration mails (queued when due), messages, postcards."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kommune360.core.audit import log_action
from kommune360.core.languages import in_default_language
from kommune360.core.mail import queue_email
from kommune360.core.signed_links import SignedLink

from ..models import Postcard, Registration
from .errors import ConfirmationExpired, ConfirmationInvalid, RegistrationError
from .locking import lock_registration, locked_transaction

logger = logging.getLogger(__name__)

Status = Registration.Status


def on_commit_mail(registration, kind, **extra):
    from ..tasks import send_registration_mail

    registration_id = registration.pk
    transaction.on_commit(lambda: send_registration_mail.enqueue(registration_id, kind, extra))


def on_commit_due_mails(event_id):
    transaction.on_commit(lambda: request_due_mails(event_id))


def _due_mails_key(event_id):
    return f"events:due-mails:{event_id}"


def request_due_mails(event_id) -> bool:
    """Make sure a task will send the event's due registration mails (``mail_due``).

    A rush of registrations would otherwise queue one task per registration, inside
    every request. Instead the registration row carries the mail it needs, and one task
    per event sends what is due: this enqueues it unless one is queued and not started
    yet (a key in the shared cache, removed when the task starts, before it reads).
    A registration committed before that start is read by it; one committed after finds
    no key and queues the next task. Should a task get lost, the periodic
    ``events.due_mails`` sends what is left within a minute.
    """
    from ..tasks import send_due_mails_task

    if not cache.add(_due_mails_key(event_id), True, timeout=DUE_MAILS_KEY_SECONDS):
        return False
    send_due_mails_task.enqueue(event_id)
    return True


# A queued task that never starts (worker gone) blocks new ones at most this long.
DUE_MAILS_KEY_SECONDS = 300


DUE_MAILS_BATCH = 100


def send_due_mails(event_id=None) -> int:
    """Queue the due registration mails (of one event, or all) and clear ``mail_due``.

    Each batch is one transaction: the rows are locked (others skip them), their mails
    go to the outbox and their marks are cleared together, so every mail is queued
    exactly once even with several workers.
    """
    from .. import mail

    if event_id is not None:
        cache.delete(_due_mails_key(event_id))
    queued = 0
    while True:
        with transaction.atomic():
            due = Registration.objects.exclude(mail_due="")
            if event_id is not None:
                due = due.filter(event_id=event_id)
            batch = list(
                due.select_for_update(skip_locked=True, of=("self",))
                .select_related("event")
                .order_by("pk")[:DUE_MAILS_BATCH]
            )
            if not batch:
                return queued
            for registration in batch:
                try:
                    with transaction.atomic():
                        mail.send_registration_mail(registration, registration.mail_due)
                except Exception:
                    # A mail that cannot even be built must not hold up the others (nor
                    # come back in every batch): its mark is cleared with theirs.
                    logger.exception("Registration mail %s not built", registration.pk)
                else:
                    queued += 1
            Registration.objects.filter(pk__in=[r.pk for r in batch]).update(mail_due="")


def message_participants(event, *, subject, text, to="all", actor=None) -> int:
    """Send a message to all holding participants or to the waitlist; one mail each."""
    from ..tasks import send_message_task

    statuses = {"all": Registration.HOLDING, "waitlisted": (Status.WAITLISTED,)}[to]
    ids = list(
        Registration.objects.filter(event=event, status__in=statuses).values_list("pk", flat=True)
    )
    with locked_transaction():
        log_action(actor, "events.message_sent", event, to=to, subject=subject, count=len(ids))
        for registration_id in ids:
            transaction.on_commit(
                lambda rid=registration_id: send_message_task.enqueue(rid, subject, text)
            )
    return len(ids)


POSTCARDS_PER_REGISTRATION = 5


def send_postcard(registration, *, sender_name, recipient, message, now=None) -> Postcard:
    """Send a postcard from a participant after the event.

    The recipient's address and the message go into this one mail only; what stays is
    a row that counts the postcard (impact figure, limit per participant).
    """
    from ..mail import send_postcard_mail

    now = now or timezone.now()
    with locked_transaction():
        registration = lock_registration(registration.pk)
        event = registration.event
        if registration.status != Status.CONFIRMED or event.ends_at > now:
            raise RegistrationError(
                _("Postkarten können Teilnehmer:innen nach der Veranstaltung verschicken.")
            )
        if registration.postcards.count() >= POSTCARDS_PER_REGISTRATION:
            raise RegistrationError(
                ngettext(
                    "Sie haben schon %(n)s Postkarte verschickt; mehr sind nicht möglich.",
                    "Sie haben schon %(n)s Postkarten verschickt; mehr sind nicht möglich.",
                    POSTCARDS_PER_REGISTRATION,
                )
                % {"n": POSTCARDS_PER_REGISTRATION}
            )
        postcard = Postcard.objects.create(event=event, registration=registration, sent_at=now)
        log_action(registration.user, "events.postcard_sent", event, registration=registration.pk)
        send_postcard_mail(event, sender_name=sender_name, recipient=recipient, message=message)
    return postcard


# The confirmation link of a visitor without account: the registration is made when
# the link is followed, from the data signed into it (nothing is stored before).
CONFIRM_MAX_AGE = 3 * 24 * 3600
CONFIRMATION = SignedLink("kommune360.events.register", max_age=CONFIRM_MAX_AGE)


@in_default_language
def send_confirmation_link(event, *, name, email, organisation="", answers=None, sessions=()):
    """Mail ``email`` a link that registers this person for ``event`` once followed."""
    token = CONFIRMATION.sign(
        {
            "e": event.pk,
            "n": name,
            "m": email,
            "o": organisation,
            "a": {str(k): v for k, v in (answers or {}).items()},
            "s": [s.pk for s in sessions],
        }
    )
    url = settings.SITE_URL + reverse("events:confirm", args=[event.slug, token])
    text = render_to_string(
        "events/mail/confirm_address.txt", {"event": event, "name": name, "url": url}
    )
    queue_email(
        _("Bitte bestätigen Sie Ihre Anmeldung: %(title)s") % {"title": event.title},
        [email],
        text,
    )


def read_confirmation_link(event, token) -> dict:
    """What a confirmation link for ``event`` carries: ``name``, ``email``,
    ``organisation``, ``answers`` (question id -> value) and ``session_ids``.

    Raises ``ConfirmationExpired`` after ``CONFIRM_MAX_AGE``, ``ConfirmationInvalid``
    for a forged or damaged link or one for another event.
    """
    data = CONFIRMATION.read(token)
    if data is None and CONFIRMATION.is_expired(token):
        raise ConfirmationExpired(_("Dieser Link ist abgelaufen"))
    if not isinstance(data, dict) or data.get("e") != event.pk:
        raise ConfirmationInvalid(_("Dieser Link ist ungültig."))
    return {
        "name": data["n"],
        "email": data["m"],
        "organisation": data.get("o", ""),
        "answers": {int(k): v for k, v in data.get("a", {}).items()},
        "session_ids": list(data.get("s", [])),
    }
