"""Mail delivery: the default file backend, and an outbox served by the task worker.

Mail never goes out inside a request. ``queue_email`` stores the finished message in
the outbox (in the caller's transaction) and enqueues a task with its id once the
transaction commits. The task sends it and deletes the row; a failure is retried
with growing pauses, and ``kommune360 send_pending_mail`` picks up anything left.
"""

import base64
import logging
import threading
import uuid
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.utils import timezone
from django_tasks import default_task_backend, task

from .models import OutgoingMail
from .text import mail_subject

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 6


class EmlFileBackend(BaseEmailBackend):
    """Writes each message as one .eml file into the data folder's ``mail`` directory."""

    _lock = threading.Lock()

    def __init__(self, *args, file_path=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.directory = Path(file_path or settings.EMAIL_FILE_PATH)

    def send_messages(self, email_messages):
        self.directory.mkdir(parents=True, exist_ok=True)
        sent = 0
        for message in email_messages:
            name = f"{timezone.now():%Y%m%d-%H%M%S}-{uuid.uuid4().hex[:12]}.eml"
            with self._lock:
                (self.directory / name).write_bytes(message.message().as_bytes(linesep="\r\n"))
            sent += 1
        return sent


def build_email(subject, to, text, html="", headers=None, reply_to=(), attachments=()):
    """An EmailMultiAlternatives with a plain-text part and, if given, an HTML part.

    ``attachments`` are ``(filename, bytes, mimetype)`` triples.
    """
    message = EmailMultiAlternatives(
        subject=mail_subject(subject),
        body=text,
        to=list(to),
        headers=headers or {},
        reply_to=list(reply_to),
    )
    if html:
        message.attach_alternative(html, "text/html")
    for filename, content, mimetype in attachments:
        message.attach(filename, content, mimetype)
    return message


def queue_email(subject, to, text, html="", headers=None, reply_to=(), attachments=()):
    """Put a message into the outbox; the task worker sends it after the commit."""
    mail = OutgoingMail.objects.create(
        subject=mail_subject(subject)[:255],
        to=list(to),
        text=text,
        html=html or "",
        headers=headers or {},
        reply_to=list(reply_to),
        attachments=[
            {"filename": name, "content": base64.b64encode(content).decode(), "mimetype": mime}
            for name, content, mime in attachments
        ],
    )
    transaction.on_commit(lambda: send_outgoing_mail.enqueue(mail.pk))
    return mail


@task()
def send_outgoing_mail(mail_id: int) -> str:
    """Deliver one outbox message. Idempotent: a delivered message no longer exists."""
    with transaction.atomic():
        mail = OutgoingMail.objects.select_for_update().filter(pk=mail_id).first()
        if mail is None:
            return "already-sent"
        message = build_email(
            mail.subject,
            mail.to,
            mail.text,
            mail.html,
            mail.headers,
            mail.reply_to,
            [
                (a["filename"], base64.b64decode(a["content"]), a["mimetype"])
                for a in mail.attachments
            ],
        )
        try:
            message.send()
        except Exception as error:
            mail.attempts += 1
            mail.last_error = f"{type(error).__name__}: {error}"[:2000]
            if mail.attempts >= MAX_ATTEMPTS:
                mail.state = OutgoingMail.State.FAILED
            mail.save(update_fields=["attempts", "last_error", "state"])
            logger.warning("Mail %s not sent (attempt %s): %s", mail.pk, mail.attempts, error)
            retry = mail.state == OutgoingMail.State.PENDING
        else:
            mail.delete()
            return "sent"
    if retry and default_task_backend.supports_defer:
        delay = timedelta(minutes=2**mail.attempts)
        send_outgoing_mail.using(run_after=timezone.now() + delay).enqueue(mail_id)
    return "retry" if retry else "failed"


def send_pending_mail() -> int:
    """Try every message still waiting (e.g. after the mail server was down)."""
    count = 0
    for mail_id in OutgoingMail.objects.filter(state=OutgoingMail.State.PENDING).values_list(
        "pk", flat=True
    ):
        send_outgoing_mail.enqueue(mail_id)
        count += 1
    return count
