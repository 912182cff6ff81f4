"""Whole-page cache for anonymous visitors.

Mature Wagtail sites serve anonymous visitors from a cache in front of the page
logic. This middleware does that inside the process: a GET from a visitor without a
session is answered from the cache if an earlier answer to the same URL exists. A
response is stored only when it is safe to share: status 200, HTML or XML, no cookie
set, no CSRF token used, not marked private. Any publish, unpublish or change of a
registered model bumps a generation number, which invalidates every stored page at
once (``invalidate_pages``).
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.utils.cache import patch_vary_headers

GENERATION_KEY = "pagecache:generation"
PRIVATE_COOKIES = (settings.SESSION_COOKIE_NAME, "messages")
CACHEABLE_TYPES = (
    "text/html",
    "application/xml",
    "text/xml",
    "application/rss+xml",
    "text/calendar",
)


def invalidate_pages(**kwargs):
    """Forget every cached page (connected to publish and save signals)."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 1, None)


def _key(request, generation):
    digest = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    return f"pagecache:{generation}:{request.method}:{request.get_host()}:{digest}"


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not self._may_use_cache(request):
            return self.get_response(request)
        generation = cache.get_or_set(GENERATION_KEY, 1, None)
        key = _key(request, generation)
        response = cache.get(key)
        if response is not None:
            response["X-Page-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if self._may_store(request, response):
            if hasattr(response, "render") and callable(response.render):
                response.render()
            cache.set(key, response, settings.PAGE_CACHE_SECONDS)
            response["X-Page-Cache"] = "miss"
        return response

    @staticmethod
    def _may_use_cache(request):
        return (
            settings.PAGE_CACHE_SECONDS > 0
            and request.method in ("GET", "HEAD")
            and not any(name in request.COOKIES for name in PRIVATE_COOKIES)
            and not request.headers.get("HX-Request")
            and not request.path.startswith(("/admin/", "/django-admin/", "/static/", "/media/"))
        )

    @staticmethod
    def _may_store(request, response):
        if response.status_code != 200 or response.streaming or response.cookies:
            return False
        if request.META.get("CSRF_COOKIE_USED") or getattr(request, "_page_cache_private", False):
            patch_vary_headers(response, ("Cookie",))
            return False
        cache_control = response.get("Cache-Control", "")
        if "private" in cache_control or "no-store" in cache_control:
            return False
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return False
        return response.get("Content-Type", "").split(";")[0] in CACHEABLE_TYPES


def mark_private(request):
    """Keep this response out of the shared cache (e.g. it shows per-visitor state)."""
    request._page_cache_private = True
