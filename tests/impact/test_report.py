"""The report after the SRS as PDF and DOCX; indicators; the year on the home page, in
the newsletter and on the editors' dashboard; the demo content."""

import io

import pytest
from pypdf import PdfReader

from kommune360.impact import figures
from kommune360.impact.indicators import year_indicators
from kommune360.impact.models import Indicator, ManualFigure, Target, YearReport
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def year_2025(year_data):
    figures.refresh(2024)
    figures.refresh(2025)
    ManualFigure.objects.create(
        key="sticker", year=2025, label="verteilte Sticker", value=950, source="Lagerliste", stage=1
    )
    YearReport.objects.create(
        year=2025,
        situation="Ausgangslage im Beispieljahr.",
        outcomes="Teilnehmende wenden Gelerntes an.",
        highlights="sticker,events.participants",
    )
    indicator = Indicator.objects.create(
        name="Teilnahmen", stage=2, source="figure", figure_key="events.participants"
    )
    Target.objects.create(indicator=indicator, year=2025, value=12)
    return year_data


def test_indicators_show_target_and_actual(year_2025):
    rows = year_indicators(2025, figures.year_figures(2025))
    assert [(r.target, r.actual, r.reached) for r in rows] == [(12.0, 6, 50)]


def test_the_pdf_has_the_srs_sections_and_the_figures(client, year_2025):
    response = client.get("/wirkung/2025/bericht.pdf")
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(
        " ".join(page.extract_text().split())
        for page in PdfReader(io.BytesIO(response.content)).pages
    )
    for heading in (
        "1. Ausgangslage",
        "2. Lösungsansatz",
        "3. Eingesetzte Ressourcen",
        "4. Erbrachte Leistungen (Output)",
        "5. Erreichte Wirkungen (Outcome)",
        "6. Gesellschaftliche Wirkung (Impact)",
        "Methode und Datenquellen",
    ):
        assert heading in text, heading
    assert "Ausgangslage im Beispieljahr." in text
    assert "Teilnahmen an Veranstaltungen: 6" in text
    assert "verteilte Sticker: 950" in text
    assert "Lagerliste" in text and "CC BY 4.0" in text


def test_the_docx_has_the_same_sections(client, year_2025):
    from docx import Document

    response = client.get("/wirkung/2025/bericht.docx")
    assert response.status_code == 200
    document = Document(io.BytesIO(response.content))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "1. Ausgangslage" in headings and "6. Gesellschaftliche Wirkung (Impact)" in headings
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert "Teilnahmen an Veranstaltungen" in cells and "6" in cells


def test_home_newsletter_and_dashboard_take_the_values_from_here(client, year_2025):
    from kommune360.core.registry import registry
    from kommune360.impact import home

    context = home.home_context(None)
    assert context["impact_year"] == 2025
    assert [(v, label) for v, label, _u in context["impact_items"]] == [
        ("950", "verteilte Sticker"),
        ("6", "Teilnahmen an Veranstaltungen"),
    ]
    item = next(i for i in registry.newsletter_items() if i.model is YearReport)
    teaser = item.teaser(YearReport.objects.get(year=2025))
    assert teaser["title"] == "2025 in Zahlen" and "950 verteilte Sticker" in teaser["text"]
    assert teaser["url"].endswith("/wirkung/2025/")
    client.force_login(UserFactory(roles=["Redaktion"], is_superuser=True))
    html = client.get("/admin/").content.decode()
    assert "Wirkung: das Jahr in Zahlen" in html


def test_the_demo_has_both_years_targets_and_two_surveys():
    from django.core.management import call_command

    from kommune360.impact.models import Survey
    from kommune360.impact.results import question_results

    call_command("load_demo", verbosity=0)
    call_command("load_demo", verbosity=0)  # idempotent
    by_key = figures.by_key(figures.year_figures(2024))
    assert by_key["podcast-streams"].value == 4600 and by_key["sticker"].value == 1200
    assert by_key["festival-postkarten"].source.startswith("Jahresrückblick")
    assert figures.year_figures(2025)
    assert Target.objects.filter(year=2024).exists() and Target.objects.filter(year=2025).exists()
    surveys = list(Survey.objects.order_by("pk"))
    assert len(surveys) == 2
    shown = [any(r.shown for r in question_results(s.questions.all()).values()) for s in surveys]
    assert shown == [True, False]


def test_the_docx_has_the_pdf_charts_as_pictures(client, year_2025):
    from docx import Document

    from kommune360.impact.report import report_context

    charted = [f for s in report_context(2025)["sections"] for f in s["figures"]]
    assert charted  # the PDF draws one chart for each of these
    document = Document(io.BytesIO(client.get("/wirkung/2025/bericht.docx").content))
    shapes = document.inline_shapes
    assert len(shapes) == len(charted)
    for shape, figure in zip(shapes, charted, strict=True):
        described = shape._inline.docPr
        assert described.get("descr") == f"{figure.label} nach Jahren"
        embed = shape._inline.graphic.graphicData.pic.blipFill.blip.embed
        assert document.part.related_parts[embed].blob.startswith(b"\x89PNG")
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption"]
    assert captions == [f.label for f in charted]
