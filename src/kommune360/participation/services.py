"""Every change of state of a contribution: submitting, confirming, moderating, reporting.

Views, admin views, tasks and the demo call these functions; nothing else writes the
models. Each decision leaves an audit entry (``core.audit.log_action``) and each
decision about a contribution tells its author by e-mail (nobody is moderated silently).
"""

import hashlib
import hmac

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kommune360.core import ratelimit
from kommune360.core.audit import log_action
from kommune360.core.cache import invalidate_pages
from kommune360.core.mail import queue_email

from .models import (
    FOLLOW_UP_KINDS,
    BlockedAuthor,
    Contribution,
    FollowUp,
    Report,
    Status,
    TargetSettings,
)
from .targets import resolve

MODERATE_PERMISSION = "participation.moderate_contribution"
FOLLOW_UP_PERMISSION = "participation.change_followup"
REPORTS_TO_HIDE = 3
CONFIRM_SALT = "kommune360.participation.confirm"
CONFIRM_MAX_AGE = 7 * 24 * 3600

# The consent people give when they send a contribution. A new wording gets a new
# version; each contribution records the version its author agreed to.
CONSENT_VERSION = "2026-11"
CONSENT_TEXT = gettext_lazy(
    "Ich bin einverstanden, dass das Team meinen Beitrag, meinen Namen (wenn ich nicht "
    "„anonym“ wähle), meine Rolle und meine Kommune oder Organisation veröffentlicht und "
    "mich über meine E-Mail-Adresse zu diesem Beitrag kontaktiert. Ich kann meine Daten "
    "jederzeit einsehen und löschen lassen."
)

DEFAULT_RATE_LIMITS = {
    # name: (how many, per seconds)
    "address": (5, 3600),
    "client": (10, 3600),
    "report": (20, 3600),
}


class ParticipationError(Exception):
    """A contribution or report cannot be accepted; the message is for the person."""


# --- Helpers --------------------------------------------------------------------------------


def client_hash(request) -> str:
    """A keyed hash of the client's address; changes daily and never stores the IP."""
    address = request.META.get("REMOTE_ADDR", "")
    day = timezone.localdate().isoformat()
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"{day}:{address}".encode(), hashlib.sha256).hexdigest()[:32]


def _email_hash(email: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, email.strip().lower().encode(), hashlib.sha256).hexdigest()[:32]


def _rate_limited(name: str, identity: str) -> bool:
    """Count one attempt; true if ``identity`` went over the limit ``name``."""
    limits = {**DEFAULT_RATE_LIMITS, **getattr(settings, "PARTICIPATION_RATE_LIMITS", {})}
    count_max, period = limits[name]
    return ratelimit.limited(f"participation:{name}", identity, count_max, period)


def is_moderator(user) -> bool:
    return bool(user and user.is_authenticated and user.has_perm(MODERATE_PERMISSION))


def is_own(contribution, user) -> bool:
    if contribution.author_id and contribution.author_id == user.pk:
        return True
    return bool(
        contribution.author_email
        and user.email
        and contribution.author_email.lower() == user.email.lower()
    )


def _check_moderator(contribution, moderator):
    if not is_moderator(moderator):
        raise PermissionDenied(_("Sie dürfen keine Beiträge moderieren."))
    if is_own(contribution, moderator):
        raise PermissionDenied(_("Eigene Beiträge moderieren andere Moderator:innen."))


def is_blocked(user=None, email="") -> bool:
    query = Q(pk__in=[])
    if user is not None and user.is_authenticated:
        query |= Q(user=user) | Q(email__iexact=user.email)
    if email:
        # Erased accounts leave only a keyed hash of the blocked address behind.
        query |= Q(email__iexact=email) | Q(email=_email_hash(email))
    return BlockedAuthor.objects.filter(query).exists()


def premoderation_for(target) -> bool:
    row = (
        TargetSettings.objects.filter(
            content_type=target.content_type, object_id=target.object_id, section=target.section
        )
        .values_list("premoderation", flat=True)
        .first()
    )
    return target.default_premoderation if row is None else row


def _absolute(url: str) -> str:
    return url if url.startswith("http") else f"{settings.SITE_URL}{url}"


def _target_url(contribution) -> str:
    target = resolve(contribution.content_type_id, contribution.object_id, contribution.section)
    return _absolute(target.anchor_url) if target else settings.SITE_URL


def _mail_author(contribution, template, subject, **context):
    address = contribution.email
    if not address:
        return None
    context = {
        "contribution": contribution,
        "target_title": contribution.target_title,
        "target_url": _target_url(contribution),
        "site_url": settings.SITE_URL,
        **context,
    }
    return queue_email(
        subject,
        [address],
        render_to_string(f"participation/mail/{template}.txt", context),
        html=render_to_string(f"participation/mail/{template}.html", context),
    )


# --- Submitting and confirming ---------------------------------------------------------------


@transaction.atomic
def submit_contribution(
    target,
    *,
    kind,
    role,
    text,
    affiliation="",
    user=None,
    name="",
    email="",
    anonymous=False,
    keep_text_on_erasure=False,
    consent_version=CONSENT_VERSION,
    client="",
):
    """Accept a contribution to ``target``.

    With an account it goes straight to moderation (or is published where the target
    has no pre-moderation); without one it waits until the address is confirmed.
    """
    if target is None or not target.is_public():
        raise ParticipationError(_("Zu diesem Inhalt können derzeit keine Beiträge eingehen."))
    user = user if user is not None and user.is_authenticated else None
    email = "" if user else email.strip().lower()
    if not user and not email:
        raise ParticipationError(_("Bitte geben Sie Ihre E-Mail-Adresse an."))
    if is_blocked(user, email):
        raise ParticipationError(_("Von Ihnen können derzeit keine Beiträge angenommen werden."))
    if _rate_limited("address", str(user.pk) if user else _email_hash(email)) or (
        client and _rate_limited("client", client)
    ):
        raise ParticipationError(
            _("Sie haben in kurzer Zeit viele Beiträge gesendet. Bitte versuchen Sie es später.")
        )
    now = timezone.now()
    contribution = Contribution.objects.create(
        content_type=target.content_type,
        object_id=target.object_id,
        section=target.section,
        target_title=target.title,
        kind=kind,
        role=role,
        affiliation=affiliation.strip(),
        text=text.strip(),
        author=user,
        author_name=(user.get_full_name() if user else name.strip())[:120],
        author_email=email,
        anonymous=anonymous,
        keep_text_on_erasure=keep_text_on_erasure,
        consent_version=consent_version,
        consented_at=now,
        status=Status.UNCONFIRMED,
    )
    log_action(user, "participation.submitted", contribution, kind=kind, target=target.key)
    if user:
        _enter_moderation(contribution, target)
    else:
        _send_confirmation(contribution)
    return contribution


def confirmation_token(contribution) -> str:
    return signing.dumps(
        [contribution.pk, _email_hash(contribution.author_email)[:16]], salt=CONFIRM_SALT
    )


def _send_confirmation(contribution):
    url = _absolute(
        reverse("participation:confirm", kwargs={"token": confirmation_token(contribution)})
    )
    _mail_author(
        contribution,
        "confirm",
        _("Bitte bestätigen Sie Ihren Beitrag"),
        confirm_url=url,
        consent_text=CONSENT_TEXT,
        consent_version=contribution.consent_version,
        max_days=CONFIRM_MAX_AGE // 86400,
    )


def contribution_for_token(token):
    """The contribution a confirmation link belongs to, or ``None`` if the link is invalid."""
    try:
        pk, email_hash = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    contribution = Contribution.objects.filter(pk=pk).first()
    if contribution is None or _email_hash(contribution.author_email)[:16] != email_hash:
        return None
    return contribution


@transaction.atomic
def confirm_contribution(token):
    """Confirm the address behind a contribution; a second click changes nothing."""
    contribution = contribution_for_token(token)
    if contribution is None:
        raise ParticipationError(
            _(
                "Der Bestätigungslink ist ungültig oder abgelaufen. Bitte senden Sie Ihren "
                "Beitrag noch einmal."
            )
        )
    contribution = Contribution.objects.select_for_update().get(pk=contribution.pk)
    if contribution.status != Status.UNCONFIRMED:
        return contribution
    if is_blocked(email=contribution.author_email):
        raise ParticipationError(_("Von Ihnen können derzeit keine Beiträge angenommen werden."))
    contribution.email_confirmed_at = timezone.now()
    contribution.save(update_fields=["email_confirmed_at"])
    log_action(None, "participation.confirmed", contribution)
    target = resolve(contribution.content_type_id, contribution.object_id, contribution.section)
    _enter_moderation(contribution, target)
    return contribution


def _enter_moderation(contribution, target):
    if contribution.kind in FOLLOW_UP_KINDS:
        contribution.status = Status.INTERNAL
        contribution.save(update_fields=["status"])
        FollowUp.objects.get_or_create(contribution=contribution)
        _mail_author(contribution, "received", _("Ihr Beitrag ist beim Team angekommen"))
    elif target is not None and not premoderation_for(target):
        _publish(contribution, None)
    else:
        contribution.status = Status.PENDING
        contribution.save(update_fields=["status"])


# --- Moderation --------------------------------------------------------------------------------


def _lock(contribution):
    return Contribution.objects.select_for_update().get(pk=contribution.pk)


def _publish(contribution, moderator):
    now = timezone.now()
    contribution.status = Status.PUBLISHED
    contribution.published_at = contribution.published_at or now
    contribution.hidden_by_reports = False
    contribution.decided_at = now
    contribution.decided_by = moderator
    contribution.save(
        update_fields=["status", "published_at", "hidden_by_reports", "decided_at", "decided_by"]
    )
    transaction.on_commit(invalidate_pages)
    _mail_author(contribution, "published", _("Ihr Beitrag ist veröffentlicht"))


@transaction.atomic
def approve(contribution, moderator, note=""):
    _check_moderator(contribution, moderator)
    contribution = _lock(contribution)
    if contribution.status == Status.UNCONFIRMED:
        raise ParticipationError(_("Die E-Mail-Adresse ist noch nicht bestätigt."))
    was_hidden = contribution.hidden_by_reports
    _publish(contribution, moderator)
    Report.objects.filter(contribution=contribution).update(resolved=True)
    log_action(moderator, "participation.approved", contribution, note=note, was_hidden=was_hidden)
    return contribution


def _withdraw(contribution, moderator, status, reason):
    contribution.status = status
    contribution.rejection_reason = reason
    contribution.hidden_by_reports = False
    contribution.decided_at = timezone.now()
    contribution.decided_by = moderator
    contribution.save(
        update_fields=[
            "status",
            "rejection_reason",
            "hidden_by_reports",
            "decided_at",
            "decided_by",
        ]
    )
    Report.objects.filter(contribution=contribution).update(resolved=True)
    transaction.on_commit(invalidate_pages)


@transaction.atomic
def reject(contribution, moderator, reason):
    _check_moderator(contribution, moderator)
    reason = (reason or "").strip()
    if not reason:
        raise ParticipationError(_("Bitte geben Sie einen Grund für die Ablehnung an."))
    contribution = _lock(contribution)
    _withdraw(contribution, moderator, Status.REJECTED, reason)
    log_action(moderator, "participation.rejected", contribution, reason=reason)
    if contribution.status != Status.UNCONFIRMED:
        _mail_author(contribution, "rejected", _("Ihr Beitrag wurde nicht veröffentlicht"))
    return contribution


@transaction.atomic
def mark_spam(contribution, moderator):
    _check_moderator(contribution, moderator)
    contribution = _lock(contribution)
    confirmed = contribution.author_id or contribution.email_confirmed_at
    _withdraw(contribution, moderator, Status.SPAM, _("als Spam eingestuft"))
    log_action(moderator, "participation.spam", contribution)
    if confirmed:  # unconfirmed addresses may not be anyone's: they get no mail
        _mail_author(contribution, "rejected", _("Ihr Beitrag wurde nicht veröffentlicht"))
    return contribution


@transaction.atomic
def answer(contribution, moderator, text):
    """An official answer of the team under ``contribution`` (one level of replies)."""
    _check_moderator(contribution, moderator)
    text = (text or "").strip()
    if not text:
        raise ParticipationError(_("Bitte schreiben Sie eine Antwort."))
    contribution = _lock(contribution)
    if contribution.parent_id:
        raise ParticipationError(_("Auf Antworten kann nicht noch einmal geantwortet werden."))
    now = timezone.now()
    reply = Contribution.objects.create(
        content_type_id=contribution.content_type_id,
        object_id=contribution.object_id,
        section=contribution.section,
        target_title=contribution.target_title,
        parent=contribution,
        is_official=True,
        kind=contribution.kind,
        role=contribution.role,
        text=text,
        author=moderator,
        author_name=_("Team"),
        status=Status.PUBLISHED,
        published_at=now,
        decided_at=now,
        decided_by=moderator,
    )
    log_action(moderator, "participation.answered", contribution, reply_id=reply.pk)
    transaction.on_commit(invalidate_pages)
    _mail_author(
        contribution, "answered", _("Das Team hat auf Ihren Beitrag geantwortet"), reply=reply
    )
    return reply


@transaction.atomic
def mark_taken_up(contribution, moderator, taken_up=True):
    _check_moderator(contribution, moderator)
    contribution = _lock(contribution)
    contribution.taken_up = taken_up
    contribution.taken_up_at = timezone.now() if taken_up else None
    contribution.save(update_fields=["taken_up", "taken_up_at"])
    log_action(moderator, "participation.taken_up", contribution, taken_up=taken_up)
    transaction.on_commit(invalidate_pages)
    return contribution


@transaction.atomic
def add_remark(contribution, moderator, remark):
    if not is_moderator(moderator):
        raise PermissionDenied
    remark = (remark or "").strip()
    if not remark:
        return contribution
    contribution = _lock(contribution)
    stamp = timezone.localtime().strftime("%d.%m.%Y %H:%M")
    line = f"{stamp} {moderator}: {remark}"
    contribution.remarks = f"{contribution.remarks}\n{line}".strip()
    contribution.save(update_fields=["remarks"])
    log_action(moderator, "participation.remark", contribution, remark=remark)
    return contribution


@transaction.atomic
def set_premoderation(target, moderator, premoderation: bool):
    if not is_moderator(moderator):
        raise PermissionDenied
    TargetSettings.objects.update_or_create(
        content_type=target.content_type,
        object_id=target.object_id,
        section=target.section,
        defaults={"premoderation": premoderation},
    )
    log_action(
        moderator,
        "participation.premoderation",
        target.obj,
        section=target.section,
        premoderation=premoderation,
    )


@transaction.atomic
def block_author(contribution, moderator, reason=""):
    """Block whoever wrote ``contribution``: all their contributions disappear, no new ones."""
    _check_moderator(contribution, moderator)
    user, email = contribution.author, contribution.author_email
    if contribution.is_official:
        raise ParticipationError(_("Antworten des Teams können nicht gesperrt werden."))
    BlockedAuthor.objects.create(
        user=user, email=(user.email if user else email), reason=reason, created_by=moderator
    )
    query = Q(author=user) if user else Q(author_email__iexact=email)
    if user:
        query |= Q(author_email__iexact=user.email)
    hidden = (
        Contribution.objects.filter(query)
        .exclude(status__in=[Status.REJECTED, Status.SPAM, Status.HIDDEN])
        .update(status=Status.HIDDEN, decided_at=timezone.now(), decided_by=moderator)
    )
    log_action(
        moderator, "participation.author_blocked", contribution, reason=reason, hidden=hidden
    )
    transaction.on_commit(invalidate_pages)
    return hidden


# --- Reports ---------------------------------------------------------------------------------


@transaction.atomic
def report(contribution, *, reason, note="", reporter=None, client=""):
    """Anyone may report a published contribution; three reports hide it until decided."""
    reporter = reporter if reporter is not None and reporter.is_authenticated else None
    identity = f"user:{reporter.pk}" if reporter else client
    if _rate_limited("report", identity):
        raise ParticipationError(
            _("Sie haben in kurzer Zeit viele Meldungen gesendet. Bitte versuchen Sie es später.")
        )
    contribution = _lock(contribution)
    if contribution.status != Status.PUBLISHED:
        raise ParticipationError(_("Dieser Beitrag wird bereits geprüft."))
    report, created = Report.objects.get_or_create(
        contribution=contribution,
        client_hash=hashlib.sha256(identity.encode()).hexdigest()[:32],
        defaults={"reason": reason, "note": note.strip()[:500], "reporter": reporter},
    )
    if not created:
        return report
    open_reports = Report.objects.filter(contribution=contribution, resolved=False).count()
    contribution.report_count = open_reports
    fields = ["report_count"]
    if open_reports >= REPORTS_TO_HIDE:
        contribution.status = Status.HIDDEN
        contribution.hidden_by_reports = True
        fields += ["status", "hidden_by_reports"]
        transaction.on_commit(invalidate_pages)
    contribution.save(update_fields=fields)
    log_action(reporter, "participation.reported", contribution, reason=reason, count=open_reports)
    return report


# --- Follow-ups ------------------------------------------------------------------------------


UNCHANGED = object()


@transaction.atomic
def update_follow_up(follow_up, actor, *, state=None, owner=UNCHANGED, note=""):
    """Change state, owner (``None`` clears it) and add an internal note; logged."""
    if not actor.has_perm(FOLLOW_UP_PERMISSION):
        raise PermissionDenied
    follow_up = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
    changes = {}
    if state and state != follow_up.state:
        changes["state"] = [follow_up.state, state]
        follow_up.state = state
    if owner is not UNCHANGED and (owner.pk if owner else None) != follow_up.owner_id:
        changes["owner"] = [follow_up.owner_id, owner.pk if owner else None]
        follow_up.owner = owner
    note = (note or "").strip()
    if note:
        stamp = timezone.localtime().strftime("%d.%m.%Y %H:%M")
        follow_up.notes = f"{follow_up.notes}\n{stamp} {actor}: {note}".strip()
        changes["note"] = note
    if changes:
        follow_up.save()
        log_action(actor, "participation.follow_up", follow_up.contribution, **changes)
    return follow_up


def moderators():
    """Active accounts that may moderate (for the digest)."""
    user_model = get_user_model()
    app_label, codename = MODERATE_PERMISSION.split(".")
    permission = Q(
        groups__permissions__codename=codename,
        groups__permissions__content_type__app_label=app_label,
    ) | Q(
        user_permissions__codename=codename,
        user_permissions__content_type__app_label=app_label,
    )
    return (
        user_model.objects.filter(is_active=True)
        .filter(permission | Q(is_superuser=True))
        .distinct()
        .order_by("pk")
    )
