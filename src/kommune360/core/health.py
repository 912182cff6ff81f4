"""What operators ask the site about itself: the task queue's depth and age, the
newsletter sender, Redis and the object storage (``/healthz?deep=1``), and the counts
``/metrics`` reports (``core.metrics``). The cheap ``/healthz`` (``core.views``) asks
none of this.

``/healthz?deep=1`` and ``/metrics`` answer only with ``Authorization: Bearer
<OPERATIONS_TOKEN>``; without a configured token they do not exist (404).
"""

import hmac
import time
import uuid
from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db.models import Count
from django.utils import timezone
from django_tasks import task_backends

# A waiting job older than this makes the deep check fail (the workers do not keep up
# or none runs).
OLDEST_JOB_LIMIT = timedelta(minutes=10)
PROBE_DIR = "healthz"


def token_ok(request) -> bool:
    """The request carries the operators' token (and one is configured)."""
    expected = getattr(settings, "OPERATIONS_TOKEN", "")
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    return bool(expected) and hmac.compare_digest(given.encode(), expected.encode())


def queue_state() -> dict:
    """Waiting jobs and the age in seconds of the oldest (0 when none waits)."""
    backend = type(task_backends["default"]).__name__
    now = timezone.now()
    if backend == "RQBackend":
        import django_rq

        queue = django_rq.get_queue("default")
        depth = queue.count
        oldest = None
        for job_id in queue.get_job_ids(0, 1):
            job = queue.fetch_job(job_id)
            if job is not None and job.enqueued_at is not None:
                enqueued = job.enqueued_at
                if timezone.is_naive(enqueued):
                    enqueued = timezone.make_aware(enqueued, timezone.UTC)
                oldest = enqueued
    elif backend == "DatabaseBackend":
        from django_tasks_db.models import DBTaskResult

        ready = DBTaskResult.objects.ready()
        depth = ready.count()
        oldest = ready.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    else:
        return {"backend": backend, "depth": 0, "oldest_seconds": 0.0}
    age = max(0.0, (now - oldest).total_seconds()) if oldest else 0.0
    return {"backend": backend, "depth": depth, "oldest_seconds": round(age, 1)}


def mail_counts() -> dict:
    """Mails by kind and state: the outbox of single mails and the newsletter's deliveries."""
    from .models import OutgoingMail

    counts = {
        ("outbox", state): n
        for state, n in OutgoingMail.objects.values_list("state").annotate(n=Count("pk"))
    }
    if apps.is_installed("kommune360.newsletter"):
        delivery = apps.get_model("newsletter", "Delivery")
        counts.update(
            {
                ("newsletter", state): n
                for state, n in delivery.objects.values_list("state").annotate(n=Count("pk"))
            }
        )
    return counts


def newsletter_sender_state() -> dict:
    """Sending campaigns whose worker shows no sign of life are stuck."""
    if not apps.is_installed("kommune360.newsletter"):
        return {"ok": True, "sending": 0}
    from kommune360.newsletter.journal import option

    campaign = apps.get_model("newsletter", "Campaign")
    sending = list(
        campaign.objects.filter(state="sending").values_list("pk", "worker", "heartbeat_at")
    )
    limit = timedelta(seconds=option("WORKER_TIMEOUT", 120))
    now = timezone.now()
    stuck = [
        pk
        for pk, worker, heartbeat in sending
        if worker and (heartbeat is None or now - heartbeat > limit)
    ]
    return {"ok": not stuck, "sending": len(sending), "stuck": stuck}


def redis_state() -> dict:
    if not settings.REDIS_URL:
        return {"ok": True, "configured": False}
    import redis

    started = time.perf_counter()
    redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2).ping()
    return {"ok": True, "ms": round((time.perf_counter() - started) * 1000, 1)}


def storage_state() -> dict:
    """Write, read and delete a small file in each storage."""
    state = {}
    for alias in ("default", "private"):
        storage = storages[alias]
        payload = uuid.uuid4().hex.encode()
        name = storage.save(f"{PROBE_DIR}/{uuid.uuid4().hex}.txt", ContentFile(payload))
        try:
            with storage.open(name) as stored:
                same = stored.read() == payload
        finally:
            storage.delete(name)
        state[alias] = {"ok": same, "backend": type(storage).__name__}
    return {"ok": all(entry["ok"] for entry in state.values()), **state}


def deep_state() -> dict:
    """Every check, each guarded: one failing part reports its error, the rest still runs."""
    checks = {
        "redis": redis_state,
        "storage": storage_state,
        "queue": _queue_check,
        "newsletter": newsletter_sender_state,
    }
    result = {}
    for name, check in checks.items():
        try:
            result[name] = check()
        except Exception as error:
            result[name] = {"ok": False, "error": type(error).__name__}
    return result


def _queue_check() -> dict:
    state = queue_state()
    return {**state, "ok": state["oldest_seconds"] < OLDEST_JOB_LIMIT.total_seconds()}
