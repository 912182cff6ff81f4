"""Enqueues the registry's periodic tasks; runs as a thread of ``kommune360 worker``.

Whether a task is due is kept in the cache: ``cache.add`` of a key that lives for
the task's interval is atomic, so with Redis several workers never enqueue the same
run twice, and without Redis a single worker does what is due.
"""

import logging
import threading

from django.core.cache import cache

from .registry import registry

logger = logging.getLogger(__name__)


def enqueue_due_tasks() -> list[str]:
    enqueued = []
    for periodic in registry.periodic_tasks():
        key = f"scheduler:{periodic.name}"
        if cache.add(key, True, timeout=int(periodic.interval.total_seconds())):
            periodic.task.enqueue()
            enqueued.append(periodic.name)
    return enqueued


def run_forever(stop: threading.Event, every_seconds: float = 30.0):
    while not stop.is_set():
        try:
            for name in enqueue_due_tasks():
                logger.debug("Periodic task enqueued: %s", name)
        except Exception:  # keep scheduling after a passing error
            logger.exception("Periodic tasks could not be enqueued")
        stop.wait(every_seconds)
