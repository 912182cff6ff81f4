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


def test_every_offer_in_the_list_is_written_as_its_detail(client, offers):
    """The list reads plain rows (psycopg's own time loader on PostgreSQL, the
    municipality's name, the provider from the snapshot); the detail reads the model
    instance. Both write each offer alike."""
    from datetime import date, datetime
    from decimal import Decimal
    from zoneinfo import ZoneInfo

    from tests.factories.core import MunicipalityFactory

    OfferFactory(
        title="Kommunales Angebot",
        region="kommune",
        municipality=MunicipalityFactory(name="Musterstadt"),
        published_at=datetime(2026, 3, 29, 1, 30, 5, 123456, tzinfo=ZoneInfo("Europe/Berlin")),
        start_date=date(2027, 1, 4),
        end_date=date(2027, 1, 5),
        cost="betrag",
        cost_amount=Decimal("120.50"),
        duration_hours=Decimal("7.5"),
    )
    listed = client.get(URL, {"limit": 100}).json()["daten"]
    assert len(listed) == 4
    for offer in listed:
        assert client.get(f"{URL}{offer['slug']}/").json() == offer
    local = next(o for o in listed if o["titel"] == "Kommunales Angebot")
    assert local["region"] == "Musterstadt"
    assert local["veroeffentlicht"] == "2026-03-29T00:30:05.123Z"  # CET until 02:00


def test_a_renamed_municipality_is_in_the_list_at_once(client, offers, tmp_path):
    """The list takes municipalities' names from the snapshot: renaming one (in the
    admin, or by a GV100AD import, which updates in bulk) renews it."""
    from io import StringIO

    from django.core.management import call_command

    from tests.core.test_gv100ad import sample_lines, write_file
    from tests.factories.core import MunicipalityFactory

    place = MunicipalityFactory(ags="09761000", name="Augsburg (alt)", state="09")
    OfferFactory(title="Stadtteilarbeit", region="kommune", municipality=place)

    def region():
        data = client.get(URL, {"q": "Stadtteilarbeit"}).json()
        return data["daten"][0]["region"]

    assert region() == "Augsburg (alt)"
    place.name = "Augsburg (umbenannt)"
    place.save()
    assert region() == "Augsburg (umbenannt)"
    call_command("import_gv100ad", str(write_file(tmp_path, sample_lines())), stdout=StringIO())
    assert region() == "Augsburg"
