"""Figures per year in the API (``/api/v1/kennzahlen/``): the registered figures as the
page Wirkung shows them, filtered by year and key."""

import pytest

from kommune360.core.registry import registry
from tests.factories.impact import FigureValueFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def values():
    registered = {figure.key: figure for figure in registry.figures()}
    figure = registered["events.participants"]
    rows = [
        FigureValueFactory(key=figure.key, year=2024, value=2),
        FigureValueFactory(key=figure.key, year=2025, value=6),
        FigureValueFactory(key="events.postcards", year=2025, value=1.5),
    ]
    FigureValueFactory(key="nicht-mehr-registriert", year=2025, value=99)
    return figure, rows


def test_every_registered_figure_per_year_with_value_and_unit(client, values):
    figure, rows = values
    data = client.get("/api/v1/kennzahlen/").json()

    assert data["anzahl"] == 3
    assert [(f["kennung"], f["jahr"], f["wert"]) for f in data["daten"]] == [
        ("events.participants", 2024, 2),
        ("events.participants", 2025, 6),
        ("events.postcards", 2025, 1.5),
    ]
    first = data["daten"][0]
    assert first["bezeichnung"] == "Teilnahmen an Veranstaltungen"
    assert first["einheit"] == str(figure.unit)
    assert first["stufe"] == 2
    assert first["methode"] == str(figure.method)
    assert first["url"].endswith("/wirkung/2024/")


def test_figures_by_year_and_key(client, values):
    by_year = client.get("/api/v1/kennzahlen/", {"jahr": 2025}).json()
    assert {f["kennung"] for f in by_year["daten"]} == {"events.participants", "events.postcards"}
    by_key = client.get("/api/v1/kennzahlen/", {"kennung": "events.postcards"}).json()
    assert [f["wert"] for f in by_key["daten"]] == [1.5]


def test_an_unknown_figure_is_a_german_400_and_an_unregistered_row_is_not_there(client, values):
    response = client.get("/api/v1/kennzahlen/", {"kennung": "nicht-mehr-registriert"})
    assert response.status_code == 400
    assert "nicht-mehr-registriert" in response.json()["errors"][0]["detail"]
    assert "gibt es nicht" in response.json()["errors"][0]["detail"]

    hidden = client.get("/api/v1/kennzahlen/?limit=100").content.decode()
    assert "nicht-mehr-registriert" not in hidden


def test_one_figure_value_and_its_labels_in_english(client, values):
    _, rows = values
    response = client.get(f"/api/v1/kennzahlen/{rows[1].pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert response["Last-Modified"]
    assert response.json()["jahr"] == 2025
    assert response.json()["bezeichnung"] == "event participations"


def test_figures_are_a_dataset_of_the_catalogue(client, values):
    page = client.get("/offene-daten/").content.decode()
    assert "/api/v1/kennzahlen/" in page
    assert "/api/v1/kennzahlen/" in client.get("/offene-daten/katalog.ttl").content.decode()
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/kennzahlen/" in schema["paths"]
    assert "head" in schema["paths"]["/api/v1/kennzahlen/"]


def test_a_year_out_of_range_is_explained_in_german_or_english(client, values):
    response = client.get("/api/v1/kennzahlen/", {"jahr": 1999})
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"parameter": "jahr", "detail": "Der Wert muss mindestens 2000 sein."}
    ]
    english = client.get("/api/v1/kennzahlen/", {"jahr": 1999}, HTTP_ACCEPT_LANGUAGE="en")
    assert english.json()["errors"][0]["detail"] == "The value must be at least 2000."
