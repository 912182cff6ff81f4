"""/sitemap.xml lists every public page at the site's address, and nothing else."""

import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from django.utils import timezone

from kommune360.atlas.models import Offer
from kommune360.awards.models import Solution
from kommune360.core.registry import registry
from kommune360.events.models import Event
from kommune360.impact.models import YearReport
from kommune360.learning.models import LearningPath
from kommune360.newsletter.models import Campaign
from kommune360.participation.models import Call
from tests.factories.atlas import OfferFactory
from tests.factories.awards import SolutionFactory
from tests.factories.events import EventFactory
from tests.factories.impact import ManualFigureFactory, YearReportFactory
from tests.factories.learning import LearningPathFactory
from tests.factories.newsletter import CampaignFactory
from tests.factories.participation import CallFactory

pytestmark = pytest.mark.django_db

SITE_URL = "https://netzwerk.kommune360.example"
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def sent_campaign(**kwargs):
    return CampaignFactory(
        state=Campaign.State.SENT, show_in_archive=True, sent_at=timezone.now(), **kwargs
    )


# One public and one hidden object for every model an app lists in the sitemap; a new
# app that registers a SitemapSection adds its model here (the test below insists).
MAKERS = {
    Offer: (OfferFactory, lambda: OfferFactory(status=Offer.Status.DRAFT)),
    Event: (EventFactory, lambda: EventFactory(is_published=False)),
    LearningPath: (LearningPathFactory, lambda: LearningPathFactory(is_published=False)),
    Call: (lambda: CallFactory(is_active=True), lambda: CallFactory(is_active=False)),
    Campaign: (sent_campaign, lambda: CampaignFactory(state=Campaign.State.DRAFT)),
    Solution: (SolutionFactory, lambda: SolutionFactory(is_published=False)),
    # A year's report is public once the year has figures.
    YearReport: (
        lambda: ManualFigureFactory(year=2025) and YearReportFactory(year=2025),
        lambda: YearReportFactory(year=2031),
    ),
}


@pytest.fixture
def sitemap(client, settings, home_page):
    settings.SITE_URL = SITE_URL

    def fetch():
        response = client.get("/sitemap.xml")
        assert response.status_code == 200
        root = ET.fromstring(response.content)
        return {
            url.findtext("s:loc", namespaces=NS): url.findtext("s:lastmod", namespaces=NS)
            for url in root.findall("s:url", NS)
        }

    return fetch


def test_every_section_lists_its_public_objects_and_no_hidden_one(sitemap):
    made = []
    for section in registry.sitemap_sections():
        if section.items is None:
            continue
        model = section.items().model
        assert model in MAKERS, f"{section.name}: no public and hidden {model.__name__} here"
        public, hidden = MAKERS[model]
        # Two public ones: a section may leave out one that is already a list page.
        made.append((section, [public(), public()], hidden()))

    urls = sitemap()

    for section, public, hidden in made:
        listed = [obj for obj in public if SITE_URL + obj.get_absolute_url() in urls]
        assert listed, section.name
        assert SITE_URL + hidden.get_absolute_url() not in urls, section.name
        if section.lastmod:
            assert all(urls[SITE_URL + obj.get_absolute_url()] for obj in listed), section.name
    for section in registry.sitemap_sections():
        for url_name in section.url_names:
            assert SITE_URL + reverse(url_name) in urls


def test_every_searchable_public_object_is_in_the_sitemap(sitemap):
    for _model, (public, _hidden) in MAKERS.items():
        public()
    urls = sitemap()

    for searchable in registry.searchables():
        objects = list(searchable.queryset())
        assert objects, searchable.label
        for obj in objects:
            if hasattr(obj, "get_absolute_url"):
                assert SITE_URL + obj.get_absolute_url() in urls, obj


def test_wagtail_pages_use_the_site_address_with_their_publication_time(sitemap, home_page):
    from tests.factories.editorial import ArticlePageFactory, MagazineIndexPageFactory

    magazine = MagazineIndexPageFactory(parent=home_page)
    ArticlePageFactory(parent=magazine, slug="im-sitemap")

    urls = sitemap()

    article = SITE_URL + "/magazin/im-sitemap/"
    assert article in urls
    assert urls[article]  # lastmod
    assert all(url.startswith(SITE_URL + "/") for url in urls)


def test_every_listed_address_answers(sitemap, client):
    for _model, (public, _hidden) in MAKERS.items():
        public()

    urls = sitemap()

    assert len(urls) > 10
    for url in urls:
        assert client.get(url.removeprefix(SITE_URL)).status_code == 200, url


def test_robots_txt_names_the_sitemap_at_the_site_address(client, settings):
    settings.SITE_URL = SITE_URL

    response = client.get("/robots.txt", HTTP_HOST="localhost")

    assert f"Sitemap: {SITE_URL}/sitemap.xml" in response.content.decode()
