"""A person's data export and erasure across every app, and core's own part of it.

Each app declares its part as a ``PersonalData`` entry in the registry; ``export_person``
and ``erase_person`` run them all. Core's own entry covers what core keeps for every
app: certificates (``core.certificates``), the audit log and the mail outbox. It erases
last, because the apps' erasure may still write audit entries, and it removes the
person from them by the texts every app names them with (``identifiers``), collected
before any app erased its rows.
"""

from __future__ import annotations

import json
import re
from email.utils import getaddresses

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, TextField
from django.db.models.functions import Cast

from . import choices
from .cache import invalidate_pages, invalidation_deferred
from .certificates import Certificate, forget_holders
from .models import AuditEntry, OutgoingMail
from .registry import registry

# What stays where erased text stood (audit log, mails to others).
ERASED = "[gelöscht]"
# Shorter texts (initials, "Jo") would blank unrelated words everywhere.
MIN_IDENTIFIER_LENGTH = 3


def export_person(user) -> dict:
    """Everything the platform holds about ``user``, section by section."""
    return {
        entry.app_label: {"label": str(entry.label), "data": entry.export(user)}
        for entry in registry.personal_data()
    }


def erase_person(user) -> None:
    """Run every app's erasure for ``user`` (inside the caller's transaction), then
    forget every cached page: the apps erase with bulk updates too, which send no
    signal, and no page stored before may still show the person."""
    identifiers(user)  # remembered before the apps delete the rows that hold them
    with invalidation_deferred():
        for entry in registry.personal_data():
            entry.erase(user)
        invalidate_pages()


def identifiers(user) -> list[str]:
    """The texts by which stored rows name ``user`` (addresses, names as typed), longest
    first; collected once per user object from every registry entry."""
    known = getattr(user, "_personal_identifiers", None)
    if known is None:
        texts = set()
        for entry in registry.personal_data():
            if entry.identifiers is not None:
                texts.update(str(t).strip() for t in entry.identifiers(user) if t)
        known = sorted(
            {t for t in texts if len(t) >= MIN_IDENTIFIER_LENGTH}, key=lambda t: (-len(t), t)
        )
        user._personal_identifiers = known
    return known


def redact(value, texts):
    """``value`` (a string or JSON data) with every occurrence of ``texts`` replaced."""
    if not texts:
        return value
    if isinstance(value, str):
        # Whole words only: erasing "anna@beispiel.example" leaves "hanna@beispiel.example".
        pattern = re.compile(
            r"(?<![\w.+-])(?:" + "|".join(re.escape(t) for t in texts) + r")(?!\w)",
            re.IGNORECASE,
        )
        return pattern.sub(ERASED, value)
    if isinstance(value, dict):
        return {redact(k, texts): redact(v, texts) for k, v in value.items()}
    if isinstance(value, list):
        return [redact(v, texts) for v in value]
    return value


def _mentioning(queryset, text_fields, json_fields, texts):
    """Rows of ``queryset`` where any of ``texts`` occurs in one of the fields.

    JSON is compared as stored text: PostgreSQL prints umlauts as they are, SQLite keeps
    Django's escaped form (``\\u00fc``), so both spellings are looked for."""
    casts = {f"_{name}_text": Cast(name, TextField()) for name in json_fields}
    condition = Q()
    for text in texts:
        escaped = json.dumps(text)[1:-1]
        for name in text_fields:
            condition |= Q(**{f"{name}__icontains": text})
        for alias in casts:
            condition |= Q(**{f"{alias}__icontains": text})
            if escaped != text:
                condition |= Q(**{f"{alias}__icontains": escaped})
    if not condition:
        return queryset.none()
    return queryset.annotate(**casts).filter(condition)


# --- Core's own entry: certificates, audit log, outbox ---------------------------------------


def _addresses(user) -> list[str]:
    return sorted({t.lower() for t in identifiers(user) if "@" in t} | {user.email.lower()})


def _mail_to(user):
    """Waiting mails with one of the person's addresses among the recipients."""
    addresses = set(_addresses(user))
    candidates = _mentioning(OutgoingMail.objects.all(), [], ["to"], sorted(addresses))
    return [
        mail
        for mail in candidates.order_by("created", "pk")
        if any(address.lower() in addresses for _name, address in getaddresses(mail.to))
    ]


def _about_user(user) -> Q:
    user_type = ContentType.objects.get_for_model(get_user_model())
    return Q(content_type=user_type, object_id=str(user.pk))


def export_core(user) -> dict:
    certificates = Certificate.objects.filter(holder=user).order_by("issued_on", "pk")
    entries = (
        AuditEntry.objects.filter(Q(actor=user) | _about_user(user))
        .select_related("content_type")
        .order_by("timestamp")
    )
    return {
        "certificates": [
            {
                "code": c.code,
                "name": c.holder_name,
                "title": c.title,
                "issued_on": c.issued_on,
                "issuer": c.issuer,
                "details": c.details,
                "valid": c.is_valid,
                "revoked_at": c.revoked_at,
                "revoked_reason": c.revoked_reason,
                "verification_url": c.verification_url,
            }
            for c in certificates
        ],
        "audit_log": [
            {
                "timestamp": e.timestamp,
                "action": e.action,
                "by_you": e.actor_id == user.pk,
                "object": e.object_repr,
                "details": choices.labelled(
                    e.content_type.model_class() if e.content_type else None, e.data
                ),
            }
            for e in entries
        ],
        "outbox": [
            {
                "created": m.created,
                "subject": m.subject,
                "to": m.to,
                "state": m.get_state_display(),
            }
            for m in _mail_to(user)
        ],
    }


def core_identifiers(user) -> list[str]:
    return list(Certificate.objects.filter(holder=user).values_list("holder_name", flat=True))


def erase_core(user) -> None:
    texts = identifiers(user)
    forget_holders(Certificate.objects.filter(holder=user))
    _erase_audit(user, texts)
    _erase_outbox(user, texts)


def _erase_audit(user, texts) -> None:
    """Entries stay (what happened, when), without the person: no actor, no name or
    address in the object's text or the details, no text of the account itself."""
    entries = _mentioning(AuditEntry.objects.all(), ["object_repr"], ["data"], texts)
    user_type = ContentType.objects.get_for_model(get_user_model()).pk
    changed = []
    for entry in AuditEntry.objects.filter(
        Q(pk__in=entries.values("pk")) | Q(actor=user) | _about_user(user)
    ):
        about_account = (entry.content_type_id, entry.object_id) == (user_type, str(user.pk))
        before = (entry.actor_id, entry.object_repr, entry.data)
        if entry.actor_id == user.pk:
            entry.actor = None
        entry.object_repr = "" if about_account else redact(entry.object_repr, texts)
        entry.data = redact(entry.data, texts)
        if (entry.actor_id, entry.object_repr, entry.data) != before:
            changed.append(entry)
    AuditEntry.objects.bulk_update(changed, ["actor", "object_repr", "data"], batch_size=500)


def _erase_outbox(user, texts) -> None:
    """Undelivered mail to the person goes (it would still be retried); mail to others
    loses the person's name and address, or goes too if it has attachments (a PDF
    cannot be blanked) or names them as recipient. Delivered mail is not kept."""
    OutgoingMail.objects.filter(pk__in=[mail.pk for mail in _mail_to(user)]).delete()
    about = _mentioning(
        OutgoingMail.objects.all(),
        ["subject", "text", "html"],
        ["to", "reply_to", "headers"],
        texts,
    )
    fields = ("subject", "text", "html", "to", "headers", "last_error")
    for mail in about:
        before = {name: getattr(mail, name) for name in fields}
        after = {name: redact(value, texts) for name, value in before.items()}
        reply_to = [a for a in mail.reply_to if redact(a, texts) == a]
        if after == before and reply_to == mail.reply_to:
            continue  # another address or name that only contains theirs
        if mail.attachments or after["to"] != before["to"]:
            mail.delete()
            continue
        for name in ("subject", "text", "html", "headers", "last_error"):
            setattr(mail, name, after[name])
        mail.subject = mail.subject[:255]
        mail.reply_to = reply_to
        mail.save(update_fields=["subject", "text", "html", "reply_to", "headers", "last_error"])
