"""The open-data catalogue in DCAT-AP.de: one ``dcat:Dataset`` per API resource.

Each resource of the registry is a dataset with its API distribution (JSON), the offers
also with the atlas's CSV and XLSX exports and the feeds. Licence CC BY 4.0 (the
DCAT-AP.de licence vocabulary), updated continuously. rdflib writes it as Turtle
(``/offene-daten/katalog.ttl``) and RDF/XML (``katalog.rdf``), so every value is
escaped correctly.
"""

from django.conf import settings
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, XSD

from kommune360.core.languages import active_language
from kommune360.core.registry import registry

DCATDE = Namespace("http://dcat-ap.de/def/dcatde/")
LICENCE = URIRef("http://dcat-ap.de/def/licenses/cc-by/4.0")
LICENCE_NAME = "CC BY 4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
CONTINUOUS = URIRef("http://publications.europa.eu/resource/authority/frequency/CONT")
FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
GERMAN = URIRef("http://publications.europa.eu/resource/authority/language/DEU")

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Resource → further distributions: (path, file type, media type).
EXTRA_DISTRIBUTIONS = {
    "angebote": [
        ("/angebote/export.csv", "CSV", "text/csv"),
        (
            "/angebote/export.xlsx",
            "XLSX",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        ("/offene-daten/angebote.atom", "ATOM", "application/atom+xml"),
        ("/offene-daten/angebote.rss", "RSS", "application/rss+xml"),
    ],
    "veranstaltungen": [
        ("/veranstaltungen/kalender.ics", "ICS", "text/calendar"),
        ("/offene-daten/veranstaltungen.atom", "ATOM", "application/atom+xml"),
        ("/offene-daten/veranstaltungen.rss", "RSS", "application/rss+xml"),
    ],
}


def datasets():
    """(resource, distributions) for the dataset page and the catalogue."""
    site = settings.SITE_URL
    found = []
    for resource in registry.api_resources():
        distributions = [(f"/api/v1/{resource.name}/", "JSON", "application/json")]
        distributions += EXTRA_DISTRIBUTIONS.get(resource.name, [])
        found.append(
            (resource, [(site + path, kind, media) for path, kind, media in distributions])
        )
    return found


def graph(network_name: str) -> Graph:
    site = settings.SITE_URL
    g = Graph()
    g.bind("dcat", DCAT)
    g.bind("dct", DCTERMS)
    g.bind("foaf", FOAF)
    g.bind("dcatde", DCATDE)
    catalogue = URIRef(f"{site}/offene-daten/#katalog")
    publisher = URIRef(f"{site}/#netzwerk")
    g.add((publisher, RDF.type, FOAF.Agent))
    g.add((publisher, FOAF.name, Literal(network_name)))
    g.add((catalogue, RDF.type, DCAT.Catalog))
    g.add((catalogue, DCTERMS.title, Literal(f"{network_name} – offene Daten", lang="de")))
    g.add(
        (
            catalogue,
            DCTERMS.description,
            Literal(
                "Angebote, Veranstaltungen, Lernpfade und Veröffentlichungen des Netzwerks.",
                lang="de",
            ),
        )
    )
    g.add((catalogue, DCTERMS.publisher, publisher))
    g.add((catalogue, DCTERMS.license, LICENCE))
    g.add((catalogue, DCTERMS.language, GERMAN))
    g.add((catalogue, FOAF.homepage, URIRef(f"{site}/offene-daten/")))
    for resource, distributions in datasets():
        dataset = URIRef(f"{site}/offene-daten/#{resource.name}")
        g.add((catalogue, DCAT.dataset, dataset))
        g.add((dataset, RDF.type, DCAT.Dataset))
        g.add((dataset, DCTERMS.identifier, Literal(f"{site}/api/v1/{resource.name}/")))
        g.add((dataset, DCTERMS.title, Literal(str(resource.label), lang="de")))
        description = str(resource.description) or str(resource.label)
        g.add((dataset, DCTERMS.description, Literal(description, lang="de")))
        g.add((dataset, DCTERMS.publisher, publisher))
        g.add((dataset, DCTERMS.license, LICENCE))
        g.add((dataset, DCTERMS.accrualPeriodicity, CONTINUOUS))
        g.add((dataset, DCTERMS.language, GERMAN))
        g.add((dataset, DCAT.landingPage, URIRef(f"{site}/offene-daten/")))
        for url, kind, media in distributions:
            distribution = BNode()
            g.add((dataset, DCAT.distribution, distribution))
            g.add((distribution, RDF.type, DCAT.Distribution))
            g.add((distribution, DCTERMS.title, Literal(f"{resource.label} ({kind})", lang="de")))
            g.add((distribution, DCAT.accessURL, URIRef(url)))
            g.add((distribution, DCAT.downloadURL, URIRef(url)))
            g.add((distribution, DCTERMS.format, URIRef(FILE_TYPE + kind)))
            g.add((distribution, DCAT.mediaType, Literal(media)))
            g.add((distribution, DCTERMS.license, LICENCE))
            g.add(
                (
                    distribution,
                    DCATDE.licenseAttributionByText,
                    Literal(f"{network_name}, CC BY 4.0", datatype=XSD.string),
                )
            )
    return g


def json_ld(network_name: str) -> dict:
    """The datasets as schema.org (DataCatalog of Dataset with DataDownload), as
    dataset search engines read them; the network as the publishing Organization."""
    site = settings.SITE_URL
    publisher = {"@type": "Organization", "name": network_name, "url": site + "/"}
    return {
        "@context": "https://schema.org",
        "@type": "DataCatalog",
        "inLanguage": active_language(),  # the datasets' names and descriptions
        "name": f"{network_name} – offene Daten",
        "url": f"{site}/offene-daten/",
        "publisher": publisher,
        "license": LICENCE_URL,
        "dataset": [
            {
                "@type": "Dataset",
                "name": str(resource.label),
                "description": str(resource.description) or str(resource.label),
                "url": f"{site}/offene-daten/#{resource.name}",
                "license": LICENCE_URL,
                "creator": publisher,
                "isAccessibleForFree": True,
                "distribution": [
                    {"@type": "DataDownload", "encodingFormat": media, "contentUrl": url}
                    for url, _kind, media in distributions
                ],
            }
            for resource, distributions in datasets()
        ],
    }
