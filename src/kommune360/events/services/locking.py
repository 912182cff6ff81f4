"""How the services lock: one transaction per operation, the event row locked.

The locking rule (after pretix's ``lock_objects``): an operation that takes or frees
a place runs in one transaction that locks the event row with ``select_for_update``,
re-counts under that lock, then decides and writes. The event lock is the only lock
taken, once per transaction, so there is no lock order to get wrong. Sessions are
counted under the same lock. On PostgreSQL the lock is released at the commit without
waiting for the disk, and the function waits for the disk afterwards
(``locked_transaction``, decision 0023). On SQLite ``select_for_update`` does nothing,
but every transaction starts with ``BEGIN IMMEDIATE`` (settings), which serialises
writers just the same. The partial unique constraint on (event, e-mail) backs the "no
one twice" rule. See docs/decisions/0020-registration-locking.md.
"""

from __future__ import annotations

from contextlib import contextmanager

from django.db import connection, transaction
from wagtail.signal_handlers import (
    disable_reference_index_auto_update,
    reference_index_auto_update_disabled,
)

from ..models import Event, Registration

Status = Registration.Status


@contextmanager
def quietly():
    """No Wagtail reference-index updates for the rows written here (audit entries,
    registrations): they are not content, and each update would be one more queued task
    inside the locked transaction. Safe to nest."""
    if getattr(reference_index_auto_update_disabled, "value", False):
        yield
        return
    with disable_reference_index_auto_update():
        yield


@contextmanager
def locked_transaction():
    """The one transaction of an operation that locks the event row.

    On PostgreSQL, when this is the outermost transaction, its commit does not wait for
    the write-ahead log to reach the disk (``SET LOCAL synchronous_commit = off``): the
    event lock is released as soon as the decision is committed and visible, not one
    disk flush later. Before the function returns (and so before anyone is told the
    result), ``wait_until_durable`` waits for that flush. Concurrent operations share
    their flushes (group commit) instead of each holding the lock through its own,
    which serialised every registration behind one ``fsync``. A crash can only lose a
    commit nobody was told about, and the log is replayed in commit order, so what
    survives is always a consistent prefix. See docs/decisions/0023-early-lock-release.md.
    """
    connection = transaction.get_connection()
    early_release = connection.vendor == "postgresql" and not connection.in_atomic_block
    with transaction.atomic(), quietly():
        if early_release:
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit = off")
        yield
    if early_release:
        wait_until_durable(connection)


def wait_until_durable(connection):
    """Return once every commit so far is on disk (PostgreSQL, outside a transaction).

    A transaction that writes to the log and commits synchronously flushes the log up
    to its own commit record, which lies after ours. Raw SQL because the ORM has no
    word for it: ``pg_logical_emit_message`` writes a tiny log record (no table, no row,
    nothing to lock; logical decoding would see a message with the prefix
    "kommune360"), and any role may call it.
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_logical_emit_message(true, 'kommune360', '')")


def lock_event(event_id) -> Event:
    return Event.objects.select_for_update().get(pk=event_id)


# What decides a registration; refreshed under the lock (``lock_for_registration``).
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


def lock_for_registration(event) -> tuple[int, bool]:
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


def lock_registration(registration_id) -> Registration:
    return Registration.objects.select_for_update().select_related("event").get(pk=registration_id)
