"""Metrics in Prometheus's text format at ``/metrics`` (token-protected, ``core.health``).

Per process, counted by ``MetricsMiddleware`` (the first middleware, so page-cache hits
count too): requests by view and status, and the latency per view as a histogram.
Under gunicorn with several worker processes set ``PROMETHEUS_MULTIPROC_DIR`` to an
empty folder of that server (``make cluster`` does); the answer then adds up all of the
server's processes. Scrape every app server on its own address, not through the load
balancer.

Read when scraped, the same for every server: the task queue's depth and the age of
its oldest waiting job, and mails by kind (single mails in the outbox, newsletter
deliveries) and state — sent and failed among them.
"""

import os
import time

from django.http import Http404, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily

from . import health

REQUESTS = Counter(
    "kommune360_http_requests", "HTTP requests answered, by view and status", ["view", "status"]
)
LATENCY = Histogram(
    "kommune360_http_request_duration_seconds",
    "Time to answer a request, by view",
    ["view"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1.0, 2.5, 5.0, 10.0),
)
PAGE_CACHE_VIEW = "page_cache"
UNRESOLVED_VIEW = "unresolved"


def view_name(request, response) -> str:
    match = getattr(request, "resolver_match", None)
    if match is not None:
        return match.view_name or match._func_path
    if response.get("X-Page-Cache") == "hit":
        return PAGE_CACHE_VIEW
    return UNRESOLVED_VIEW


class MetricsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        view = view_name(request, response)
        REQUESTS.labels(view, str(response.status_code)).inc()
        LATENCY.labels(view).observe(time.perf_counter() - started)
        return response


class SiteCollector:
    """Values read from the queue and the database when scraped."""

    def collect(self):
        queue = health.queue_state()
        depth = GaugeMetricFamily(
            "kommune360_task_queue_depth", "Tasks waiting in the queue", labels=["backend"]
        )
        depth.add_metric([queue["backend"]], queue["depth"])
        yield depth
        age = GaugeMetricFamily(
            "kommune360_task_queue_oldest_seconds",
            "Age of the oldest waiting task (0 when none waits)",
            labels=["backend"],
        )
        age.add_metric([queue["backend"]], queue["oldest_seconds"])
        yield age
        mails = GaugeMetricFamily(
            "kommune360_mails",
            "Mails by kind and state (sent, failed, ...)",
            labels=["kind", "state"],
        )
        for (kind, state), count in sorted(health.mail_counts().items()):
            mails.add_metric([kind, state], count)
        yield mails


def _registry():
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return registry
    return REGISTRY


@never_cache
@require_GET
def metrics(request):
    if not health.token_ok(request):
        raise Http404
    site = CollectorRegistry()
    site.register(SiteCollector())
    body = generate_latest(_registry()) + generate_latest(site)
    return HttpResponse(body, content_type=CONTENT_TYPE_LATEST)
