"""Every operation that changes registrations, sessions or events.

The locking rule (after pretix's ``lock_objects``): an operation that takes or frees
a place runs in one transaction that locks the event row with ``select_for_update``,
re-counts under that lock, then decides and writes. The event lock is the only lock
taken, once per transaction, so there is no lock order to get wrong. Sessions are
counted under the same lock. On PostgreSQL the lock is released at the commit without
waiting for the disk, and the function waits for the disk afterwards
(``_locked_transaction``, decision 0023). On SQLite ``select_for_update`` does nothing,
but every transaction starts with ``BEGIN IMMEDIATE`` (settings), which serialises
writers just the same. The partial unique constraint on (event, e-mail) backs the "no
one twice" rule. See docs/decisions/0020-registration-locking.md.
"""

from __future__ import annotations

import logging
from contextlib import contextmanager
from datetime import timedelta

from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.signal_handlers import (
    disable_reference_index_auto_update,
    reference_index_auto_update_disabled,
)

from kommune360.core.addresses import normalize_email
from kommune360.core.audit import log_action
from kommune360.core.cache import invalidate_pages

from .models import Answer, Event, Postcard, Question, Registration, Session, SessionChoice

logger = logging.getLogger(__name__)

Status = Registration.Status


class RegistrationError(Exception):
    """A registration could not be made or changed; ``message`` is shown to the person."""

    def __init__(self, message, registration=None):
        super().__init__(message)
        self.message = message
        self.registration = registration


class RegistrationClosed(RegistrationError):
    pass


class AlreadyRegistered(RegistrationError):
    pass


class EventFull(RegistrationError):
    pass


class SessionFull(RegistrationError):
    def __init__(self, message, session=None):
        super().__init__(message)
        self.session = session


class OfferNotValid(RegistrationError):
    pass


@contextmanager
def _quietly():
    """No Wagtail reference-index updates for the rows written here (audit entries,
    registrations): they are not content, and each update would be one more queued task
    inside the locked transaction. Safe to nest."""
    if getattr(reference_index_auto_update_disabled, "value", False):
        yield
        return
    with disable_reference_index_auto_update():
        yield


@contextmanager
def _locked_transaction():
    """The one transaction of an operation that locks the event row.

    On PostgreSQL, when this is the outermost transaction, its commit does not wait for
    the write-ahead log to reach the disk (``SET LOCAL synchronous_commit = off``): the
    event lock is released as soon as the decision is committed and visible, not one
    disk flush later. Before the function returns (and so before anyone is told the
    result), ``_wait_until_durable`` waits for that flush. Concurrent operations share
    their flushes (group commit) instead of each holding the lock through its own,
    which serialised every registration behind one ``fsync``. A crash can only lose a
    commit nobody was told about, and the log is replayed in commit order, so what
    survives is always a consistent prefix. See docs/decisions/0023-early-lock-release.md.
    """
    connection = transaction.get_connection()
    early_release = connection.vendor == "postgresql" and not connection.in_atomic_block
    with transaction.atomic(), _quietly():
        if early_release:
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit = off")
        yield
    if early_release:
        _wait_until_durable(connection)


def _wait_until_durable(connection):
    """Return once every commit so far is on disk (PostgreSQL, outside a transaction).

    A transaction that writes to the log and commits synchronously flushes the log up
    to its own commit record, which lies after ours. Raw SQL because the ORM has no
    word for it: ``pg_logical_emit_message`` writes a tiny log record (no table, no row,
    nothing to lock; logical decoding would see a message with the prefix
    "kommune360"), and any role may call it.
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_logical_emit_message(true, 'kommune360', '')")


def _lock_event(event_id) -> Event:
    return Event.objects.select_for_update().get(pk=event_id)


# What decides a registration; refreshed under the lock (``_lock_for_registration``).
_DECIDING_FIELDS = (
    "capacity",
    "waitlist_enabled",
    "registration_enabled",
    "registration_opens_at",
    "registration_closes_at",
    "starts_at",
    "cancelled_at",
    "offer_hours",
)


def _lock_for_registration(event) -> tuple[int, bool]:
    """Lock the event row, refresh the fields that decide, count; returns (holding, waiting).

    ``holding``: confirmed or offered registrations; ``waiting``: whether anybody is on
    the waitlist. Two statements on purpose: under READ COMMITTED a ``SELECT … FOR
    UPDATE`` that had to wait for the lock evaluates its sub-queries with the snapshot
    from before the wait, so a count in the locking statement would miss registrations
    committed meanwhile (the PostgreSQL concurrency test overbooked with it); the
    second statement gets a fresh snapshot.

    Raw SQL on purpose: this runs for every registration while the lock is held, and
    building these two statements with the ORM cost more CPU than PostgreSQL needs to
    run them (docs/events.md, benchmark). ``raw()`` still converts the values per
    database. The count reads at most the places (index on event, status); the
    waitlist is only asked whether it is empty.
    """
    quote = connection.ops.quote_name
    columns = ", ".join(quote(Event._meta.get_field(name).column) for name in _DECIDING_FIELDS)
    for_update = " FOR UPDATE" if connection.features.has_select_for_update else ""
    locked = Event.objects.raw(
        f"SELECT id, {columns} FROM {quote(Event._meta.db_table)} WHERE id = %s{for_update}",
        [event.pk],
    )[0]
    for name in _DECIDING_FIELDS:
        setattr(event, name, getattr(locked, name))
    table = quote(Registration._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT COUNT(*) FROM {table} WHERE event_id = %s AND status IN (%s, %s)),"
            f" EXISTS (SELECT 1 FROM {table} WHERE event_id = %s AND status = %s)",
            [event.pk, *Registration.HOLDING, event.pk, Status.WAITLISTED],
        )
        holding, waiting = cursor.fetchone()
    return holding, bool(waiting)


def _lock_registration(registration_id) -> Registration:
    return Registration.objects.select_for_update().select_related("event").get(pk=registration_id)


def holding_count(event) -> int:
    return Registration.objects.filter(event=event, status__in=Registration.HOLDING).count()


def free_places(event) -> int | None:
    """Places nobody holds (None: no limit). Not a promise: only a locked re-count is."""
    if event.capacity is None:
        return None
    return max(event.capacity - holding_count(event), 0)


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


def _pages_changed():
    # Public pages show the availability band; cached copies must not lie about it.
    transaction.on_commit(invalidate_pages)


def _on_commit_mail(registration, kind, **extra):
    from .tasks import send_registration_mail

    registration_id = registration.pk
    transaction.on_commit(lambda: send_registration_mail.enqueue(registration_id, kind, extra))


def _on_commit_due_mails(event_id):
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
    from .tasks import send_due_mails_task

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
    from . import mail

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


def _check_sessions(event, sessions, *, exclude_registration=None):
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
        with _locked_transaction():
            # Lock, refresh and count, then insert with the status decided. The lock is
            # held for the count and the inserts; with _locked_transaction's early lock
            # release the commit adds no disk wait to it.
            holding, waiting = _lock_for_registration(event)
            if event.registration_state(now) != "open":
                raise RegistrationClosed(closed)
            if event.capacity is None or (holding < event.capacity and not waiting):
                _check_sessions(event, sessions)
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
                _pages_changed()
            log_action(user, f"events.registration_{status}", registration)
            _on_commit_due_mails(event.pk)
            if status == Status.WAITLISTED and holding < event.capacity:
                # Places are free while others wait (capacity raised, offer expired):
                # they go to the people at the front, never to the newcomer.
                _fill_from_waitlist(event, now)
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
            _check_sessions(event, [choice.session], exclude_registration=registration)
        except SessionFull:
            dropped.append(choice.session.title)
            choice.delete()
    log_action(
        None, "events.offer_made", registration, expires=registration.offer_expires_at.isoformat()
    )
    _on_commit_mail(registration, "offered", dropped_sessions=dropped)


def _fill_from_waitlist(event, now) -> list[Registration]:
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


def _cancel(registration, now, actor, action):
    was_holding = registration.is_holding
    registration.status = Status.CANCELLED
    registration.status_changed_at = now
    registration.offer_expires_at = None
    registration.save(update_fields=["status", "status_changed_at", "offer_expires_at"])
    log_action(actor, action, registration)
    if was_holding:
        _pages_changed()
    return was_holding


def cancel_registration(registration, *, actor=None, now=None, notify=True) -> Registration:
    """Cancel (or leave the waitlist); a freed place is offered to the next person."""
    now = now or timezone.now()
    with _locked_transaction():
        event = _lock_event(registration.event_id)
        registration = _lock_registration(registration.pk)
        if registration.status == Status.CANCELLED:
            return registration
        was_holding = _cancel(registration, now, actor, "events.registration_cancelled")
        if notify:
            _on_commit_mail(registration, "cancelled")
        if was_holding:
            _fill_from_waitlist(event, now)
    return registration


def accept_offer(registration, *, now=None) -> Registration:
    """Take the offered place. Raises ``OfferNotValid`` if the offer is gone or expired."""
    now = now or timezone.now()
    with _locked_transaction():
        event = _lock_event(registration.event_id)
        registration = _lock_registration(registration.pk)
        if registration.status == Status.CONFIRMED:
            return registration  # a second click on the same link
        if registration.status != Status.OFFERED:
            raise OfferNotValid(_("Dieses Angebot gilt nicht mehr."), registration)
        if registration.offer_expires_at <= now:
            _cancel(registration, now, None, "events.offer_expired")
            _on_commit_mail(registration, "offer_expired")
            _fill_from_waitlist(event, now)
            registration.expired = True
        else:
            registration.status = Status.CONFIRMED
            registration.status_changed_at = now
            registration.offer_expires_at = None
            registration.save(update_fields=["status", "status_changed_at", "offer_expires_at"])
            log_action(registration.user, "events.offer_accepted", registration)
            _on_commit_mail(registration, "confirmed")
            return registration
    raise OfferNotValid(_("Die Frist für dieses Angebot ist abgelaufen."), registration)


def decline_offer(registration, *, now=None) -> Registration:
    """Turn the offered place down; it goes to the next person on the waitlist."""
    now = now or timezone.now()
    with _locked_transaction():
        event = _lock_event(registration.event_id)
        registration = _lock_registration(registration.pk)
        if registration.status != Status.OFFERED:
            raise OfferNotValid(_("Dieses Angebot gilt nicht mehr."), registration)
        _cancel(registration, now, registration.user, "events.offer_declined")
        _fill_from_waitlist(event, now)
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
        with _locked_transaction():
            event = _lock_event(event_id)
            for registration in Registration.objects.select_for_update().filter(
                event=event, status=Status.OFFERED, offer_expires_at__lte=now
            ):
                _cancel(registration, now, None, "events.offer_expired")
                _on_commit_mail(registration, "offer_expired")
                expired += 1
            _fill_from_waitlist(event, now)
    return expired


def choose_sessions(registration, sessions, *, now=None) -> Registration:
    """Replace the sessions a person picked; seats are re-counted under the event lock."""
    sessions = list(sessions)
    with _locked_transaction():
        event = _lock_event(registration.event_id)
        registration = _lock_registration(registration.pk)
        if registration.status == Status.CANCELLED:
            raise RegistrationError(_("Diese Anmeldung ist storniert."), registration)
        if registration.is_holding:
            _check_sessions(event, sessions, exclude_registration=registration)
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


def check_in(registration, *, actor=None, now=None) -> tuple[Registration, bool]:
    """Mark a confirmed participant as present. Twice is harmless: returns (reg, False)."""
    now = now or timezone.now()
    with _locked_transaction():
        registration = _lock_registration(registration.pk)
        if registration.status != Status.CONFIRMED:
            raise RegistrationError(_("Diese Anmeldung ist nicht bestätigt."), registration)
        if registration.checked_in_at is not None:
            return registration, False
        registration.checked_in_at = now
        registration.save(update_fields=["checked_in_at"])
        log_action(actor, "events.checked_in", registration)
    return registration, True


def update_capacity(event, capacity, *, actor=None, now=None) -> Event:
    """Change the number of places; new places go to the waitlist at once.

    Lowering it below the places already held takes nobody's place away.
    """
    now = now or timezone.now()
    with _locked_transaction():
        event = _lock_event(event.pk)
        event.capacity = capacity
        event.save(update_fields=["capacity", "updated_at"])
        log_action(actor, "events.capacity_changed", event, capacity=capacity)
        _pages_changed()
        _fill_from_waitlist(event, now)
    return event


def cancel_event(event, *, reason="", actor=None, now=None) -> Event:
    """Call the event off: every registration is cancelled and everyone is informed."""
    now = now or timezone.now()
    with _locked_transaction():
        event = _lock_event(event.pk)
        if event.is_cancelled:
            return event
        event.cancelled_at = now
        event.cancel_reason = reason
        event.save(update_fields=["cancelled_at", "cancel_reason", "updated_at"])
        for registration in Registration.objects.active().filter(event=event):
            registration.event = event
            _cancel(registration, now, actor, "events.registration_cancelled_with_event")
            _on_commit_mail(registration, "event_cancelled")
        log_action(actor, "events.event_cancelled", event, reason=reason)
    return event


def message_participants(event, *, subject, text, to="all", actor=None) -> int:
    """Send a message to all holding participants or to the waitlist; one mail each."""
    from .tasks import send_message_task

    statuses = {"all": Registration.HOLDING, "waitlisted": (Status.WAITLISTED,)}[to]
    ids = list(
        Registration.objects.filter(event=event, status__in=statuses).values_list("pk", flat=True)
    )
    with _locked_transaction():
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
    from .mail import send_postcard_mail

    now = now or timezone.now()
    with _locked_transaction():
        registration = _lock_registration(registration.pk)
        event = registration.event
        if registration.status != Status.CONFIRMED or event.ends_at > now:
            raise RegistrationError(
                _("Postkarten können Teilnehmer:innen nach der Veranstaltung verschicken.")
            )
        if registration.postcards.count() >= POSTCARDS_PER_REGISTRATION:
            raise RegistrationError(
                _("Sie haben schon %(n)s Postkarten verschickt; mehr sind nicht möglich.")
                % {"n": POSTCARDS_PER_REGISTRATION}
            )
        postcard = Postcard.objects.create(event=event, registration=registration, sent_at=now)
        log_action(registration.user, "events.postcard_sent", event, registration=registration.pk)
        send_postcard_mail(event, sender_name=sender_name, recipient=recipient, message=message)
    return postcard
