"""Logo and tab icon: kommune360's own mark, or the operator's from the site settings."""

import pytest

from kommune360.core.models import SiteSettings
from tests.factories.editorial import ImageFactory

pytestmark = pytest.mark.django_db


def test_every_page_has_a_logo_and_icon_and_favicon_ico_answers(client, home_page):
    html = client.get("/angebote/").content.decode()

    assert 'rel="icon"' in html and "core/img/favicon.svg" in html
    assert 'class="site-brand__logo"' in html and "core/img/logo.svg" in html
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"].endswith("core/img/favicon.png")


def test_the_operator_replaces_logo_and_icon_in_the_site_settings(client, home_page):
    settings = SiteSettings.for_site(home_page.get_site())
    settings.logo = ImageFactory(title="Logo des Netzwerks")
    settings.icon = ImageFactory(title="Symbol")
    settings.save()

    html = client.get("/angebote/").content.decode()
    favicon = client.get("/favicon.ico")

    assert "core/img/logo.svg" not in html and "core/img/favicon.svg" not in html
    assert favicon.status_code == 302
    assert favicon["Location"].endswith(".png") and "fill-32x32" in favicon["Location"]
    assert favicon["Location"] in html  # the same rendition in every page's head
