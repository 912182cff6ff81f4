"""Whole-page cache for anonymous visitors.

Mature Wagtail sites serve anonymous visitors from a cache in front of the page
logic. This middleware does that inside the process, right after the security and
static-file middleware: a GET from a visitor without a session is answered from the
cache if an earlier answer to the same URL exists, without sessions, CSRF, users,
URL routing or templates.

A response is stored only when it is safe to share: status 200, HTML or XML, no
cookie set, no CSRF token used, not marked private (``mark_private``), no
``Cache-Control: private/no-store``, no ``Vary`` on anything but the cookie or the
language (the language follows from the path here: German without prefix, English
under ``/en/``). What is stored is the rendered body with its headers, not the
response object, so a hit costs one cache read and no unpickling of Django objects.

Any publish, unpublish or change of a registered model bumps a generation number,
which invalidates every stored page at once (``invalidate_pages``). The generation
lives in the default cache, which all web processes share (Redis, or files in the data
folder); the pages live in the ``pages`` cache if there is one (each process's memory
on a single machine), else in the default cache too, and then generation and entry
are read together with one ``get_many`` (one round trip with Redis).
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache, caches
from django.http import HttpResponse
from django.utils.cache import cc_delim_re, patch_vary_headers

GENERATION_KEY = "pagecache:generation"
PRIVATE_COOKIES = (settings.SESSION_COOKIE_NAME, "messages")
CACHEABLE_TYPES = frozenset(
    {
        "text/html",
        "application/xml",
        "text/xml",
        "application/rss+xml",
        "application/atom+xml",
        "text/calendar",
    }
)
# Headers a stored page may vary on: the session cookie is never present when the
# cache answers, the language is part of the path, htmx requests bypass the cache.
HARMLESS_VARY = frozenset({"cookie", "accept-language", "hx-request"})
SKIPPED_PREFIXES = ("/admin/", "/django-admin/", "/static/", "/media/", "/__bench__/")
HIT = "hit"


def invalidate_pages(**kwargs):
    """Forget every cached page (connected to publish and save signals)."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        _start_generation()


def _start_generation():
    # A number never used before (not 1 again), so that pages stored before the
    # generation key was evicted from the cache can never come back.
    cache.add(GENERATION_KEY, time.time_ns(), None)
    return cache.get(GENERATION_KEY)


def _key(request):
    digest = hashlib.blake2b(request.get_full_path().encode(), digest_size=16).hexdigest()
    return f"pagecache:{request.scheme}:{request.get_host()}:{digest}"


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _may_use_cache(request):
            return self.get_response(request)
        key = _key(request)
        pages = _pages()
        if pages is cache:
            found = cache.get_many((GENERATION_KEY, key))
            generation, entry = found.get(GENERATION_KEY), found.get(key)
        else:
            generation, entry = cache.get(GENERATION_KEY), pages.get(key)
        generation = generation or _start_generation()
        if entry is not None and entry[0] == generation:
            _, status, headers, content = entry
            response = HttpResponse(content, status=status, headers=headers)
            response["X-Page-Cache"] = HIT
            return response
        response = self.get_response(request)
        if _may_store(request, response):
            headers = tuple(response.items())
            pages.set(
                key,
                (generation, response.status_code, headers, response.content),
                settings.PAGE_CACHE_SECONDS,
            )
            response["X-Page-Cache"] = "miss"
        return response


def _pages():
    return caches["pages"] if "pages" in settings.CACHES else cache


def _may_use_cache(request):
    return (
        settings.PAGE_CACHE_SECONDS > 0
        and request.method == "GET"
        and not any(name in request.COOKIES for name in PRIVATE_COOKIES)
        and "HX-Request" not in request.headers
        and not getattr(request, "is_dummy", False)  # Wagtail's previews
        and not request.path.startswith(SKIPPED_PREFIXES)
    )


def _may_store(request, response):
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or getattr(
        request, "_page_cache_private", False
    ):
        # Some pages show per-visitor state; shared caches in front must not keep them.
        patch_vary_headers(response, ("Cookie",))
        return False
    cache_control = response.get("Cache-Control", "")
    if "private" in cache_control or "no-store" in cache_control:
        return False
    vary = {value.strip().lower() for value in cc_delim_re.split(response.get("Vary", ""))}
    if not vary <= HARMLESS_VARY | {""}:
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    return response.get("Content-Type", "").split(";")[0] in CACHEABLE_TYPES


def mark_private(request):
    """Keep this response out of the shared cache (e.g. it shows per-visitor state)."""
    request._page_cache_private = True
