"""The document title names the page and the network, the network once."""

import re

import pytest

from kommune360.core.models import SiteSettings
from tests.factories.editorial import ArticlePageFactory, MagazineIndexPageFactory

pytestmark = pytest.mark.django_db


def title(response):
    return re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1)


def test_the_home_page_names_the_network_once(client, home_page):
    name = SiteSettings.for_site(home_page.get_site()).network_name
    home_page.title = name
    home_page.save_revision().publish()

    assert title(client.get("/")) == name


def test_other_pages_name_themselves_first_escaped_once(client, home_page):
    magazine = MagazineIndexPageFactory(parent=home_page)
    ArticlePageFactory(parent=magazine, slug="planung", title="Planung & Beteiligung <jetzt>")
    name = SiteSettings.for_site(home_page.get_site()).network_name

    page = title(client.get("/magazin/planung/"))

    assert page == f"Planung &amp; Beteiligung &lt;jetzt&gt; – {name}"
    assert title(client.get("/angebote/")).endswith(f" – {name}")
