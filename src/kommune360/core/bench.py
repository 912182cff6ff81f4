"""A bare Django view for ``bench/http.py``, routed only when ``KOMMUNE360_BENCH`` is set.

It passes through the same middleware stack as every page and answers a few bytes
without touching the database or a template: the ceiling against which the bench
measures real pages.
"""

from django.conf import settings
from django.http import HttpResponse
from django.urls import path

from .cache import mark_private


def bare(request):
    mark_private(request)
    return HttpResponse(b"ok\n", content_type="text/plain")


urlpatterns = [path("__bench__/bare", bare, name="bench_bare")] if settings.KOMMUNE360_BENCH else []
