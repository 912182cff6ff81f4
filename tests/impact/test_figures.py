"""The year in numbers: every figure equals a count by hand, the page reads a fixed
number of rows, downloads carry the licence, manual figures are audited."""

import json
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kommune360.core.models import AuditEntry
from kommune360.impact import figures
from kommune360.impact.models import FigureValue, ManualFigure
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db


def values(year):
    return {f.key: f.value for f in figures.year_figures(year)}


def test_every_figure_equals_a_count_by_hand(year_data):
    figures.refresh(2024)
    figures.refresh(2025)
    v2025, v2024 = values(2025), values(2024)
    assert v2025["podcast_downloads"] == 7 + 3  # 2024-12-31 belongs to 2024
    assert v2024["podcast_downloads"] == 4
    assert v2025["publication_downloads"] == 2
    assert v2025["events.participants"] == 6  # confirmed only, not the waitlist
    assert v2024["events.participants"] == 2
    assert v2025["events.postcards"] == 1
    assert v2025["learning.participants"] == 4  # accepted only
    assert v2024["learning.participants"] == 0


def test_change_against_the_previous_year_and_the_manual_figures(year_data):
    figures.refresh(2024)
    figures.refresh(2025)
    ManualFigure.objects.create(
        key="sticker", year=2024, label="Sticker", value=Decimal(1200), source="Lager", stage=1
    )
    ManualFigure.objects.create(
        key="sticker", year=2025, label="Sticker", value=Decimal(900), source="Lager", stage=1
    )
    by_key = figures.by_key(figures.year_figures(2025))
    assert by_key["podcast_downloads"].previous == 4
    assert by_key["podcast_downloads"].change == 150
    assert by_key["sticker"].change == -25 and by_key["sticker"].manual
    assert by_key["sticker"].source == "Lager"
    assert by_key["podcast_downloads"].stage == 1 and "IAB" in by_key["podcast_downloads"].method


def test_refresh_writes_only_what_changed(year_data):
    assert figures.refresh(2025) == len(FigureValue.objects.filter(year=2025))
    assert figures.refresh(2025) == 0


def test_the_page_shows_value_change_stage_source_chart_and_table(client, year_data):
    figures.refresh(2024)
    figures.refresh(2025)
    html = client.get("/wirkung/2025/").content.decode()
    assert "Teilnahmen an Veranstaltungen" in html
    assert "+200 % gegenüber dem Vorjahr" in html  # 2 → 6
    assert "Stufe 2" in html and "Plattform, automatisch gezählt" in html
    assert "<svg" in html and 'role="img"' in html
    assert "Alle Zahlen als Tabelle" in html
    assert "CC BY 4.0" in html
    assert client.get("/wirkung/").status_code == 200
    assert client.get("/wirkung/1999/").status_code == 404


def test_the_page_costs_the_same_queries_however_much_data(client, year_data, settings):
    from tests.factories.events import RegistrationFactory

    figures.refresh(2025)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/wirkung/2025/").status_code == 200
        return len(queries)

    count()  # the first request of a site creates its settings
    before = count()
    for n in range(20):
        RegistrationFactory(event=year_data["event"], email=f"mehr{n}@beispiel.example")
        ManualFigure.objects.create(
            key=f"zahl-{n}", year=2025, label=f"Zahl {n}", value=n, source="Test"
        )
    figures.refresh(2025)
    assert values(2025)["events.participants"] == 26
    assert count() == before
    assert before <= 14


def test_downloads_hold_every_figure_with_the_licence(client, year_data):
    figures.refresh(2025)
    ManualFigure.objects.create(
        key="sticker", year=2025, label="Sticker", value=900, source="Lager"
    )
    data = json.loads(client.get("/wirkung/2025/zahlen.json").content)
    assert data["license"] == "CC BY 4.0"
    by_key = {f["key"]: f for f in data["figures"]}
    assert by_key["events.participants"]["value"] == 6
    assert by_key["sticker"]["manual"] and by_key["sticker"]["source"] == "Lager"
    response = client.get("/wirkung/2025/zahlen.csv")
    text = response.content.decode("utf-8-sig")
    assert "attachment" in response["Content-Disposition"]
    assert "events.participants;Teilnahmen an Veranstaltungen;2025;6" in text
    assert "CC BY 4.0" in text
    assert client.get("/wirkung/1999/zahlen.csv").status_code == 404


def test_editors_enter_manual_figures_and_every_change_is_audited(client):
    editor = UserFactory(roles=["Redaktion"])
    client.force_login(editor)
    data = {
        "year": 2025,
        "key": "sticker",
        "label": "verteilte Sticker",
        "value": "950",
        "unit": "Sticker",
        "stage": 1,
        "source": "Lagerliste",
        "note": "",
    }
    response = client.post("/admin/snippets/impact/manualfigure/add/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    figure = ManualFigure.objects.get()
    data["value"] = "1000"
    client.post(f"/admin/snippets/impact/manualfigure/edit/{figure.pk}/", data)
    actions = list(AuditEntry.objects.order_by("pk").values_list("action", "data"))
    assert [a for a, _d in actions] == [
        "impact.manualfigure_created",
        "impact.manualfigure_changed",
    ]
    assert Decimal(actions[1][1]["value"]) == 1000 and actions[1][1]["source"] == "Lagerliste"
    client.post(f"/admin/snippets/impact/manualfigure/delete/{figure.pk}/")
    assert AuditEntry.objects.filter(action="impact.manualfigure_deleted").exists()


@pytest.mark.parametrize(
    "roles, status",
    [([], 302), (["Mitglied"], 302), (["Redaktion"], 200), (["Administration"], 200)],
)
def test_impact_screens_per_role(client, roles, status):
    if roles is not None:
        client.force_login(UserFactory(roles=roles) if roles else UserFactory())
    for url in (
        "/admin/snippets/impact/manualfigure/",
        "/admin/snippets/impact/indicator/add/",
        "/admin/snippets/impact/survey/add/",
        "/admin/snippets/impact/yearreport/",
    ):
        assert client.get(url).status_code == status, url


def test_chart_coordinates_keep_their_decimal_point_in_german(client, year_data):
    figures.refresh(2024)
    figures.refresh(2025)
    html = client.get("/wirkung/2025/").content.decode()
    svg = html[html.index("<svg") : html.rindex("</svg>")]
    coordinates = re.findall(r' (?:x|y|x1|x2|y1|y2|width|height)="([^"]*)"', svg)
    assert coordinates and all(re.fullmatch(r"[0-9.]+", value) for value in coordinates)
    assert 'width="54"' in svg  # 320 / 5 bars - 10, not "54.0"
