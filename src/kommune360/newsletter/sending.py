"""The delivery run: one ``Delivery`` row per campaign and recipient, claimed in
batches and sent over a few connections (``transport``), with retries, auto-pause and
crash safety. Starting, pausing and resuming a campaign is ``services.campaigns``.

Exactly once (docs/newsletter.md explains it at length): an SMTP server accepts a
message when it reads the end-of-data line (``<CRLF>.<CRLF>``). For each message
the worker sends envelope and content, then appends ``D <id>`` to its journal (an
append-only file or Redis list, one write, ``journal``), then writes the end-of-data,
reads the reply and appends ``A <id>`` (accepted) or ``F <id>`` (refused). The
database learns about accepted messages in batches. A worker that takes over after a
crash reads the dead worker's journal: a claimed row without ``D`` was never offered
to the server and goes back to ``pending``; a row with ``D`` and without ``F`` counts
as sent. The only uncertainty left is a kill between the journal write and the
end-of-data write (two adjacent syscalls); that message counts as sent although the
server never got it. No other interleaving sends a message twice or skips it.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from kommune360.core.audit import log_action
from kommune360.core.cache import invalidate_pages

from . import services
from .journal import discard_worker_journal, open_journal, option, read_worker_journal
from .models import Campaign, ConsentEvent, Delivery, address_origin
from .rendering import MailTemplate
from .transport import (
    DjangoTransport,
    PermanentError,
    SmtpTransport,
    TemporaryError,
    smtp_settings_in_use,
)

logger = logging.getLogger(__name__)


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def _worker_alive(worker: str, heartbeat_at) -> bool:
    if not worker:
        return False
    host, _sep, rest = worker.partition(":")
    pid_text = rest.split(":", 1)[0]
    if host == socket.gethostname() and pid_text.isdigit() and int(pid_text) != os.getpid():
        try:
            os.kill(int(pid_text), 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            pass
    timeout = option("WORKER_TIMEOUT", 120)
    return heartbeat_at is not None and timezone.now() - heartbeat_at < timedelta(seconds=timeout)


class RateLimiter:
    def __init__(self, per_second: float):
        self.interval = 1.0 / per_second if per_second else 0.0
        self.lock = threading.Lock()
        self.next_at = time.monotonic()

    def wait(self):
        if not self.interval:
            return
        with self.lock:
            now = time.monotonic()
            at = max(self.next_at, now)
            self.next_at = at + self.interval
        if at > now:
            time.sleep(at - now)


@dataclass
class RunState:
    campaign_id: int
    worker: str
    template: MailTemplate
    journal: object  # journal.Journal or journal.RedisJournal
    limiter: RateLimiter
    batch_size: int
    max_errors: int
    max_attempts: int
    retry_base: float
    sent: int = 0
    errors: int = 0
    consecutive_errors: int = 0
    stop: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)
    last_heartbeat: float = field(default_factory=time.monotonic)

    def record(self, ok: bool, reason=""):
        with self.lock:
            if ok:
                self.sent += 1
                self.consecutive_errors = 0
                return
            self.errors += 1
            self.consecutive_errors += 1
            if self.consecutive_errors >= self.max_errors and not self.stop:
                self.stop = True
                services.pause(
                    Campaign.objects.get(pk=self.campaign_id),
                    None,
                    reason=f"Automatisch pausiert nach {self.consecutive_errors} Fehlern "
                    f"in Folge: {reason}"[:255],
                )


def claim_batch(run: RunState) -> list[dict]:
    now = timezone.now()
    with transaction.atomic():
        if not Campaign.objects.filter(pk=run.campaign_id, state=Campaign.State.SENDING).exists():
            run.stop = True
            return []
        candidates = Delivery.objects.filter(
            campaign_id=run.campaign_id, state=Delivery.State.PENDING
        ).filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        if connection.features.has_select_for_update_skip_locked:
            candidates = candidates.select_for_update(skip_locked=True)
        ids = list(candidates.order_by("id").values_list("id", flat=True)[: run.batch_size])
        if not ids:
            return []
        Delivery.objects.filter(id__in=ids, state=Delivery.State.PENDING).update(
            state=Delivery.State.SENDING, claimed_by=run.worker
        )
        if time.monotonic() - run.last_heartbeat > 5:
            Campaign.objects.filter(pk=run.campaign_id).update(heartbeat_at=now)
            run.last_heartbeat = time.monotonic()
        return list(
            Delivery.objects.filter(id__in=ids, claimed_by=run.worker, state=Delivery.State.SENDING)
            .order_by("id")
            .annotate(origin=address_origin())
            .values("id", "email", "attempts", "subscriber__token", "origin")
        )


def _mark_sent(ids, worker, note=""):
    if ids:
        Delivery.objects.filter(id__in=ids, claimed_by=worker, state=Delivery.State.SENDING).update(
            state=Delivery.State.SENT, sent_at=timezone.now(), last_error=note
        )


def _temporary_failure(run: RunState, delivery, error: str):
    attempts = delivery["attempts"] + 1
    if attempts >= run.max_attempts:
        Delivery.objects.filter(id=delivery["id"]).update(
            state=Delivery.State.FAILED, attempts=attempts, last_error=error[:500], claimed_by=""
        )
        return
    delay = run.retry_base * 2 ** (attempts - 1)
    Delivery.objects.filter(id=delivery["id"]).update(
        state=Delivery.State.PENDING,
        attempts=attempts,
        last_error=error[:500],
        claimed_by="",
        next_attempt_at=timezone.now() + timedelta(seconds=delay),
    )


def _permanent_failure(delivery, error: str):
    Delivery.objects.filter(id=delivery["id"]).update(
        state=Delivery.State.BOUNCED,
        attempts=delivery["attempts"] + 1,
        last_error=error[:500],
        claimed_by="",
    )
    services.mark_bounced(
        delivery["email"], channel=ConsentEvent.Channel.SMTP, details={"smtp": error[:300]}
    )


def _release(run: RunState, deliveries):
    ids = [d["id"] for d in deliveries]
    if ids:
        Delivery.objects.filter(
            id__in=ids, claimed_by=run.worker, state=Delivery.State.SENDING
        ).update(state=Delivery.State.PENDING, claimed_by="")


FLUSH_EVERY = 100


HEARTBEAT_SECONDS = 5


def _beat(run: RunState):
    """A sign of life at least every few seconds, however long a batch lasts (a slow rate
    limit makes a batch last minutes): other workers take over only from a dead one."""
    if time.monotonic() - run.last_heartbeat <= HEARTBEAT_SECONDS:
        return
    with run.lock:  # one of the sending threads writes it
        if time.monotonic() - run.last_heartbeat <= HEARTBEAT_SECONDS:
            return
        run.last_heartbeat = time.monotonic()
    Campaign.objects.filter(pk=run.campaign_id, worker=run.worker).update(
        heartbeat_at=timezone.now()
    )


def _send_loop(run: RunState, max_messages=None):
    use_smtp = smtp_settings_in_use()
    transport = SmtpTransport() if use_smtp else DjangoTransport(run.template)
    journal = run.journal
    accepted = []
    try:
        while not run.stop:
            batch = claim_batch(run)
            if not batch:
                break
            for index, delivery in enumerate(batch):
                if run.stop or (max_messages is not None and run.sent >= max_messages):
                    _mark_sent(accepted, run.worker)
                    accepted = []
                    _release(run, batch[index:])
                    run.stop = True
                    break
                run.limiter.wait()
                _beat(run)
                delivery_id = delivery["id"]
                offered = []

                def before_dot(delivery_id=delivery_id, offered=offered):
                    journal.offered(delivery_id)
                    offered.append(True)

                try:
                    if use_smtp:
                        message = run.template.message_bytes(
                            to=delivery["email"],
                            subscriber_token=delivery["subscriber__token"],
                            delivery_id=delivery_id,
                            origin=delivery["origin"],
                        )
                        following = index + 1 < len(batch) and not run.stop
                        transport.send(
                            run.template.sender,
                            delivery["email"],
                            message,
                            before_dot,
                            stuffed=True,
                            next_recipient=batch[index + 1]["email"] if following else None,
                        )
                    else:
                        transport.send_message(delivery, before_dot)
                except (PermanentError, TemporaryError) as error:
                    if offered:
                        journal.refused(delivery_id)
                    if isinstance(error, PermanentError):
                        _permanent_failure(delivery, str(error))
                    else:
                        _temporary_failure(run, delivery, str(error))
                    run.record(False, str(error))
                else:
                    journal.accepted(delivery_id)
                    accepted.append(delivery_id)
                    run.record(True)
                    if len(accepted) >= FLUSH_EVERY:
                        _mark_sent(accepted, run.worker)
                        accepted = []
            _mark_sent(accepted, run.worker)
            accepted = []
    finally:
        transport.close()


def recover(campaign_id, worker) -> dict:
    """Settle the rows that dead workers of this campaign had claimed.

    Rows the dead worker offered (``D`` in its journal, no ``F``) count as sent;
    all others go back to ``pending``. Call with the campaign row locked.
    """
    counts = {"sent": 0, "requeued": 0}
    orphans = (
        Delivery.objects.filter(campaign_id=campaign_id, state=Delivery.State.SENDING)
        .exclude(claimed_by=worker)
        .values_list("claimed_by", flat=True)
        .distinct()
    )
    for dead in list(orphans):
        offered, accepted, refused = read_worker_journal(campaign_id, dead)
        rows = Delivery.objects.filter(
            campaign_id=campaign_id, state=Delivery.State.SENDING, claimed_by=dead
        )
        confirmed = list(rows.filter(id__in=accepted).values_list("id", flat=True))
        unconfirmed = list(
            rows.filter(id__in=offered - refused - accepted).values_list("id", flat=True)
        )
        _mark_sent(confirmed, dead)
        _mark_sent(unconfirmed, dead, note="nach Abbruch: Annahme durch den Server unbestätigt")
        counts["sent"] += len(confirmed) + len(unconfirmed)
        counts["requeued"] += rows.update(state=Delivery.State.PENDING, claimed_by="")
        discard_worker_journal(campaign_id, dead)
    return counts


def resume_stalled() -> list[int]:
    """Queue a run for every sending campaign whose worker is dead; campaigns without a
    worker are left alone (they finished a run and wait for their next retry)."""
    from .tasks import run_campaign_task

    stalled = [
        campaign.pk
        for campaign in Campaign.objects.filter(state=Campaign.State.SENDING).exclude(worker="")
        if not _worker_alive(campaign.worker, campaign.heartbeat_at)
    ]
    for campaign_id in stalled:
        run_campaign_task.enqueue(campaign_id)
    return stalled


def take_over(campaign_id, worker) -> bool:
    """Become the campaign's only worker and settle what a dead worker left behind."""
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().filter(pk=campaign_id).first()
        if campaign is None or campaign.state != Campaign.State.SENDING:
            return False
        if (
            campaign.worker
            and campaign.worker != worker
            and _worker_alive(campaign.worker, campaign.heartbeat_at)
        ):
            return False
        campaign.worker = worker
        campaign.heartbeat_at = timezone.now()
        campaign.save(update_fields=["worker", "heartbeat_at"])
        counts = recover(campaign_id, worker)
        if counts["sent"] or counts["requeued"]:
            log_action(None, "newsletter.recovered", campaign, **counts)
    return True


def run_campaign(
    campaign_id, *, connections=None, batch_size=None, rate=None, max_messages=None
) -> dict:
    """Send what is due of one campaign. Safe to call again at any time."""
    worker = worker_id()
    if not take_over(campaign_id, worker):
        return {"state": "busy-or-not-sending", "sent": 0}
    campaign = Campaign.objects.get(pk=campaign_id)
    journal = open_journal(campaign_id, worker)
    run = RunState(
        campaign_id=campaign_id,
        worker=worker,
        template=MailTemplate(campaign),
        journal=journal,
        limiter=RateLimiter(rate if rate is not None else option("RATE_LIMIT", 0)),
        batch_size=batch_size or option("BATCH_SIZE", 200),
        max_errors=option("PAUSE_AFTER_ERRORS", 25),
        max_attempts=option("MAX_ATTEMPTS", 5),
        retry_base=option("RETRY_BASE_SECONDS", 60),
    )
    connections = connections or option("CONNECTIONS", 4)
    clean = False
    try:
        if connections == 1:
            _send_loop(run, max_messages)
        else:
            threads = [
                threading.Thread(target=_thread_main, args=(run, max_messages), daemon=True)
                for _ in range(connections)
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
        # Every accepted row is in the database now; leftovers (a thread that died)
        # stay ``sending`` and the journal stays for the next worker's recovery.
        clean = not Delivery.objects.filter(
            campaign_id=campaign_id, state=Delivery.State.SENDING, claimed_by=worker
        ).exists()
    finally:
        journal.close(remove=clean)
        if clean:
            Campaign.objects.filter(pk=campaign_id, worker=worker).update(worker="")
    return finish(campaign_id, run)


def _thread_main(run, max_messages):
    try:
        _send_loop(run, max_messages)
    except Exception:
        logger.exception("Newsletter worker thread failed")
        run.stop = True
    finally:
        connection.close()


def finish(campaign_id, run=None) -> dict:
    """Mark the campaign sent when nothing is left; report the next retry time."""
    open_rows = Delivery.objects.filter(
        campaign_id=campaign_id, state__in=[Delivery.State.PENDING, Delivery.State.SENDING]
    )
    next_retry = (
        open_rows.filter(next_attempt_at__isnull=False)
        .order_by("next_attempt_at")
        .values_list("next_attempt_at", flat=True)
        .first()
    )
    result = {"sent": run.sent if run else 0, "errors": run.errors if run else 0}
    if not open_rows.exists():
        with transaction.atomic():
            updated = Campaign.objects.filter(pk=campaign_id, state=Campaign.State.SENDING).update(
                state=Campaign.State.SENT, sent_at=timezone.now()
            )
            if updated:
                # The archive lists sent issues; update() sends no signal to empty the cache.
                invalidate_pages()
                log_action(None, "newsletter.sent", Campaign.objects.get(pk=campaign_id))
        result["state"] = "sent"
    else:
        result["state"] = Campaign.objects.get(pk=campaign_id).state
        result["next_retry"] = next_retry
    return result
