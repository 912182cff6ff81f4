"""The PDF and the DOCX state every fact a supervisor and HR need, for each source."""

import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from docx import Document
from pypdf import PdfReader

from .conftest import PERSON

SIGNATURE_BLOCK = [
    "Antrag auf Genehmigung einer Fortbildung",
    "Genehmigung",
    "genehmigt",
    "Datum, Unterschrift Vorgesetzte:r (Dr. Bernd Vorgesetzter)",
    "Personalabteilung (optional)",
    "Datum, Unterschrift Antragsteller:in",
]


def expected_facts(key, obj):
    if key == "lernpfad":
        cohort = obj.cohorts.get()
        return [
            "Lernpfad",
            "Lernpfad Wandel gestalten",
            "Beispiel-Akademie für Verwaltung",
            "Veränderung im Jugendamt planen und begleiten.",
            "Veränderungsprozesse im Amt anstoßen",
            "Teams durch den Wandel führen",
            f"Kohorte Herbst: {date_format(cohort.starts_on, 'j. F Y')} bis "
            f"{date_format(cohort.ends_on, 'j. F Y')}",
            "Auftakt online: ",
            "10:00–13:00 Uhr",
            "9,5 Stunden",
            "Präsenztag Werkstatt (Online-Sitzung)",
            "6,5 Stunden",
            "Tagungshaus Musterstadt",
            "350 €",
            "Material und Verpflegung an den Präsenztagen",
            "Teilnahmebescheinigung bei Teilnahme an mindestens 80 % der Modulstunden",
        ]
    if key == "veranstaltung":
        starts = timezone.localtime(obj.starts_at)
        return [
            "Netzwerktreffen",
            "Netzwerktreffen Jugendhilfeplanung",
            "Kommune 360°",  # the network runs its events
            "Austausch über Planungsverfahren in Beispiel-Jugendämtern.",
            f"{date_format(starts, 'l, j. F Y')}, 10:00–16:00 Uhr",
            "6 Stunden",
            "Beispiel-Akademie, Musterweg 1, 12345 Musterstadt",
            "kostenfrei",
            "Teilnahmebescheinigung für alle, die bei der Veranstaltung eingecheckt",
        ]
    return [
        "Angebot",
        "Werkstatt Beteiligung",
        "Beispiel-Institut Kinderrechte",
        "Ein erfundenes Angebot für Tests.",
        "Beteiligungsformate auswählen",
        "Ergebnisse in die Planung bringen",
        obj.start_date.strftime("%d.%m.%Y"),
        "12 Stunden",
        "online",
        "180 €",
        "Ja, eine Teilnahmebescheinigung.",
        "als Bildungsurlaub anerkannt",
    ]


def flat(text):
    """One line; words a line break split at a hyphen come together again."""
    return re.sub(r"(\w)- (\w)", r"\1-\2", " ".join(text.split()))


def post(client, key, obj, output, **extra):
    url = reverse("training_requests:form", args=[key, obj.pk])
    return client.post(url, {**PERSON, **extra, "format": output})


@pytest.mark.parametrize("key", ["lernpfad", "veranstaltung", "angebot"])
def test_pdf_states_every_fact(client, home_page, sources, key):
    obj = sources[key]
    response = post(client, key, obj, "pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="fortbildungsantrag-')
    text = flat("\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages))
    expected = [flat(s) for s in expected_facts(key, obj)]
    expected += [v for k, v in PERSON.items() if v and k != "supervisor_email"]
    expected += SIGNATURE_BLOCK + [
        obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else ""
    ]
    missing = [fact for fact in expected if fact not in text]
    assert not missing, f"missing in the PDF: {missing}\n---\n{text}"


@pytest.mark.parametrize("key", ["lernpfad", "veranstaltung", "angebot"])
def test_docx_states_every_fact(client, home_page, sources, key):
    obj = sources[key]
    response = post(client, key, obj, "docx")
    assert response.status_code == 200
    assert response["Content-Type"].endswith("wordprocessingml.document")
    document = Document(io.BytesIO(response.content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    text = flat("\n".join(parts))
    expected = [flat(s) for s in expected_facts(key, obj)]
    expected += [v for k, v in PERSON.items() if v and k != "supervisor_email"]
    expected += SIGNATURE_BLOCK
    missing = [fact for fact in expected if fact not in text]
    assert not missing, f"missing in the DOCX: {missing}\n---\n{text}"
    assert document.core_properties.author == PERSON["name"]


def test_free_learning_path_says_kostenfrei(client, home_page, learning_path):
    learning_path.cost = 0
    learning_path.cost_note = ""
    learning_path.save()
    response = post(client, "lernpfad", learning_path, "pdf")
    text = flat(PdfReader(io.BytesIO(response.content)).pages[0].extract_text())
    assert "Kosten kostenfrei" in text
    assert "350 €" not in text
