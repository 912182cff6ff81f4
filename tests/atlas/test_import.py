import io

import pytest
from openpyxl import Workbook

from kommune360.atlas import imports
from kommune360.atlas.models import Offer, Provider
from kommune360.core.models import AuditEntry
from tests.factories.atlas import OfferFactory, ProviderFactory
from tests.factories.core import FormatFactory, MethodFactory, TargetGroupFactory

pytestmark = pytest.mark.django_db
URL = "/admin/angebotsatlas/import/"
HEADER = (
    "Titel;Kurzbeschreibung;Anbieter:in;Art der Anbieter:in;Format;Methoden;Zielgruppen;"
    "Kosten;Betrag in Euro;Teilnahmebescheinigung"
)


@pytest.fixture
def terms(db):
    FormatFactory(name="Workshop/Seminar")
    MethodFactory(name="Agilität")
    TargetGroupFactory(name="Jugendhilfeplanung")
    ProviderFactory(name="Beispiel-Akademie")


def csv_bytes(*lines, encoding="utf-8"):
    return "\n".join([HEADER, *lines]).encode(encoding)


GOOD = [
    "Agile Planung;Zwei Tage;Beispiel-Akademie;;Workshop/Seminar;Agilität;Jugendhilfeplanung;"
    "Betrag in Euro;120,50;ja",
    "Planung kompakt;Ein Tag;Neue Muster-Stiftung;Stiftung;workshop/seminar;;Jugendhilfeplanung;"
    "kostenfrei;;nein",
]


def test_good_csv_dry_run_then_import(client, home_page, editor, terms):
    client.force_login(editor)
    upload = io.BytesIO(csv_bytes(*GOOD))
    upload.name = "angebote.csv"
    response = client.post(URL, {"file": upload, "dry_run": "1", "status": "veroeffentlicht"})
    assert "2 Angebote sind bereit zum Import" in response.content.decode()
    assert "Neue Muster-Stiftung" in response.content.decode()
    assert Offer.objects.count() == 0

    upload = io.BytesIO(csv_bytes(*GOOD))
    upload.name = "angebote.csv"
    response = client.post(URL, {"file": upload, "import": "1", "status": "veroeffentlicht"})
    assert "2 Angebote wurden importiert" in response.content.decode()
    offer = Offer.objects.get(title="Agile Planung")
    assert offer.status == Offer.Status.PUBLISHED
    assert str(offer.cost_amount) == "120.50" and offer.certificate
    assert [m.name for m in offer.methods.all()] == ["Agilität"]
    assert Provider.objects.get(name="Neue Muster-Stiftung").type == "stiftung"
    assert AuditEntry.objects.filter(action="atlas.offers_imported").count() == 1
    # The new offers are found by the German search.
    assert "Agile Planung" in client.get("/angebote/", {"q": "Planungen"}).content.decode()


def test_every_problem_is_reported_per_row_and_column_and_nothing_is_written(terms):
    OfferFactory(title="Schon da", provider=Provider.objects.get(name="Beispiel-Akademie"))
    content = csv_bytes(
        GOOD[0],
        ";Ohne Titel;Beispiel-Akademie;;Workshop/Seminar;;Jugendhilfeplanung;kostenfrei;;nein",
        "X;Y;Unbekannt GmbH;;Tanzkurs;Yoga;Astronauten;teuer;;vielleicht",
        "Z;Y;Beispiel-Akademie;;Workshop/Seminar;;Jugendhilfeplanung;Betrag in Euro;;ja",
        "Schon da;Y;Beispiel-Akademie;;Workshop/Seminar;;Jugendhilfeplanung;kostenfrei;abc;ja",
        GOOD[0],
    )
    report = imports.import_file(None, "a.csv", content)
    problems = {(p.row, p.column) for p in report.problems}
    assert (3, "Titel") in problems
    assert {
        (4, "Art der Anbieter:in"),
        (4, "Format"),
        (4, "Methoden"),
        (4, "Zielgruppen"),
        (4, "Kosten"),
        (4, "Teilnahmebescheinigung"),
    } <= problems
    assert (5, "Betrag in Euro") in problems  # the model's rule: amount needed
    assert (6, "Titel") in problems and (6, "Betrag in Euro") in problems
    assert (7, "Titel") in problems  # twice in the file
    messages = " ".join(p.message for p in report.problems)
    assert "„Tanzkurs“ gibt es nicht" in messages
    assert "Bitte „ja“ oder „nein“ angeben." in messages
    assert Offer.objects.count() == 1


def test_xlsx_with_missing_column_and_broken_files(terms):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Titel", "Kurzbeschreibung", "Anbieter:in", "Format", "Farbe"])
    sheet.append(["A", "B", "Beispiel-Akademie", "Workshop/Seminar", "blau"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    report = imports.check_file("a.xlsx", buffer.getvalue())
    assert {(p.row, p.column) for p in report.problems} == {(1, "Zielgruppen"), (1, "Farbe")}

    report = imports.check_file("kaputt.xlsx", b"PK\x03\x04 kein Excel")
    assert "lässt sich nicht öffnen" in report.problems[0].message
    report = imports.check_file("bild.png", b"\x89PNG")
    assert "CSV- oder XLSX-Datei" in report.problems[0].message
    report = imports.check_file("leer.csv", b"")
    assert report.problems[0].message == "Die Datei ist leer."
    report = imports.check_file("gross.csv", b"x" * (imports.MAX_BYTES + 1))
    assert "größer als 5 MB" in report.problems[0].message


def test_windows_encoded_csv_and_exported_file_round_trip(client, home_page, editor, terms):
    report = imports.check_file("win.csv", csv_bytes(GOOD[1], encoding="cp1252"))
    assert report.ok
    OfferFactory(
        title="Exportiert",
        format=FormatFactory(name="Workshop/Seminar"),
        target_groups=[TargetGroupFactory(name="Jugendhilfeplanung")],
    )
    exported = b"".join(client.get("/angebote/export.csv").streaming_content)
    Offer.objects.all().delete()
    report = imports.check_file("export.csv", exported)
    assert report.problems == []
    assert [data["title"] for _n, data in report.rows] == ["Exportiert"]


def test_oversized_upload_and_permissions_in_the_admin(client, home_page, editor, terms):
    from tests.factories.accounts import UserFactory

    client.force_login(UserFactory(roles=["Anbieter:in"]))
    upload = io.BytesIO(csv_bytes(*GOOD))
    upload.name = "a.csv"
    assert client.post(URL, {"file": upload, "import": "1"}).status_code in (302, 403)
    assert Offer.objects.count() == 0
    client.force_login(editor)
    upload = io.BytesIO(b"x" * (imports.MAX_BYTES + 10))
    upload.name = "gross.csv"
    response = client.post(URL, {"file": upload, "import": "1"})
    assert response.status_code == 200
    assert "größer als 5 MB" in response.content.decode()
