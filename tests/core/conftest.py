import pytest
from django.core.cache import caches

from kommune360.core.models import SiteSettings


@pytest.fixture
def page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 600
    settings.SHARED_PARTS_SECONDS = 600
    for each in caches.all():
        each.clear()
    yield
    for each in caches.all():
        each.clear()


@pytest.fixture
def home(home_page):
    # The site settings exist on a running site; creating them (on the first request)
    # would itself invalidate the cache.
    SiteSettings.for_site(home_page.get_site())
    return home_page


def page_cache(response):
    return response.headers.get("X-Page-Cache")
