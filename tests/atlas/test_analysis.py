import io

import pytest
from pypdf import PdfReader

from kommune360.atlas.models import AnalysisText
from tests.factories.atlas import OfferFactory
from tests.factories.core import MethodFactory, TargetGroupFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def landscape(home_page):
    agile = MethodFactory(name="Agilität", is_innovative=True)
    lead = MethodFactory(name="Führung")
    municipal = TargetGroupFactory(name="Jugendamtsleitung", is_municipal=True)
    carriers = TargetGroupFactory(name="Freie Träger", is_municipal=False)
    OfferFactory(title="Agil für Träger", methods=[agile], target_groups=[carriers])
    OfferFactory(title="Agil nochmal", methods=[agile], target_groups=[carriers])
    OfferFactory(title="Führen im Amt", methods=[lead], target_groups=[municipal])
    AnalysisText.objects.create(
        title="Landschaftsanalyse 2025",
        introduction="<p>Wer bietet was an?</p>",
        body="<p>Innovative Methoden erreichen Kommunen selten.</p>",
    )
    return agile, lead, municipal


def test_matrix_counts_gaps_and_links(client, landscape):
    response = client.get("/angebote/analyse/")
    assert response.status_code == 200
    html = response.content.decode()
    analysis = response.context["analysis"]
    agile_row = {g.name: n for g, n, _q in analysis.matrix[0][1]}
    assert agile_row == {"Jugendamtsleitung": 0, "Freie Träger": 2}
    assert [(m.name, g.name) for m, g in analysis.gaps] == [("Agilität", "Jugendamtsleitung")]
    assert "atlas-gap" in html
    assert 'href="/angebote/?methode=agilitaet&amp;zielgruppe=freie-traeger"' in html
    assert analysis.innovative_municipal_share == 0
    assert analysis.other_municipal_share == 100
    assert "Innovative Methoden erreichen Kommunen selten." in html
    assert '<img src="/angebote/analyse/abbildung/matrix.svg"' in html


def test_analysis_query_count_is_constant(client, landscape, django_assert_num_queries):
    client.get("/angebote/analyse/")
    with django_assert_num_queries(NUM_QUERIES):
        client.get("/angebote/analyse/")
    agile, lead, municipal = landscape
    for _n in range(20):
        OfferFactory(methods=[agile, lead], target_groups=[municipal])
    with django_assert_num_queries(NUM_QUERIES):
        client.get("/angebote/analyse/")


# 12 of the analysis and the layout, 16 of the contributions (Mitdenken) under it.
NUM_QUERIES = 28


def test_figures_are_svg_with_text(client, landscape):
    response = client.get("/angebote/analyse/abbildung/matrix.svg")
    assert response["Content-Type"] == "image/svg+xml"
    svg = response.content.decode()
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg
    assert "Jugendamtsleitung" in svg
    assert client.get("/angebote/analyse/abbildung/gibts-nicht.svg").status_code == 404
    for name in ("reichweite", "format", "kosten", "region", "anbieterart", "quartale"):
        assert client.get(f"/angebote/analyse/abbildung/{name}.svg").status_code == 200


def test_impulspapier_pdf(client, landscape):
    response = client.get("/angebote/analyse/impulspapier.pdf")
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert len(reader.pages) >= 3
    assert "Landschaftsanalyse 2025" in text
    assert "Datenbasis: 3 veröffentlichte Angebote" in text
    assert "Innovative Methoden erreichen Kommunen selten." in text
    assert "Jugendamtsleitung" in text


GROUPS = [
    "Jugendamtsleitungen",
    "Jugendhilfeplaner:innen",
    "Sozialplaner:innen",
    "Verwaltungsleitungen",
    "Personalentwicklung",
    "Organisationsentwicklung",
    "Fachkräfte im Allgemeinen Sozialen Dienst",
    "Freie Träger der Jugendhilfe",
    "Politik und Ausschüsse",
    "Bürgermeister:innen",
    "Digitalisierungsbeauftragte",
    "Gleichstellungsbeauftragte",
]


@pytest.fixture
def wide_landscape(home_page):
    methods = [MethodFactory(name=f"Methode {letter}") for letter in "ABCDEFGHIJ"]
    groups = [
        TargetGroupFactory(name=name, is_municipal=n % 2 == 0) for n, name in enumerate(GROUPS)
    ]
    for n, method in enumerate(methods):
        OfferFactory(methods=[method], target_groups=groups[n : n + 3])
    return methods, groups


def test_the_impulspapier_keeps_the_wide_matrix_inside_the_margins(client, wide_landscape):
    reader = PdfReader(io.BytesIO(client.get("/angebote/analyse/impulspapier.pdf").content))
    width = float(reader.pages[0].mediabox.width)
    positions, texts = [], []
    for page in reader.pages:
        texts.append(page.extract_text())
        page.extract_text(
            visitor_text=lambda text, cm, tm, *_: (
                text.strip() and positions.append((tm[4] * cm[0] + cm[4], text))
            )
        )

    assert max(positions)[0] < width - 40, max(positions)  # 2 cm margin: nothing runs off
    text = "\n".join(texts)
    for name in GROUPS:  # every column is there, in one of the parts
        assert name.split()[0] in text
    assert "Teil 1 von 3" in text and "Teil 3 von 3" in text
    # No page between the title page and the last is left nearly empty.
    assert all(len(t) > 300 for t in texts[1:-1]), [len(t) for t in texts]


def test_the_page_splits_nothing_and_names_each_group_once(client, wide_landscape):
    html = client.get("/angebote/analyse/").content.decode()

    assert html.count('class="kern-table atlas-matrix"') == 1
    assert "Teil 1 von" not in html
    assert html.count("atlas-matrix__group") == len(GROUPS)
