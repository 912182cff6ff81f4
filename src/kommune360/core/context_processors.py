from django.urls import NoReverseMatch, reverse, translate_url
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language

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


def _language_links(request):
    from django.conf import settings

    current = get_language()
    return [
        {
            "code": code,
            "name": name,
            "url": translate_url(request.get_full_path(), code),
            "current": code == current,
        }
        for code, name in settings.LANGUAGES
    ]


def _footer(request):
    return get_or_compute(request, "footer", lambda: _read_footer(request))


def _read_footer(request):
    site_settings = SiteSettings.for_request(request)
    pages = []
    for field in ("imprint_page", "privacy_page", "accessibility_page"):
        page = getattr(site_settings, field)
        if page is not None and page.live:
            pages.append({"title": page.title, "url": page.get_url(request)})
    return {
        "pages": pages,
        "supporters": list(Supporter.objects.all()),
        "contact_email": site_settings.contact_email,
    }


def layout(request):
    """What every page of the layout needs: navigation, language links, footer."""
    return {
        "navigation": SimpleLazyObject(lambda: _navigation(request)),
        "language_links": SimpleLazyObject(lambda: _language_links(request)),
        "footer": SimpleLazyObject(lambda: _footer(request)),
        "site_settings": SimpleLazyObject(lambda: SiteSettings.for_request(request)),
    }
