"""``/sitemap.xml``: every public page, at the site's own address (``SITE_URL``).

Wagtail's pages come with the time of their last publication; every app adds its own
public pages through the registry (``SitemapSection``): its list pages and the detail
pages of its public objects with the time of their last change. The addresses never
depend on the host a request came in with, nor on the host name of Wagtail's site.

Every page is listed in each language it exists in, with the others as ``hreflang``
alternates: the apps' pages under ``/`` and ``/en/``, Wagtail's German pages and their
English translations or aliases (decision 0080).
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import sitemap as sitemap_view
from django.db.models import Q
from django.shortcuts import render
from django.urls import reverse
from wagtail.models import Page, Site

from .languages import locale_code
from .registry import registry


class SiteSitemap(Sitemap):
    """A sitemap whose addresses start with ``SITE_URL``."""

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc


class WagtailPages(SiteSitemap):
    """The live public pages of every language's tree, each with its counterparts in
    the other languages as alternates (one query for all of them)."""

    def items(self):
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            return []
        roots = Q()
        for root in site.root_page.get_translations(inclusive=True).only("path"):
            roots |= Q(path__startswith=root.path)
        pages = list(
            Page.objects.live()
            .public()
            .filter(roots)
            .order_by("path")
            .only("translation_key", "locale_id", "url_path", "last_published_at", "path")
        )
        self.versions = {}
        root_paths = Site.get_site_root_paths()
        for page in pages:
            page._wagtail_cached_site_root_paths = root_paths  # read once, not per page
            self.versions.setdefault(page.translation_key, []).append(page)
        return pages

    def location(self, page):
        return page.get_url()

    def lastmod(self, page):
        return page.last_published_at

    def _urls(self, page, protocol, domain):
        urls = super()._urls(page, protocol, domain)
        for url in urls:
            versions = self.versions.get(url["item"].translation_key, [])
            if len(versions) > 1:
                url["alternates"] = [
                    {
                        "lang_code": locale_code(other.locale_id),
                        "location": f"{protocol}://{domain}{other.get_url()}",
                    }
                    for other in versions
                ]
        return urls


class ListPages(SiteSitemap):
    i18n = alternates = x_default = True  # under / and /en/, each naming the other

    def __init__(self, url_names):
        self.url_names = url_names

    def items(self):
        return list(self.url_names)

    def location(self, url_name):
        return reverse(url_name)


class PublicObjects(SiteSitemap):
    i18n = alternates = x_default = True

    def __init__(self, section):
        self.section = section

    def items(self):
        return self.section.items()

    def lastmod(self, obj):
        return getattr(obj, self.section.lastmod) if self.section.lastmod else None


def sitemaps() -> dict[str, Sitemap]:
    maps = {"seiten": WagtailPages()}
    for section in registry.sitemap_sections():
        if section.url_names:
            maps[f"{section.name}-listen"] = ListPages(section.url_names)
        if section.items is not None:
            maps[section.name] = PublicObjects(section)
    return maps


def sitemap(request):
    return sitemap_view(request, sitemaps=sitemaps())


def robots_txt(request):
    context = {"site_url": settings.SITE_URL}
    return render(request, "core/robots.txt", context, content_type="text/plain")
