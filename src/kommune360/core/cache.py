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

Any publish, unpublish or change of a model an app declared as a ``PageDependency``
in the registry bumps a generation number, which invalidates every stored page at once
(``invalidate_pages``; ``connect_invalidation`` connects the receivers once). The generation
lives in the default cache, which all web processes share (Redis, or files in the data
folder); the pages live in the ``pages`` cache if there is one (each process's memory
on a single machine), else in the default cache too, and then generation and entry
are read together with one ``get_many`` (one round trip with Redis).
"""

import hashlib
import threading
import time
from contextlib import contextmanager

from django.conf import settings
from django.core.cache import cache, caches
from django.db import transaction
from django.http import HttpResponse
from django.utils.cache import cc_delim_re, patch_vary_headers

from .registry import registry

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


_deferred = threading.local()


def invalidate_pages(**kwargs):
    """Forget every cached page: at once, and again when the open transaction commits.

    At once, so that no process answers from a page stored before the change; at the
    commit, so that a page rendered meanwhile from the not yet committed rows (and stored
    under the new generation) is forgotten too. Inside ``invalidation_deferred()`` this
    happens once, at its end. Connected to publish and change signals
    (``connect_invalidation``); called directly only for changes that send no signal.
    """
    if getattr(_deferred, "depth", 0):
        _deferred.changed = True
        return
    _bump()
    connection = transaction.get_connection()
    if connection.in_atomic_block and not any(
        # Django keeps (savepoints, callback, robust) per registered callback.
        entry[1] is _bump
        for entry in connection.run_on_commit
    ):
        transaction.on_commit(_bump)


def _bump():
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        start_generation()


@contextmanager
def invalidation_deferred():
    """Empty the page cache once at the end of the block, not at each change inside
    (e.g. an import saving thousands of rows). Blocks may nest."""
    _deferred.depth = getattr(_deferred, "depth", 0) + 1
    try:
        yield
    finally:
        _deferred.depth -= 1
        if not _deferred.depth and getattr(_deferred, "changed", False):
            _deferred.changed = False
            invalidate_pages()


def _declared():
    return tuple(entry.model for entry in registry.page_dependencies())


def _row_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        invalidate_pages()


def _links_changed(sender, instance, action, model, **kwargs):
    declared = _declared()
    if action.startswith("post_") and (
        isinstance(instance, declared) or issubclass(model, declared)
    ):
        invalidate_pages()


class _ShownRows:
    """Receivers for a dependency of which only some rows are on public pages
    (``PageDependency.shown``): whether a row is shown is noted when it is read and
    checked again when it is saved or deleted; the cache is emptied if either says yes
    or cannot tell (a row read with deferred fields is taken as shown)."""

    def __init__(self, shown):
        self.shown = shown

    def _now(self, instance):
        return None if instance.get_deferred_fields() else bool(self.shown(instance))

    def loaded(self, sender, instance, **kwargs):
        instance._page_cache_shown = self._now(instance)

    def saved(self, sender, instance, raw=False, **kwargs):
        was, now = getattr(instance, "_page_cache_shown", None), self._now(instance)
        instance._page_cache_shown = now
        if not raw and (was is not False or now is not False):
            invalidate_pages()

    def deleted(self, sender, instance, **kwargs):
        if getattr(instance, "_page_cache_shown", None) is not False or self._now(instance):
            invalidate_pages()


def _connect_dependency(entry):
    # Receivers per model, not for every sender: a delete receiver for all models
    # would turn every fast (single-query) delete into a select and one signal per row.
    from django.apps import apps
    from django.db.models.signals import post_delete, post_init, post_save

    for model in apps.get_models():
        if not issubclass(model, entry.model):
            continue
        label = model._meta.label
        if entry.shown is None:
            post_save.connect(_row_changed, sender=model, dispatch_uid=f"pagecache-{label}")
            post_delete.connect(invalidate_pages, sender=model, dispatch_uid=f"pagecache-d-{label}")
            continue
        rows = _ShownRows(entry.shown)
        for signal, receiver, uid in (
            (post_init, rows.loaded, "i"),
            (post_save, rows.saved, "s"),
            (post_delete, rows.deleted, "d"),
        ):
            uid = f"pagecache-{uid}-{label}"
            signal.connect(receiver, sender=model, weak=False, dispatch_uid=uid)


def connect_invalidation():
    """Empty the page cache on every change public pages may show: Wagtail's publish
    and unpublish, the deletion of a page, and saves, deletions and many-to-many changes
    of the models apps declare as ``PageDependency`` (also those declared after this
    runs: ``core`` is ready before the other apps)."""
    from django.db.models.signals import m2m_changed, post_delete
    from wagtail.models import Page
    from wagtail.signals import page_published, page_unpublished

    from .registry import PageDependency

    page_published.connect(invalidate_pages, dispatch_uid="pagecache-published")
    page_unpublished.connect(invalidate_pages, dispatch_uid="pagecache-unpublished")
    post_delete.connect(invalidate_pages, sender=Page, dispatch_uid="pagecache-page-deleted")
    m2m_changed.connect(_links_changed, dispatch_uid="pagecache-links")
    registry.on_add(PageDependency, _connect_dependency)


def start_generation():
    # A number never used before (not 1 again), so that pages stored before the
    # generation key was evicted from the cache can never come back.
    cache.add(GENERATION_KEY, time.time_ns(), None)
    return cache.get(GENERATION_KEY)


def current_generation(request):
    """The generation this request works with, read once (the page cache's middleware
    reads it first; the shared parts, ``core.shared_parts``, use the same)."""
    current = getattr(request, "_page_generation", None)
    if current is None:
        current = cache.get(GENERATION_KEY) or start_generation()
        request._page_generation = current
    return current


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
        pages = pages_cache()
        if pages is cache:
            found = cache.get_many((GENERATION_KEY, key))
            generation, entry = found.get(GENERATION_KEY), found.get(key)
        else:
            generation, entry = cache.get(GENERATION_KEY), pages.get(key)
        generation = request._page_generation = generation or start_generation()
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


def pages_cache():
    return caches["pages"] if "pages" in settings.CACHES else cache


def _may_use_cache(request):
    return (
        settings.PAGE_CACHE_SECONDS > 0
        and request.method == "GET"
        and not any(name in request.COOKIES for name in PRIVATE_COOKIES)
        and "HX-Request" not in request.headers
        and not getattr(request, "is_dummy", False)  # Wagtail's previews
        and not request.path_info.startswith(SKIPPED_PREFIXES)
        and not request.path_info.startswith(registry.pageless_prefixes())
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
