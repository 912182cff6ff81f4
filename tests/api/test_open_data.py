"""Linked data on every detail page, the feeds and the DCAT-AP.de catalogue."""

import json
import re
from datetime import date, timedelta

import feedparser
import pytest
from django.utils import timezone
from rdflib import Graph
from rdflib.namespace import DCAT, DCTERMS, RDF

from tests.factories.atlas import OfferFactory
from tests.factories.editorial import (
    ArticlePageFactory,
    EpisodePageFactory,
    MagazineIndexPageFactory,
    PodcastIndexPageFactory,
    PublicationIndexPageFactory,
    PublicationPageFactory,
)
from tests.factories.events import EventFactory
from tests.factories.learning import CohortFactory, ModuleFactory

pytestmark = pytest.mark.django_db

ELEMENT = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)

# schema.org type → the properties a validator asks for (Google's rich results and
# schema.org's own "expected" ones), as paths into the object.
REQUIRED = {
    "Course": ["name", "description", "provider.name", "hasCourseInstance.0.courseMode"],
    "CourseInstance": ["courseMode"],
    "EducationEvent": ["name", "startDate", "organizer.name"],
    "Event": ["name", "startDate", "location", "organizer.name"],
    "PodcastEpisode": ["name", "url", "associatedMedia.contentUrl", "datePublished"],
    "Article": ["name", "datePublished", "author.0.name"],
    "CreativeWork": ["name", "url"],
}


def _value(data, path):
    for part in path.split("."):
        data = data[int(part)] if isinstance(data, list) else data[part]
    return data


def json_ld(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    found = ELEMENT.findall(response.content.decode())
    assert found, f"{url}: no JSON-LD"
    return [json.loads(text) for text in found]


@pytest.fixture
def detail_pages(home_page):
    """One detail page of every kind, with the type its JSON-LD must have."""
    from tests.factories.core import FormatFactory, PersonFactory

    offer = OfferFactory(
        format=FormatFactory(name="Beratung/Begleitung"),
        start_date=date.today() + timedelta(days=10),
        duration_hours=8,
    )
    festival = OfferFactory(
        format=FormatFactory(name="Konferenz/Festival"), start_date=date.today()
    )
    event = EventFactory()
    cohort = CohortFactory(facilitator_names="Erika Beispiel, Max Muster")
    ModuleFactory(path=cohort.path)
    podcast = PodcastIndexPageFactory(parent=home_page)
    episode = EpisodePageFactory(parent=podcast)
    magazine = MagazineIndexPageFactory(parent=home_page)
    article = ArticlePageFactory(parent=magazine)
    from kommune360.editorial.models.magazine import ArticleAuthor

    ArticleAuthor.objects.create(page=article, person=PersonFactory(name="Erika Beispiel"))
    article.save_revision().publish()
    publications = PublicationIndexPageFactory(parent=home_page)
    publication = PublicationPageFactory(parent=publications)
    return [
        (offer.get_absolute_url(), "Course"),
        (festival.get_absolute_url(), "EducationEvent"),
        (event.get_absolute_url(), "Event"),
        (cohort.path.get_absolute_url(), "Course"),
        (episode.url, "PodcastEpisode"),
        (article.url, "Article"),
        (publication.url, "CreativeWork"),
    ]


def test_every_detail_page_has_valid_json_ld(client, detail_pages):
    for url, kind in detail_pages:
        data = json_ld(client, url)[0]
        assert data["@context"] == "https://schema.org", url
        assert data["@type"] == kind, url
        for path in REQUIRED[kind]:
            assert _value(data, path) not in (None, "", []), (url, path)
        for instance in data.get("hasCourseInstance", []):
            assert instance["@type"] == "CourseInstance"
            assert instance["courseMode"] in ("online", "onsite", "blended")


def test_cohorts_are_course_instances(client, detail_pages):
    url = next(u for u, kind in detail_pages if u.startswith("/lernpfade/"))
    data = json_ld(client, url)[0]
    instance = data["hasCourseInstance"][0]
    assert instance["startDate"] and instance["endDate"]
    assert [p["name"] for p in instance["instructor"]] == ["Erika Beispiel", "Max Muster"]
    assert data["timeRequired"] == "PT2H"


def test_feeds_of_new_offers_and_upcoming_events(client):
    OfferFactory(title="Neu im Atlas")
    OfferFactory(title="Entwurf", status="entwurf", published_at=None)
    EventFactory(title="Bald")
    EventFactory(
        title="Vorbei",
        starts_at=timezone.now() - timedelta(days=3),
        ends_at=timezone.now() - timedelta(days=2),
    )
    for url, title in (
        ("/offene-daten/angebote.rss", "Neu im Atlas"),
        ("/offene-daten/angebote.atom", "Neu im Atlas"),
        ("/offene-daten/veranstaltungen.rss", "Bald"),
        ("/offene-daten/veranstaltungen.atom", "Bald"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        feed = feedparser.parse(response.content)
        assert not feed.bozo, url
        assert [e.title for e in feed.entries] == [title], url


def test_dataset_page_and_dcat_catalogue(client):
    page = client.get("/offene-daten/").content.decode()
    assert "CC BY 4.0" in page and "/offene-daten/katalog.ttl" in page
    assert "/api/v1/angebote/" in page and "/api/v1/veranstaltungen/" in page
    data = json_ld(client, "/offene-daten/")[0]
    assert data["@type"] == "DataCatalog"
    assert data["publisher"]["@type"] == "Organization" and data["publisher"]["name"]
    for dataset in data["dataset"]:
        assert dataset["@type"] == "Dataset"
        assert dataset["name"] and dataset["description"] and dataset["license"]
        assert all(d["contentUrl"] and d["encodingFormat"] for d in dataset["distribution"])

    for url, fmt in (("/offene-daten/katalog.ttl", "turtle"), ("/offene-daten/katalog.rdf", "xml")):
        response = client.get(url)
        assert response.status_code == 200
        graph = Graph().parse(data=response.content, format=fmt)
        catalogues = list(graph.subjects(RDF.type, DCAT.Catalog))
        assert len(catalogues) == 1
        datasets = set(graph.objects(catalogues[0], DCAT.dataset))
        titles = {str(graph.value(d, DCTERMS.title)) for d in datasets}
        assert {"Angebote", "Veranstaltungen", "Lernpfade", "Kennzahlen"} <= titles
        for dataset in datasets:
            assert str(graph.value(dataset, DCTERMS.license)).endswith("/cc-by/4.0")
            assert graph.value(dataset, DCTERMS.accrualPeriodicity) is not None
            distributions = list(graph.objects(dataset, DCAT.distribution))
            assert distributions
            for distribution in distributions:
                assert graph.value(distribution, DCAT.accessURL) is not None
                assert graph.value(distribution, DCTERMS.format) is not None


def test_linked_data_says_the_language_of_its_text_on_german_and_english_pages(
    client, detail_pages
):
    """What people typed is German, on ``/en/`` too: search engines must not take it for
    English because the page around it is."""
    for url, _kind in detail_pages:
        for address in (url, "/en" + url):
            response = client.get(address)
            if response.status_code == 404 and address != url:
                continue  # a Wagtail page without an English version
            data = json_ld(client, address)[0]
            assert data["inLanguage"] == "de", address
    catalogue = json_ld(client, "/en/offene-daten/")[0]
    assert catalogue["inLanguage"] == "en"
