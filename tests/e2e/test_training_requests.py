"""Browser journey of the Fortbildungsantrag: from a Lernpfad page to the form, German
error messages, PDF and DOCX downloads; a member keeps the details for the next request
and has the request mailed to the supervisor. axe checks every page on the way."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from playwright.sync_api import expect

from tests.e2e.browser import wait_for_mail

pytestmark = pytest.mark.e2e

PERSON = {
    "Ihr Name": "Erika Beispielfrau",
    "Ihre Funktion oder Stelle": "Jugendhilfeplanerin",
    "Ihre Dienststelle oder Arbeitgeber:in": "Jugendamt Landkreis Musterland",
    "Name Ihrer oder Ihres Vorgesetzten": "Dr. Bernd Vorgesetzter",
    "Warum ist die Fortbildung für Ihre Arbeit wichtig?": "Ich plane die Neuaufstellung "
    "unserer Jugendhilfeplanung.",
}


def fill(page, values):
    for label, value in values.items():
        page.get_by_label(label, exact=True).fill(value)


def test_training_request_from_a_learning_path(page, axe_check, e2e_db):
    from pypdf import PdfReader

    from tests.factories.learning import CohortFactory, LearningPathFactory, ModuleFactory

    path = LearningPathFactory(title="Lernpfad Wandel im Browser", provider="Beispiel-Akademie")
    ModuleFactory(path=path, title="Auftakt")
    CohortFactory(path=path, title="Herbst", place="Tagungshaus Musterstadt")

    page.goto(reverse("learning:detail", args=[path.slug]))
    page.get_by_role("link", name="Fortbildungsantrag erstellen").click()
    page.wait_for_url(re.compile(r"/fortbildungsantrag/lernpfad/\d+/$"))
    expect(page.get_by_role("heading", name="Fortbildungsantrag erstellen")).to_be_visible()
    expect(page.get_by_text("Tagungshaus Musterstadt").first).to_be_visible()
    axe_check(page)

    # Nothing entered: German messages next to the fields, and the page stays accessible.
    page.get_by_label("Ihr Name", exact=True).fill("Erika Beispielfrau")
    page.get_by_role("button", name="Antrag als PDF herunterladen").click()
    expect(page.get_by_text("Bitte füllen Sie dieses Feld aus.").first).to_be_visible()
    assert page.get_by_label("Ihr Name", exact=True).input_value() == "Erika Beispielfrau"
    axe_check(page)

    fill(page, PERSON)
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Antrag als PDF herunterladen").click()
    download = download_info.value
    assert download.suggested_filename.startswith("fortbildungsantrag-lernpfad-wandel")
    pdf = PdfReader(download.path())
    text = " ".join(" ".join(p.extract_text() for p in pdf.pages).split())
    for fact in (
        "Lernpfad Wandel im Browser",
        "Beispiel-Akademie",
        "Erika Beispielfrau",
        "Tagungshaus Musterstadt",
        "Unterschrift Vorgesetzte:r",
    ):
        assert fact in text

    with page.expect_download() as download_info:
        page.get_by_role("button", name="Als Word-Datei (DOCX) herunterladen").click()
    assert download_info.value.suggested_filename.endswith(".docx")

    # Mail to someone else only for logged-in accounts: a hint instead of the button.
    expect(page.get_by_role("button", name="Per E-Mail an Vorgesetzte:n senden")).to_have_count(0)
    expect(page.get_by_role("link", name="Mit Konto anmelden")).to_be_visible()


def test_member_keeps_details_for_the_next_request(page, axe_check, login, make_user):
    from tests.factories.atlas import OfferFactory

    offer = OfferFactory(
        title="Werkstatt im Browser", learning_goals="Beteiligung planen", duration_hours=8
    )
    make_user(email="maria@beispiel.example", first_name="Maria", last_name="Muster")
    login(page, "maria@beispiel.example")
    page.goto(offer.get_absolute_url())
    page.get_by_role("link", name="Fortbildungsantrag erstellen").click()
    page.wait_for_url(re.compile(r"/fortbildungsantrag/angebot/\d+/$"))
    assert page.get_by_label("Ihr Name", exact=True).input_value() == "Maria Muster"
    axe_check(page)
    fill(page, PERSON)
    page.get_by_label(re.compile("Für den nächsten Antrag merken")).check()
    with page.expect_download():
        page.get_by_role("button", name="Antrag als PDF herunterladen").click()
    page.reload()
    assert page.get_by_label("Ihr Name", exact=True).input_value() == "Erika Beispielfrau"
    expect(page.get_by_label(re.compile("Für den nächsten Antrag merken"))).to_be_checked()
    assert page.get_by_label("E-Mail-Adresse Ihrer oder Ihres Vorgesetzten").input_value() == ""

    fill(page, PERSON)
    page.get_by_label("E-Mail-Adresse Ihrer oder Ihres Vorgesetzten").fill("chef@amt.example")
    page.get_by_role("button", name="Per E-Mail an Vorgesetzte:n senden").click()
    expect(page.get_by_text("Der Antrag ist unterwegs an Dr. Bernd Vorgesetzter")).to_be_visible()
    axe_check(page)
    message = wait_for_mail(mail.outbox, "chef@amt.example")
    assert message.subject.startswith("Fortbildungsantrag zur Genehmigung")
    assert message.attachments[0][0].startswith("fortbildungsantrag-")
