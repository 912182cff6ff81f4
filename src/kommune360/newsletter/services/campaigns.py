"""Campaign control: who receives an issue, starting, pausing and resuming its
sending, and its progress. The delivery engine itself is ``newsletter.sending``.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from kommune360.core.audit import log_action

from ..models import Campaign, Delivery, Subscriber


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
