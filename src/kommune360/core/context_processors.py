from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.functional import SimpleLazyObject

from .languages import counterpart
from .models import SiteSettings, Supporter
from .registry import registry
from .shared_parts import get_or_compute


def _navigation(request):
    entries = []
    for entry in registry.navigation():
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:
            continue
        current = request.path == url or (url != "/" and request.path.startswith(url))
        entries.append({"label": entry.label, "url": url, "current": current})
    return entries


def _footer(request):
    return get_or_compute(request, "footer", lambda: _read_footer(request))


def _read_footer(request):
    site_settings = SiteSettings.for_request(request)
    pages = []
    for field in ("imprint_page", "privacy_page", "accessibility_page"):
        page = getattr(site_settings, field)
        if page is not None and page.live:
            # On English pages the English version (or the alias showing the German one).
            page = counterpart(page) or page
            pages.append({"title": page.title, "url": page.get_url(request), "page": page})
    links = []
    for entry in registry.footer_links():
        try:
            links.append({"label": entry.label, "url": reverse(entry.url_name)})
        except NoReverseMatch:
            continue
    return {
        "pages": pages,
        "links": links,
        "supporters": list(Supporter.objects.all()),
        "contact_email": site_settings.contact_email,
        "source_code_url": settings.SOURCE_CODE_URL,
    }


def layout(request):
    """What every page of the layout needs: navigation, footer, settings (the language
    links come from ``{% language_links %}``, which knows the page)."""
    return {
        "navigation": SimpleLazyObject(lambda: _navigation(request)),
        "footer": SimpleLazyObject(lambda: _footer(request)),
        "site_settings": SimpleLazyObject(lambda: SiteSettings.for_request(request)),
    }
