"""Bounces: provider webhooks (django-anymail's tracking signal) and a mailbox of
delivery status notifications (RFC 3464), read from an mbox file or a Maildir.

Only permanent failures (hard bounces, complaints) stop mail to an address; delays
and soft bounces are ignored, because the sender retries them anyway.
"""

from __future__ import annotations

import mailbox
import re
from email import message_from_bytes, policy
from pathlib import Path

from kommune360.core.addresses import is_valid_email, normalize_email

from .models import ConsentEvent
from .services import mark_bounced

PERMANENT_EVENTS = {"bounced", "rejected", "complained"}


def handle_tracking_event(sender, event, esp_name, **kwargs):
    """Receiver for ``anymail.signals.tracking``."""
    if event.event_type not in PERMANENT_EVENTS or not is_valid_email(event.recipient):
        return
    if event.event_type == "bounced" and _is_soft(event):
        return
    mark_bounced(
        event.recipient,
        channel=ConsentEvent.Channel.BOUNCE_WEBHOOK,
        details={"anbieter": esp_name, "ereignis": event.event_type, "grund": event.reject_reason},
    )


def _is_soft(event) -> bool:
    description = f"{event.description or ''} {event.mta_response or ''}"
    return bool(re.search(r"\b4\.\d{1,3}\.\d{1,3}\b", description)) and not re.search(
        r"\b5\.\d{1,3}\.\d{1,3}\b", description
    )


def connect_anymail():
    from anymail.signals import tracking

    tracking.connect(handle_tracking_event, dispatch_uid="kommune360-newsletter-bounces")


# --- Bounce mailbox --------------------------------------------------------------------------


def _delivery_status_fields(message):
    """Per-recipient field groups of a message/delivery-status part."""
    for part in message.walk():
        if part.get_content_type() != "message/delivery-status":
            continue
        payload = part.get_payload()
        groups = payload if isinstance(payload, list) else []
        if not groups:
            raw = part.get_payload(decode=True) or b""
            text = raw.decode("utf-8", "replace")
            groups = [
                message_from_bytes(block.encode(), policy=policy.default)
                for block in re.split(r"\r?\n\r?\n", text)
                if block.strip()
            ]
        yield from groups


def parse_dsn(message) -> list[tuple[str, str, str]]:
    """``(recipient, action, status)`` for each recipient reported in a DSN."""
    results = []
    for fields in _delivery_status_fields(message):
        recipient = fields.get("Final-Recipient") or fields.get("Original-Recipient")
        action = (fields.get("Action") or "").strip().lower()
        status = (fields.get("Status") or "").strip()
        if not recipient or not action:
            continue
        address = str(recipient).split(";", 1)[-1].strip().strip("<>")
        results.append((normalize_email(address), action, status))
    return results


def _messages(path: Path):
    if path.is_dir():
        box = mailbox.Maildir(path, factory=None, create=False)
    else:
        box = mailbox.mbox(path, create=False)
    for key in list(box.iterkeys()):  # a Mailbox iterates messages, not keys
        yield key, box.get_bytes(key), box


def process_bounce_mailbox(path, *, remove=False) -> dict:
    """Read every DSN in ``path``; hard bounces mark their address as bounced."""
    counts = {"messages": 0, "bounced": 0, "ignored": 0}
    path = Path(path)
    processed = []
    for key, raw, box in _messages(path):
        counts["messages"] += 1
        message = message_from_bytes(raw, policy=policy.compat32)
        found = False
        for address, action, status in parse_dsn(message):
            if action == "failed" and status.startswith("5"):
                found = True
                if mark_bounced(
                    address,
                    channel=ConsentEvent.Channel.BOUNCE_MAILBOX,
                    details={"status": status},
                ):
                    counts["bounced"] += 1
        if not found:
            counts["ignored"] += 1
        processed.append((box, key))
    if remove:
        for box, key in processed:
            box.lock()
            box.remove(key)
            box.flush()
            box.unlock()
    return counts
