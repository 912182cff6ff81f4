"""What pages show every visitor alike, computed once per page-cache generation.

The page cache (``core.cache``) answers anonymous visitors only; every logged-in member
and editor gets each page rendered. The parts of a page that do not depend on the
person are kept in the ``pages`` cache under the page cache's generation:

- the layout's Wagtail site, site settings (with logo, icon and footer pages) and
  footer, read by ``SharedLayoutMiddleware`` before any view asks for them;
- fragments a template marks with ``{% shared_part "name" … %}`` (tag library ``core``).

Every change that empties the page cache (``PageDependency``, publishing) starts a new
generation, so these parts are computed afresh then, and no app has to connect
anything. Previews and ``SHARED_PARTS_SECONDS = 0`` compute everything each time.
"""

import functools
import threading
import time

from django.conf import settings
from django.utils.crypto import salted_hmac
from django.utils.translation import get_language

from .cache import SKIPPED_PREFIXES, current_generation, pages_cache
from .registry import registry

MISSING = object()
# Paths that render no page of the site's layout (and those apps declare: ``PagelessPath``).
UNSHARED_PREFIXES = tuple(p for p in SKIPPED_PREFIXES if p != "/__bench__/")


def enabled(request) -> bool:
    return (
        settings.SHARED_PARTS_SECONDS > 0
        and request is not None
        # A page answering a form shows what this visitor entered.
        and request.method in ("GET", "HEAD")
        and not getattr(request, "is_preview", False)
        and not getattr(request, "is_dummy", False)
    )


def _full_key(request, key: str) -> str:
    return f"shared:{current_generation(request)}:{request.get_host()}:{get_language()}:{key}"


# Rendered parts (strings, which no request can change) are kept in this process's
# memory as they are, without the pickling of the ``pages`` cache; the dictionary is
# emptied when it is full or a request brings a new generation.
LOCAL_MAX_ENTRIES = 2_000
_local = {}
_local_lock = threading.Lock()
_local_generation = [None]


def _local_get(request, full_key):
    generation = current_generation(request)
    if _local_generation[0] != generation:
        with _local_lock:
            if _local_generation[0] != generation:
                _local.clear()
                _local_generation[0] = generation
        return MISSING
    found = _local.get(full_key)
    if found is None or found[0] < time.monotonic():
        return MISSING
    return found[1]


def _local_set(full_key, value):
    with _local_lock:
        if len(_local) >= LOCAL_MAX_ENTRIES:
            _local.clear()
        _local[full_key] = (time.monotonic() + settings.SHARED_PARTS_SECONDS, value)


def get_or_compute(request, key: str, compute, keep=lambda value: True):
    """``compute()``'s value, shared by every request of this generation, host and
    language. The value must not depend on the person (nor on anything not in ``key``);
    values for which ``keep(value)`` is false are not shared. A string is kept as it is
    in this process; anything else is pickled into the ``pages`` cache, so that each
    request gets its own copy to change."""
    if not enabled(request):
        return compute()
    full_key = _full_key(request, key)
    value = _local_get(request, full_key)
    if value is not MISSING:
        return value
    store = pages_cache()
    value = store.get(full_key, MISSING)
    if value is MISSING:
        value = compute()
        if keep(value):
            if isinstance(value, str):
                _local_set(full_key, value)
            else:
                store.set(full_key, value, settings.SHARED_PARTS_SECONDS)
    return value


def _site(request):
    from wagtail.models import Site

    return Site._find_for_request(request)


def _site_settings(request):
    from .models import SiteSettings

    site_settings = SiteSettings.for_site(request._wagtail_site)
    # Loaded once with the settings and kept with them (the cache pickles the instance
    # with its related objects).
    for name in ("logo", "icon", "imprint_page", "privacy_page", "accessibility_page"):
        getattr(site_settings, name)
    return site_settings


def prime_layout(request):
    """Put the site and its settings where Wagtail looks for them on the request
    (``Site.find_for_request``, ``SiteSettings.for_request``)."""
    from .models import SiteSettings

    request._wagtail_site = get_or_compute(request, "site", lambda: _site(request))
    if request._wagtail_site is None:
        return
    site_settings = get_or_compute(request, "site-settings", lambda: _site_settings(request))
    site_settings._request = request
    setattr(request, SiteSettings.get_cache_attr_name(), site_settings)


def serve(request, path):
    """Wagtail's page view, with the route to the page (2–5 queries) shared: what page a
    path leads to depends on the published tree and the language (``core.languages.
    route_page``), not on the person. View restrictions are still checked for each
    request (Wagtail's ``before_serve_page``)."""
    from django.http import HttpResponseRedirect
    from wagtail.views import serve as wagtail_serve

    from .languages import Redirect, route_page

    if enabled(request) and getattr(request, "_wagtail_site", None) is not None:
        route = get_or_compute(
            request,
            f"route:{path}",
            lambda: route_page(request, path),
            keep=lambda route: route is not None,  # no entry for every mistyped address
        )
        page = route[0] if route is not None and not isinstance(route, Redirect) else None
        if isinstance(page, SharedViewRestrictions):
            page.shared_view_restrictions = get_or_compute(
                request, f"restrictions:{page.pk}", lambda: list(page.get_view_restrictions())
            )
    else:
        route = route_page(request, path)
    if isinstance(route, Redirect):
        return HttpResponseRedirect(route.url)
    request._wagtail_route_for_request = route
    return wagtail_serve(request, path)


class SharedViewRestrictions:
    """For page models: the view restrictions that apply to a page being served come
    from the shared parts (which restrictions apply is alike for everyone; whether
    they let this visitor in, Wagtail checks for each request). Everywhere else, e.g.
    in the admin, the page reads them as Wagtail does."""

    shared_view_restrictions = None

    def get_view_restrictions(self):
        if self.shared_view_restrictions is not None:
            return self.shared_view_restrictions
        return super().get_view_restrictions()


class SharedLayoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            enabled(request)
            and not request.path_info.startswith(UNSHARED_PREFIXES)
            and not request.path_info.startswith(registry.pageless_prefixes())
        ):
            prime_layout(request)
        return self.get_response(request)


@functools.cache
def csrf_placeholder() -> str:
    """Stands in a shared part for the visitor's CSRF token, which ``{% shared_part %}``
    fills in for each visitor. Derived from the secret key, so that no text an author
    writes can ask for a reader's token, and alike in every process that shares parts."""
    return "csrf-" + salted_hmac("kommune360.shared_parts", "csrf").hexdigest()


def render_shared(request, key: str, render):
    """``render()``'s HTML, shared like ``get_or_compute`` unless rendering it used the
    CSRF token or marked the response private (then it belongs to this visitor)."""
    personal = []

    def compute():
        token_before = request.META.pop("CSRF_COOKIE_NEEDS_UPDATE", False)
        private_before = getattr(request, "_page_cache_private", False)
        request._page_cache_private = False
        try:
            html = render()
            personal.append(
                request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or request._page_cache_private
            )
        finally:
            if token_before:
                request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
            request._page_cache_private = private_before or request._page_cache_private
        return html

    if not enabled(request):
        return render()
    return get_or_compute(request, key, compute, keep=lambda html: not personal[0])
