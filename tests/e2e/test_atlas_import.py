"""Browser test of the editors' offer import in the Wagtail admin: a refused file, a dry
run with problems, a clean dry run and „Jetzt importieren“; axe checks each screen."""

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

HEADER = "Titel;Kurzbeschreibung;Anbieter:in;Art der Anbieter:in;Format;Zielgruppen;Kosten"
GOOD = (
    "Agile Planung;Zwei Tage;Beispiel-Akademie;;Workshop/Seminar;Jugendhilfeplanung;kostenfrei\n"
    "Planung kompakt;Ein Tag;Neue Muster-Stiftung;Stiftung;Workshop/Seminar;"
    "Jugendhilfeplanung;kostenfrei"
)
BAD = "Ohne Format;Kurz;Beispiel-Akademie;;Tanzkurs;Jugendhilfeplanung;teuer"


def choose(page, name, text):
    page.get_by_label("Datei", exact=True).set_input_files(
        files=[{"name": name, "mimeType": "text/csv", "buffer": text.encode()}]
    )


def test_refused_file_dry_runs_and_import_now(page, axe_check, login, make_user):
    from kommune360.atlas.models import Offer
    from tests.factories.atlas import ProviderFactory
    from tests.factories.core import FormatFactory, TargetGroupFactory

    FormatFactory(name="Workshop/Seminar")
    TargetGroupFactory(name="Jugendhilfeplanung")
    ProviderFactory(name="Beispiel-Akademie")
    editor = make_user(email="redaktion@beispiel.example", first_name="Rita", last_name="Daktion")
    editor.groups.add(Group.objects.get(name="Redaktion"))
    login(page, "redaktion@beispiel.example")
    page.set_default_timeout(30_000)

    page.goto("/admin/angebotsatlas/import/")
    axe_check(page)  # the form
    choose(page, "bild.csv", "\x89PNG\x00 ein Bild")  # binary, whatever the name says
    page.get_by_role("button", name="Probelauf").click()
    expect(page.get_by_text("Bitte laden Sie eine Datei dieser Art hoch: CSV")).to_be_visible()
    axe_check(page)  # the form with its German message

    choose(page, "fehler.csv", f"{HEADER}\n{BAD}")
    page.get_by_role("button", name="Probelauf").click()
    page.wait_for_url("**/admin/angebotsatlas/import/*/")
    expect(page.get_by_text("Probleme gefunden – es wurde nichts gespeichert.")).to_be_visible()
    expect(page.get_by_role("cell", name="Das Format „Tanzkurs“ gibt es nicht.")).to_be_visible()
    assert page.get_by_role("button", name="Jetzt importieren").count() == 0
    axe_check(page)  # the problems by row and column

    page.get_by_role("link", name="Zur Import-Übersicht").click()
    choose(page, "angebote.csv", f"{HEADER}\n{GOOD}")
    page.get_by_role("button", name="Probelauf").click()
    page.wait_for_url("**/admin/angebotsatlas/import/*/")
    expect(page.get_by_text("2 Angebote sind bereit zum Import.")).to_be_visible()
    axe_check(page)  # the clean dry run
    page.get_by_role("button", name="Jetzt importieren").click()
    expect(page.get_by_text("2 Angebote wurden importiert.")).to_be_visible()
    axe_check(page)  # the result
    assert set(Offer.objects.values_list("title", flat=True)) == {
        "Agile Planung",
        "Planung kompakt",
    }
    page.get_by_role("link", name="Zur Import-Übersicht").click()
    # (the link waits for the next page: an immediate check could still see this one)
    expect(page.get_by_role("link", name="angebote.csv")).to_be_visible()
    axe_check(page)  # the list of the last imports
