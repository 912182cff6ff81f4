"""``/sitemap.xml``: every public page, at the site's own address (``SITE_URL``).

Wagtail's pages come with the time of their last publication; every app adds its own
public pages through the registry (``SitemapSection``): its list pages and the detail
pages of its public objects with the time of their last change. The addresses never
depend on the host a request came in with, nor on the host name of Wagtail's site.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import sitemap as sitemap_view
from django.shortcuts import render
from django.urls import reverse
from wagtail.models import Page, Site

from .registry import registry


class SiteSitemap(Sitemap):
    """A sitemap whose addresses start with ``SITE_URL``."""

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc


class WagtailPages(SiteSitemap):
    def items(self):
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            return Page.objects.none()
        return (
            Page.objects.live()
            .public()
            .descendant_of(site.root_page, inclusive=True)
            .order_by("path")
            .only("id", "url_path", "last_published_at", "path", "depth")
        )

    def location(self, page):
        return page.get_url()

    def lastmod(self, page):
        return page.last_published_at


class ListPages(SiteSitemap):
    def __init__(self, url_names):
        self.url_names = url_names

    def items(self):
        return list(self.url_names)

    def location(self, url_name):
        return reverse(url_name)


class PublicObjects(SiteSitemap):
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
