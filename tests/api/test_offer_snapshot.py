"""The offers list searches this process's facet snapshot and reads the snapshot's token
with the page's rows: a change committed since the last request is in the answer."""

import pytest

from kommune360.atlas import facet_index
from tests.factories.atlas import OfferFactory
from tests.factories.core import MethodFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/angebote/"


def test_an_offer_published_since_the_last_request_is_found(client, offers):
    assert client.get(URL, {"q": "Zirkuswerkstatt"}).json()["anzahl"] == 0
    OfferFactory(title="Zirkuswerkstatt für Kommunen")

    data = client.get(URL, {"q": "Zirkuswerkstatt"}).json()
    assert [o["titel"] for o in data["daten"]] == ["Zirkuswerkstatt für Kommunen"]


def test_a_facet_changed_since_the_last_request_is_counted(client, offers):
    published, _ = offers
    method = MethodFactory(name="Planspiel")
    assert client.get(URL, {"methode": method.slug}).json()["anzahl"] == 0
    published[2].methods.add(method)

    data = client.get(URL, {"methode": method.slug}).json()
    assert [o["titel"] for o in data["daten"]] == [published[2].title]
    assert data["daten"][0]["methoden"] == ["Planspiel"]
    counts = {v["wert"]: v["anzahl"] for v in data["facetten"]["methode"]}
    assert counts[method.slug] == 1


def test_a_stale_snapshot_is_renewed_and_searched_again(client, offers):
    fresh = client.get(URL).json()
    facet_index.unchecked().token = "stale"

    assert client.get(URL).json() == fresh
    assert facet_index.unchecked().token != "stale"


def test_a_page_on_a_current_snapshot_is_one_query(client, offers, django_assert_num_queries):
    client.get(URL, {"q": "Planung"})  # the snapshot and the synonyms are read
    with django_assert_num_queries(1):
        assert client.get(URL, {"q": "Verwaltung"}).json()["anzahl"] == 1
