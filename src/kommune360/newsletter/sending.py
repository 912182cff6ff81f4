"""The delivery engine: one ``Delivery`` row per campaign and recipient, sent in
batches over a few SMTP connections, with retries, auto-pause and crash safety.

Exactly once (docs/newsletter.md explains it at length): an SMTP server accepts a
message when it reads the end-of-data line (``<CRLF>.<CRLF>``). For each message
the worker sends envelope and content, then appends ``D <id>`` to its journal (a
local append-only file, one write syscall), then writes the end-of-data, reads the
reply and appends ``A <id>`` (accepted) or ``F <id>`` (refused). The database learns
about accepted messages in batches. A worker that takes over after a crash reads
the dead worker's journal: a claimed row without ``D`` was never offered to the
server and goes back to ``pending``; a row with ``D`` and without ``F`` counts as
sent. The only uncertainty left is a kill between the journal write and the
end-of-data write (two adjacent syscalls); that message counts as sent although
the server never got it. No other interleaving sends a message twice or skips it.
"""

from __future__ import annotations

import logging
import os
import smtplib
import socket
import ssl
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Q
from django.utils import timezone

from kommune360.core.audit import log_action
from kommune360.core.text import mail_subject

from . import services
from .models import Campaign, ConsentEvent, Delivery, Subscriber
from .rendering import MailTemplate

logger = logging.getLogger(__name__)

CRLF = b"\r\n"


def option(name, default):
    return getattr(settings, f"NEWSLETTER_{name}", default)


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


# --- Starting, pausing, resuming -----------------------------------------------------------


def recipients(campaign):
    subscribers = Subscriber.objects.filter(state=Subscriber.State.ACTIVE)
    topic_ids = list(campaign.topics.values_list("pk", flat=True))
    if topic_ids:
        subscribers = subscribers.filter(topics__in=topic_ids).distinct()
    return subscribers


def enqueue_recipients(campaign) -> int:
    """Create the delivery rows (idempotent: the unique pair ignores repeats)."""
    created = 0
    chunk = []
    for pk, email in recipients(campaign).order_by("pk").values_list("pk", "email").iterator(5000):
        chunk.append(Delivery(campaign=campaign, subscriber_id=pk, email=email))
        if len(chunk) >= 5000:
            Delivery.objects.bulk_create(chunk, ignore_conflicts=True)
            created += len(chunk)
            chunk = []
    if chunk:
        Delivery.objects.bulk_create(chunk, ignore_conflicts=True)
        created += len(chunk)
    return created


def start_sending(campaign, actor=None, *, enqueue_task=True) -> int:
    """Freeze the recipient list of a draft and hand it to the task worker."""
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if campaign.state != Campaign.State.DRAFT:
            raise ValueError("campaign is not a draft")
        count = enqueue_recipients(campaign)
        campaign.state = Campaign.State.SENDING
        campaign.started_at = timezone.now()
        campaign.pause_reason = ""
        campaign.save(update_fields=["state", "started_at", "pause_reason"])
        log_action(actor, "newsletter.sending_started", campaign, recipients=count)
        if enqueue_task:
            _enqueue_after_commit(campaign.pk)
    return count


def _enqueue_after_commit(campaign_id):
    from .tasks import run_campaign_task

    transaction.on_commit(lambda: run_campaign_task.enqueue(campaign_id))


def pause(campaign, actor=None, reason="") -> None:
    with transaction.atomic():
        updated = Campaign.objects.filter(pk=campaign.pk, state=Campaign.State.SENDING).update(
            state=Campaign.State.PAUSED, pause_reason=reason[:255]
        )
        if updated:
            log_action(actor, "newsletter.sending_paused", campaign, reason=reason)


def resume(campaign, actor=None, *, enqueue_task=True) -> None:
    with transaction.atomic():
        updated = Campaign.objects.filter(pk=campaign.pk, state=Campaign.State.PAUSED).update(
            state=Campaign.State.SENDING, pause_reason=""
        )
        if updated:
            log_action(actor, "newsletter.sending_resumed", campaign)
            if enqueue_task:
                _enqueue_after_commit(campaign.pk)


def progress(campaign) -> dict:
    counts = dict(
        Delivery.objects.filter(campaign=campaign)
        .values_list("state")
        .annotate(n=Count("id"))
        .values_list("state", "n")
    )
    total = sum(counts.values())
    done = sum(counts.get(s, 0) for s in ("sent", "failed", "bounced", "skipped"))
    return {
        "total": total,
        "done": done,
        "percent": round(100 * done / total) if total else 0,
        "delivered": counts.get("sent", 0),
        "failed": counts.get("failed", 0) + counts.get("bounced", 0),
        "bounced": counts.get("bounced", 0),
        "skipped": counts.get("skipped", 0),
        "waiting": counts.get("pending", 0) + counts.get("sending", 0),
        "unsubscribed": campaign.unsubscribed_count,
        "clicks": list(campaign.link_clicks.order_by("-clicks", "url").values_list("url", "clicks"))
        if campaign.count_clicks
        else None,
    }


# --- Transports ----------------------------------------------------------------------------


class TemporaryError(Exception):
    pass


class PermanentError(Exception):
    pass


class NotAcceptedError(TemporaryError):
    """Failed after ``before_dot`` ran: the journal must record the refusal."""


def _smtp_settings_in_use() -> bool:
    return settings.EMAIL_BACKEND == "django.core.mail.backends.smtp.EmailBackend"


def _smtp_address(address: str) -> str:
    """``<local@domain>`` in ASCII: an internationalised domain as IDNA."""
    local, _sep, domain = address.rpartition("@")
    local.encode("ascii")
    return f"<{local}@{domain.encode('idna').decode('ascii')}>"


class SmtpTransport:
    """One SMTP connection that can hold back the end-of-data line.

    With PIPELINING the envelope of the next message (``MAIL``, ``RCPT``, ``DATA``)
    leaves in the same packet as the end-of-data line of the current one, so each
    message costs one round trip. Should the worker die right after that write, the
    server is left waiting for the next message's content; the connection drops and
    the server discards the half-begun message, which was never journaled.
    """

    def __init__(self):
        self.smtp = None
        self.pipelining = False
        self.sender = None
        self.pending = None  # recipient whose envelope went out, replies not yet read

    def open(self):
        host, port = settings.EMAIL_HOST, settings.EMAIL_PORT
        timeout = settings.EMAIL_TIMEOUT or 30
        if settings.EMAIL_USE_SSL:
            smtp = smtplib.SMTP_SSL(host, port, timeout=timeout)
        else:
            smtp = smtplib.SMTP(host, port, timeout=timeout)
            if settings.EMAIL_USE_TLS:
                smtp.starttls(context=ssl.create_default_context())
        if settings.EMAIL_HOST_USER:
            smtp.login(settings.EMAIL_HOST_USER, settings.EMAIL_HOST_PASSWORD)
        smtp.ehlo_or_helo_if_needed()
        # The end-of-data line must leave at once, not wait behind Nagle's algorithm.
        smtp.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        # RFC 2920: MAIL, RCPT and DATA go out in one packet when the server allows it.
        self.pipelining = smtp.has_extn("pipelining")
        self.pending = None
        self.smtp = smtp

    def close(self):
        if self.smtp is not None:
            if self.pending is not None:
                # The server may be reading the next message's content: dropping the
                # connection without an end-of-data makes it discard that message.
                self.smtp.close()
            else:
                try:
                    self.smtp.quit()
                except (smtplib.SMTPException, OSError):
                    self.smtp.close()
            self.smtp = None
            self.pending = None

    def _check(self, code, response, ok, about_recipient=True):
        if code in ok:
            return
        try:
            self.smtp.rset()
        except (smtplib.SMTPException, OSError):
            self.close()
        if isinstance(response, bytes):
            response = response.decode(errors="replace")
        text = f"{code} {response}"
        if 500 <= code < 600 and about_recipient:
            raise PermanentError(text)
        raise TemporaryError(text)

    @staticmethod
    def _envelope(sender, recipient) -> bytes:
        return (
            f"MAIL FROM:{_smtp_address(sender)}\r\nRCPT TO:{_smtp_address(recipient)}\r\nDATA\r\n"
        ).encode("ascii")

    def _envelope_pipelined(self, sender, recipient):
        """MAIL, RCPT and DATA in one write (or already sent), then the three replies."""
        smtp = self.smtp
        if self.pending != recipient:
            try:
                envelope = self._envelope(sender, recipient)
            except UnicodeError as error:
                raise PermanentError(f"address not usable in SMTP: {recipient}") from error
            smtp.send(envelope)
        self.pending = None
        mail_reply, rcpt_reply, data_reply = smtp.getreply(), smtp.getreply(), smtp.getreply()
        if data_reply[0] == 354 and (mail_reply[0] != 250 or rcpt_reply[0] not in (250, 251)):
            # A server that starts DATA without a recipient gets an empty message, which
            # it cannot deliver to anybody (RFC 2920, section 3.1).
            smtp.send(b"." + CRLF)
            smtp.getreply()
        self._check(*mail_reply, ok=(250,), about_recipient=False)
        self._check(*rcpt_reply, ok=(250, 251))
        self._check(*data_reply, ok=(354,), about_recipient=False)

    def send(
        self, sender, recipient, message: bytes, before_dot, stuffed=False, next_recipient=None
    ) -> bool:
        """Send one message; ``before_dot()`` runs right before the end-of-data.

        ``stuffed``: the message has CRLF line ends and its dots are already doubled
        (``MailTemplate.message_bytes``). ``next_recipient``: the address of the
        message that follows on this connection; with PIPELINING its envelope goes
        out together with this end-of-data.

        Returns True when the server confirmed with 250, False when the answer got
        lost after the end-of-data (then the message most likely arrived).
        """
        if self.smtp is not None and self.pending not in (None, recipient):
            self.close()  # an envelope for someone else is under way: start afresh
        if self.smtp is None:
            self.open()
        smtp = self.smtp
        try:
            if self.pipelining:
                self._envelope_pipelined(sender, recipient)
            else:
                # A refused sender or DATA is the server's problem, not the recipient's.
                self._check(*smtp.mail(sender), ok=(250,), about_recipient=False)
                self._check(*smtp.rcpt(recipient), ok=(250, 251))
                smtp.putcmd("data")
                self._check(*smtp.getreply(), ok=(354,), about_recipient=False)
            data = message if stuffed else smtplib._quote_periods(message)
            if not data.endswith(CRLF):
                data += CRLF
            smtp.send(data)
        except (smtplib.SMTPServerDisconnected, OSError) as error:
            self.close()
            raise TemporaryError(f"connection: {error}") from error
        tail = b"." + CRLF
        if self.pipelining and next_recipient is not None:
            try:
                tail += self._envelope(sender, next_recipient)
            except UnicodeError:
                next_recipient = None  # its own send() reports the address
        else:
            next_recipient = None
        before_dot()
        try:
            smtp.send(tail)
        except (smtplib.SMTPServerDisconnected, OSError) as error:
            # The server never read the end-of-data: not accepted.
            self.close()
            raise NotAcceptedError(f"connection: {error}") from error
        self.pending = next_recipient
        try:
            code, response = smtp.getreply()
        except (smtplib.SMTPServerDisconnected, OSError):
            # End-of-data written, no answer: most likely accepted. Count it as
            # sent rather than risk a second copy (docs/newsletter.md).
            self.close()
            return False
        if code != 250:
            # Refused; the next envelope's replies stay unread for the next send().
            if isinstance(response, bytes):
                response = response.decode(errors="replace")
            text = f"{code} {response}"
            if 500 <= code < 600:
                raise PermanentError(text)
            raise TemporaryError(text)
        return True


class DjangoTransport:
    """Any other Django mail backend (files, anymail providers): commit after sending."""

    def __init__(self, template):
        self.template = template
        self.connection = None

    def open(self):
        from django.core.mail import get_connection

        self.connection = get_connection()

    def close(self):
        self.connection = None

    def send_message(self, delivery, before_dot):
        from django.core.mail import EmailMultiAlternatives

        if self.connection is None:
            self.open()
        text, html, unsubscribe = self.template.bodies(delivery["subscriber__token"])
        message = EmailMultiAlternatives(
            subject=mail_subject(self.template.campaign.subject),
            body=text,
            to=[delivery["email"]],
            headers={
                "List-Unsubscribe": f"<{unsubscribe}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                "Message-ID": self.template.message_id(delivery["id"]),
                "X-K360-Delivery": f"{self.template.campaign.pk}.{delivery['id']}",
            },
        )
        message.attach_alternative(html, "text/html")
        before_dot()
        try:
            self.connection.send_messages([message])
        except Exception as error:
            raise NotAcceptedError(str(error)) from error
        return True


# --- The journal --------------------------------------------------------------------------


def journal_dir():
    path = Path(option("JOURNAL_DIR", "") or Path(settings.DATA_DIR) / "newsletter-journal")
    path.mkdir(parents=True, exist_ok=True)
    return path


def journal_path(campaign_id, worker):
    safe = "".join(c if c.isalnum() or c in "-." else "_" for c in worker)
    return journal_dir() / f"campaign-{campaign_id}-{safe}.log"


class Journal:
    """Append-only record of what one worker offered to the SMTP server.

    One unbuffered ``os.write`` per line (O_APPEND, so threads do not interleave).
    It survives the process being killed, because the data sits in the page cache;
    a power cut is a different story (docs/newsletter.md).
    """

    def __init__(self, path):
        self.path = path
        self.fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)

    def offered(self, delivery_id):
        os.write(self.fd, b"D %d\n" % delivery_id)

    def accepted(self, delivery_id):
        os.write(self.fd, b"A %d\n" % delivery_id)

    def refused(self, delivery_id):
        os.write(self.fd, b"F %d\n" % delivery_id)

    def close(self, remove=False):
        os.close(self.fd)
        if remove:
            self.path.unlink(missing_ok=True)


def read_journal(path):
    offered, accepted, refused = set(), set(), set()
    target = {b"D": offered, b"A": accepted, b"F": refused}
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return offered, accepted, refused
    for line in data.splitlines():
        kind, _sep, number = line.partition(b" ")
        if kind in target and number.isdigit():  # a torn last line is ignored
            target[kind].add(int(number))
    return offered, accepted, refused


# --- The run --------------------------------------------------------------------------------


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
    journal: Journal
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
                pause(
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
            .values("id", "email", "attempts", "subscriber__token")
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


def _send_loop(run: RunState, max_messages=None):
    use_smtp = _smtp_settings_in_use()
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
        path = journal_path(campaign_id, dead)
        offered, accepted, refused = read_journal(path)
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
        path.unlink(missing_ok=True)
    return counts


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
    journal = Journal(journal_path(campaign_id, worker))
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
                log_action(None, "newsletter.sent", Campaign.objects.get(pk=campaign_id))
        result["state"] = "sent"
    else:
        result["state"] = Campaign.objects.get(pk=campaign_id).state
        result["next_retry"] = next_retry
    return result
