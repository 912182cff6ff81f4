"""Decisions of moderators, reports by anyone, follow-ups of the team."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kommune360.core.audit import log_action
from kommune360.core.cache import invalidate_pages
from kommune360.core.dates import local_date

from ..models import BlockedAuthor, Contribution, FollowUp, Report, Status, TargetSettings
from .common import (
    FOLLOW_UP_PERMISSION,
    REPORTS_TO_HIDE,
    ParticipationError,
    check_moderator,
    is_moderator,
    lock,
    mail_author,
)
from .limits import rate_limited, report_hash


def publish(contribution, moderator):
    now = timezone.now()
    contribution.status = Status.PUBLISHED
    contribution.published_at = contribution.published_at or now
    contribution.hidden_by_reports = False
    contribution.decided_at = now
    contribution.decided_by = moderator
    contribution.save(
        update_fields=["status", "published_at", "hidden_by_reports", "decided_at", "decided_by"]
    )
    mail_author(contribution, "published", gettext_lazy("Ihr Beitrag ist veröffentlicht"))


@transaction.atomic
def approve(contribution, moderator, note=""):
    check_moderator(contribution, moderator)
    contribution = lock(contribution)
    if contribution.status == Status.UNCONFIRMED:
        raise ParticipationError(_("Die E-Mail-Adresse ist noch nicht bestätigt."))
    was_hidden = contribution.hidden_by_reports
    publish(contribution, moderator)
    Report.objects.filter(contribution=contribution).update(resolved=True)
    log_action(moderator, "participation.approved", contribution, note=note, was_hidden=was_hidden)
    return contribution


def _withdraw(contribution, moderator, status, why, action, **logged):
    """Take ``contribution`` off (rejected or spam) with ``why``, resolve its reports
    and tell its author, if the author is known: an unconfirmed address may not be
    anyone's, so it gets no mail."""
    contribution = lock(contribution)
    confirmed = contribution.author_id or contribution.email_confirmed_at
    contribution.status = status
    contribution.rejection_reason = why
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
    log_action(moderator, action, contribution, **logged)
    if confirmed:
        mail_author(
            contribution, "rejected", gettext_lazy("Ihr Beitrag wurde nicht veröffentlicht")
        )
    return contribution


@transaction.atomic
def reject(contribution, moderator, reason):
    check_moderator(contribution, moderator)
    reason = (reason or "").strip()
    if not reason:
        raise ParticipationError(_("Bitte geben Sie einen Grund für die Ablehnung an."))
    return _withdraw(
        contribution, moderator, Status.REJECTED, reason, "participation.rejected", reason=reason
    )


@transaction.atomic
def mark_spam(contribution, moderator):
    check_moderator(contribution, moderator)
    reason = _("als Spam eingestuft")
    return _withdraw(contribution, moderator, Status.SPAM, reason, "participation.spam")


@transaction.atomic
def answer(contribution, moderator, text):
    """An official answer of the team under ``contribution`` (one level of replies)."""
    check_moderator(contribution, moderator)
    text = (text or "").strip()
    if not text:
        raise ParticipationError(_("Bitte schreiben Sie eine Antwort."))
    contribution = lock(contribution)
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
    mail_author(
        contribution,
        "answered",
        gettext_lazy("Das Team hat auf Ihren Beitrag geantwortet"),
        reply=reply,
    )
    return reply


@transaction.atomic
def mark_taken_up(contribution, moderator, taken_up=True):
    check_moderator(contribution, moderator)
    contribution = lock(contribution)
    contribution.taken_up = taken_up
    contribution.taken_up_at = timezone.now() if taken_up else None
    contribution.save(update_fields=["taken_up", "taken_up_at"])
    log_action(moderator, "participation.taken_up", contribution, taken_up=taken_up)
    return contribution


@transaction.atomic
def add_remark(contribution, moderator, remark):
    if not is_moderator(moderator):
        raise PermissionDenied
    remark = (remark or "").strip()
    if not remark:
        return contribution
    contribution = lock(contribution)
    stamp = local_date(timezone.now(), "SHORT_DATETIME_FORMAT")
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
    check_moderator(contribution, moderator)
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
    invalidate_pages()  # QuerySet.update() sends no signal
    return hidden


# --- Reports ---------------------------------------------------------------------------------


@transaction.atomic
def report(contribution, *, reason, note="", reporter=None, client=""):
    """Anyone may report a published contribution; three reports hide it until decided."""
    reporter = reporter if reporter is not None and reporter.is_authenticated else None
    identity = f"user:{reporter.pk}" if reporter else client
    if rate_limited("report", identity):
        raise ParticipationError(
            _("Sie haben in kurzer Zeit viele Meldungen gesendet. Bitte versuchen Sie es später.")
        )
    contribution = lock(contribution)
    if contribution.status != Status.PUBLISHED:
        raise ParticipationError(_("Dieser Beitrag wird bereits geprüft."))
    report, created = Report.objects.get_or_create(
        contribution=contribution,
        client_hash=report_hash(identity),
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
        stamp = local_date(timezone.now(), "SHORT_DATETIME_FORMAT")
        follow_up.notes = f"{follow_up.notes}\n{stamp} {actor}: {note}".strip()
        changes["note"] = note
    if changes:
        follow_up.save()
        log_action(actor, "participation.follow_up", follow_up.contribution, **changes)
    return follow_up
