"""Campaign control: who receives an issue, starting (now or at a planned time),
pausing and resuming its sending, and its progress. The delivery engine itself is
``newsletter.sending``.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from kommune360.core.audit import log_action

from ..models import Campaign, Delivery, Subscriber


def recipients(campaign):
    """Who receives the campaign: active subscribers with one of its topics (all active
    ones when it has none). Unconfirmed, unsubscribed and bounced addresses never are;
    an address on the suppression list is never active (unsubscribing and bouncing
    suppress it, only a new confirmed double opt-in lifts both). Sending and the
    confirmation's count both ask this function."""
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


def recipient_count(campaign) -> int:
    """How many addresses ``start_sending`` would freeze now (the confirmation shows it)."""
    return recipients(campaign).count()


def _claim(campaign_id, from_state, **conditions) -> Campaign | None:
    """Move the campaign from ``from_state`` to ``sending`` with one conditional UPDATE.

    Of two callers at once (two workers running the scheduler's task, a click and the
    task, an editor unscheduling) exactly one changes the row: PostgreSQL makes the
    second UPDATE wait for the first one's commit and then finds the state changed,
    SQLite runs the transactions one after the other (IMMEDIATE). The loser gets None.
    """
    claimed = Campaign.objects.filter(pk=campaign_id, state=from_state, **conditions).update(
        state=Campaign.State.SENDING, started_at=timezone.now(), pause_reason=""
    )
    return Campaign.objects.get(pk=campaign_id) if claimed else None


def _hand_over(campaign, actor, enqueue_task, **audit) -> int:
    """Freeze the recipient list of a campaign just claimed and queue its run."""
    count = enqueue_recipients(campaign)
    log_action(actor, "newsletter.sending_started", campaign, recipients=count, **audit)
    if enqueue_task:
        _enqueue_after_commit(campaign.pk)
    return count


def start_sending(campaign, actor=None, *, enqueue_task=True) -> int:
    """Freeze the recipient list of a draft and hand it to the task worker."""
    with transaction.atomic():
        started = _claim(campaign.pk, Campaign.State.DRAFT)
        if started is None:
            raise ValueError("campaign is not a draft")
        return _hand_over(started, actor, enqueue_task)


def schedule_sending(campaign, at, actor=None) -> int:
    """Plan the sending of a draft for ``at`` (an aware time in the future).

    Returns the number of recipients at this moment; the list itself is frozen when
    the sending starts (``start_due_campaigns``), so people who sign up or leave
    before then are counted then.
    """
    if at <= timezone.now():
        raise ValidationError(_("Bitte wählen Sie einen Zeitpunkt in der Zukunft."), code="past")
    with transaction.atomic():
        planned = Campaign.objects.filter(pk=campaign.pk, state=Campaign.State.DRAFT).update(
            state=Campaign.State.SCHEDULED, scheduled_at=at
        )
        if not planned:
            raise ValidationError(_("Nur ein Entwurf kann geplant werden."), code="state")
        count = recipient_count(campaign)
        log_action(
            actor,
            "newsletter.sending_scheduled",
            campaign,
            at=at.isoformat(),
            recipients=count,
            subject=campaign.subject,
            topics=sorted(campaign.topics.values_list("name", flat=True)),
        )
    return count


def unschedule_sending(campaign, actor=None) -> bool:
    """Take a planned sending back; the campaign is a draft again. False when it is no
    longer planned (already started, or taken back by somebody else)."""
    with transaction.atomic():
        taken_back = Campaign.objects.filter(pk=campaign.pk, state=Campaign.State.SCHEDULED).update(
            state=Campaign.State.DRAFT, scheduled_at=None
        )
        if taken_back:
            log_action(actor, "newsletter.sending_unscheduled", campaign)
    return bool(taken_back)


def start_due_campaigns(now=None, *, enqueue_task=True) -> list[int]:
    """Start every planned sending whose time has come (the periodic task
    ``newsletter.start_scheduled``); each exactly once, however many workers run this
    at the same time (``_claim``). Returns the ids of the campaigns this call started."""
    now = now or timezone.now()
    due = Campaign.objects.filter(state=Campaign.State.SCHEDULED, scheduled_at__lte=now)
    started = []
    for pk in list(due.order_by("scheduled_at", "pk").values_list("pk", flat=True)):
        with transaction.atomic():
            campaign = _claim(pk, Campaign.State.SCHEDULED, scheduled_at__lte=now)
            if campaign is None:
                continue
            _hand_over(campaign, None, enqueue_task, scheduled_at=campaign.scheduled_at.isoformat())
        started.append(pk)
    return started


def _enqueue_after_commit(campaign_id):
    from ..tasks import run_campaign_task

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


def campaign_progress(campaign) -> dict:
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
