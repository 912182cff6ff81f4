"""Registration and the waitlist: register, offer a freed place, accept, decline,
expire, cancel, choose sessions. Every function that takes or frees a place locks the
event row first (``locking``)."""

from __future__ import annotations

from datetime import timedelta

from django.db import IntegrityError
from django.utils import timezone
from django.utils.translation import gettext as _

from kommune360.core.addresses import normalize_email
from kommune360.core.audit import log_action

from ..models import Answer, Question, Registration, SessionChoice
from .errors import (
    AlreadyRegistered,
    EventFull,
    OfferNotValid,
    RegistrationClosed,
    RegistrationError,
    SessionFull,
)
from .locking import lock_event, lock_for_registration, lock_registration, locked_transaction
from .mails import on_commit_due_mails, on_commit_mail
from .places import availability, check_sessions, holding_count, pages_changed

Status = Registration.Status


def _validate_answers(event, answers, questions=None):
    if questions is None:
        questions = Question.objects.filter(event=event)
    questions = {q.pk: q for q in questions}
    cleaned = {}
    for question in questions.values():
        value = str(answers.get(question.pk, answers.get(str(question.pk), "")) or "").strip()
        if question.required and not value:
            raise RegistrationError(
                _("Bitte beantworten Sie die Frage „%(label)s“.") % {"label": question.label}
            )
        if value and question.kind == Question.Kind.CHOICE and value not in question.choice_list:
            raise RegistrationError(
                _("Bitte wählen Sie bei „%(label)s“ eine der Möglichkeiten.")
                % {"label": question.label}
            )
        if value and question.kind == Question.Kind.YES_NO and value not in ("ja", "nein"):
            raise RegistrationError(_("Bitte antworten Sie mit Ja oder Nein."))
        if value:
            cleaned[question.pk] = value
    return cleaned


def register_for_event(
    event,
    *,
    name,
    email,
    organisation="",
    user=None,
    answers=None,
    sessions=(),
    questions=None,
    now=None,
) -> Registration:
    """Register a person; confirmed while places are free, else on the waitlist.

    Raises ``RegistrationClosed``, ``AlreadyRegistered``, ``EventFull`` (full and no
    waitlist) or ``SessionFull``. One transaction; the event row is locked.
    """
    now = now or timezone.now()
    email = normalize_email(email)
    sessions = list(sessions)
    closed = _("Für diese Veranstaltung ist keine Anmeldung möglich.")
    if event.registration_state(now) != "open":  # cheap early answer; re-checked below
        raise RegistrationClosed(closed)
    cleaned_answers = _validate_answers(event, answers or {}, questions)
    try:
        with locked_transaction():
            # Lock, refresh and count, then insert with the status decided. The lock is
            # held for the count and the inserts; with locked_transaction's early lock
            # release the commit adds no disk wait to it.
            holding, waiting = lock_for_registration(event)
            if event.registration_state(now) != "open":
                raise RegistrationClosed(closed)
            if event.capacity is None or (holding < event.capacity and not waiting):
                check_sessions(event, sessions)
                status = Status.CONFIRMED
            elif not event.waitlist_enabled:
                raise EventFull(_("Die Veranstaltung ist leider ausgebucht."))
            else:
                status = Status.WAITLISTED
            registration = Registration.objects.create(
                event=event,
                user=user if getattr(user, "pk", None) else None,
                name=name.strip(),
                email=email,
                organisation=organisation.strip(),
                status=status,
                created_at=now,
                status_changed_at=now,
                mail_due=status,
            )
            if cleaned_answers:
                Answer.objects.bulk_create(
                    Answer(registration=registration, question_id=qid, value=value)
                    for qid, value in cleaned_answers.items()
                )
            if sessions:
                SessionChoice.objects.bulk_create(
                    SessionChoice(registration=registration, session=s) for s in sessions
                )
            if status == Status.CONFIRMED and availability(event.capacity, holding) != availability(
                event.capacity, holding + 1
            ):
                pages_changed()
            log_action(user, f"events.registration_{status}", registration)
            on_commit_due_mails(event.pk)
            if status == Status.WAITLISTED and holding < event.capacity:
                # Places are free while others wait (capacity raised, offer expired):
                # they go to the people at the front, never to the newcomer.
                fill_from_waitlist(event, now)
    except IntegrityError as error:
        # The partial unique constraint (event, e-mail): already registered. Under
        # concurrency the second insert waits for the first commit and lands here.
        existing = Registration.objects.active().filter(event_id=event.pk, email=email).first()
        raise AlreadyRegistered(
            _("Mit dieser E-Mail-Adresse besteht bereits eine Anmeldung."), existing
        ) from error
    return registration


def _offer(registration, now):
    event = registration.event
    registration.status = Status.OFFERED
    registration.status_changed_at = now
    registration.offer_expires_at = now + timedelta(hours=event.offer_hours or 48)
    registration.save(update_fields=["status", "status_changed_at", "offer_expires_at"])
    # Session seats are held by the offer too; choices whose session filled up meanwhile
    # are dropped (the offer mail names them).
    dropped = []
    for choice in registration.choices.select_related("session"):
        try:
            check_sessions(event, [choice.session], exclude_registration=registration)
        except SessionFull:
            dropped.append(choice.session.title)
            choice.delete()
    log_action(
        None, "events.offer_made", registration, expires=registration.offer_expires_at.isoformat()
    )
    on_commit_mail(registration, "offered", dropped_sessions=dropped)


def fill_from_waitlist(event, now) -> list[Registration]:
    """Offer every free place to the next people on the waitlist (event locked)."""
    if event.capacity is None or event.is_cancelled:
        return []
    free = event.capacity - holding_count(event)
    if free <= 0:
        return []
    offered = list(
        Registration.objects.waitlist().filter(event=event).select_related("event")[:free]
    )
    for registration in offered:
        registration.event = event
        _offer(registration, now)
    return offered


def cancel_locked(registration, now, actor, action):
    was_holding = registration.is_holding
    registration.status = Status.CANCELLED
    registration.status_changed_at = now
    registration.offer_expires_at = None
    registration.save(update_fields=["status", "status_changed_at", "offer_expires_at"])
    log_action(actor, action, registration)
    if was_holding:
        pages_changed()
    return was_holding


def cancel_registration(registration, *, actor=None, now=None, notify=True) -> Registration:
    """Cancel (or leave the waitlist); a freed place is offered to the next person."""
    now = now or timezone.now()
    with locked_transaction():
        event = lock_event(registration.event_id)
        registration = lock_registration(registration.pk)
        if registration.status == Status.CANCELLED:
            return registration
        was_holding = cancel_locked(registration, now, actor, "events.registration_cancelled")
        if notify:
            on_commit_mail(registration, "cancelled")
        if was_holding:
            fill_from_waitlist(event, now)
    return registration


def accept_offer(registration, *, now=None) -> Registration:
    """Take the offered place. Raises ``OfferNotValid`` if the offer is gone or expired."""
    now = now or timezone.now()
    with locked_transaction():
        event = lock_event(registration.event_id)
        registration = lock_registration(registration.pk)
        if registration.status == Status.CONFIRMED:
            return registration  # a second click on the same link
        if registration.status != Status.OFFERED:
            raise OfferNotValid(_("Dieses Angebot gilt nicht mehr."), registration)
        if registration.offer_expires_at <= now:
            cancel_locked(registration, now, None, "events.offer_expired")
            on_commit_mail(registration, "offer_expired")
            fill_from_waitlist(event, now)
            registration.expired = True
        else:
            registration.status = Status.CONFIRMED
            registration.status_changed_at = now
            registration.offer_expires_at = None
            registration.save(update_fields=["status", "status_changed_at", "offer_expires_at"])
            log_action(registration.user, "events.offer_accepted", registration)
            on_commit_mail(registration, "confirmed")
            return registration
    raise OfferNotValid(_("Die Frist für dieses Angebot ist abgelaufen."), registration)


def decline_offer(registration, *, now=None) -> Registration:
    """Turn the offered place down; it goes to the next person on the waitlist."""
    now = now or timezone.now()
    with locked_transaction():
        event = lock_event(registration.event_id)
        registration = lock_registration(registration.pk)
        if registration.status != Status.OFFERED:
            raise OfferNotValid(_("Dieses Angebot gilt nicht mehr."), registration)
        cancel_locked(registration, now, registration.user, "events.offer_declined")
        fill_from_waitlist(event, now)
    return registration


def expire_offers(*, now=None) -> int:
    """Cancel offers past their deadline and offer the places to the next people.

    Idempotent; run by the worker every few minutes (``tasks.expire_offers_task``).
    """
    now = now or timezone.now()
    expired = 0
    event_ids = (
        Registration.objects.filter(status=Status.OFFERED, offer_expires_at__lte=now)
        .values_list("event_id", flat=True)
        .distinct()
    )
    for event_id in list(event_ids):
        with locked_transaction():
            event = lock_event(event_id)
            for registration in Registration.objects.select_for_update().filter(
                event=event, status=Status.OFFERED, offer_expires_at__lte=now
            ):
                cancel_locked(registration, now, None, "events.offer_expired")
                on_commit_mail(registration, "offer_expired")
                expired += 1
            fill_from_waitlist(event, now)
    return expired


def choose_sessions(registration, sessions, *, now=None) -> Registration:
    """Replace the sessions a person picked; seats are re-counted under the event lock."""
    sessions = list(sessions)
    with locked_transaction():
        event = lock_event(registration.event_id)
        registration = lock_registration(registration.pk)
        if registration.status == Status.CANCELLED:
            raise RegistrationError(_("Diese Anmeldung ist storniert."), registration)
        if registration.is_holding:
            check_sessions(event, sessions, exclude_registration=registration)
        else:
            for session in sessions:
                if session.event_id != event.pk:
                    raise RegistrationError(
                        _("Dieser Programmpunkt gehört nicht zur Veranstaltung.")
                    )
        registration.choices.exclude(session__in=sessions).delete()
        have = set(registration.choices.values_list("session_id", flat=True))
        SessionChoice.objects.bulk_create(
            SessionChoice(registration=registration, session=s)
            for s in sessions
            if s.pk not in have
        )
        log_action(registration.user, "events.sessions_chosen", registration)
    return registration
