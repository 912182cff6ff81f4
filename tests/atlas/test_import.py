"""The editors' CSV/XLSX import of offers runs as a task; a job page shows its progress."""

import io
import zipfile

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook

from kommune360.accounts import roles
from kommune360.atlas import imports, services
from kommune360.atlas.models import Offer, OfferImportJob, Provider
from kommune360.core.models import AuditEntry
from tests.factories.accounts import UserFactory
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


def broken_xlsx():
    """An XLSX whose zip directory is fine but whose workbook is no XML."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "zerbrochen")
    return buffer.getvalue()


def csv_bytes(*lines, encoding="utf-8"):
    return "\n".join([HEADER, *lines]).encode(encoding)


GOOD = [
    "Agile Planung;Zwei Tage;Beispiel-Akademie;;Workshop/Seminar;Agilität;Jugendhilfeplanung;"
    "Betrag in Euro;120,50;ja",
    "Planung kompakt;Ein Tag;Neue Muster-Stiftung;Stiftung;workshop/seminar;;Jugendhilfeplanung;"
    "kostenfrei;;nein",
]
THIRD = (
    "Dritte Planung;Ein Tag;Beispiel-Akademie;;Workshop/Seminar;;Jugendhilfeplanung;kostenfrei;;ja"
)
BAD = [
    GOOD[0],
    ";Ohne Titel;Beispiel-Akademie;;Workshop/Seminar;;Jugendhilfeplanung;kostenfrei;;nein",
    "X;Y;Unbekannt GmbH;;Tanzkurs;Yoga;Astronauten;teuer;;vielleicht",
    "Z;Y;Beispiel-Akademie;;Workshop/Seminar;;Jugendhilfeplanung;Betrag in Euro;;ja",
    "Schon da;Y;Beispiel-Akademie;;Workshop/Seminar;;Jugendhilfeplanung;kostenfrei;abc;ja",
    GOOD[0],
]


def upload(client, content, name="angebote.csv", action="dry_run", status="entwurf"):
    return client.post(
        URL, {"file": SimpleUploadedFile(name, content), action: "1", "status": status}
    )


def job_url(job):
    return reverse("atlas_import_job", args=[job.pk])


def test_dry_run_as_task_then_import_from_the_same_file(
    client, home_page, editor, terms, django_capture_on_commit_callbacks
):
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, csv_bytes(*GOOD), status="veroeffentlicht")
    job = OfferImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == job_url(job)
    assert (job.state, job.dry_run, job.rows_total, job.rows_done, job.created_count) == (
        "done",
        True,
        2,
        2,
        2,
    )
    assert bytes(job.content) == csv_bytes(*GOOD)  # kept for „Jetzt importieren“
    assert job.new_providers == ["Neue Muster-Stiftung"]
    assert Offer.objects.count() == 0  # a dry run writes nothing

    page = client.get(job_url(job)).content.decode()
    assert "Probelauf ohne Probleme: 2 Angebote sind bereit zum Import." in page
    assert "Neu angelegt werden: Neue Muster-Stiftung." in page
    assert "Jetzt importieren" in page
    assert 'http-equiv="refresh"' not in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(job_url(job))
    assert response["Location"] == job_url(job)  # the same job became the import
    job.refresh_from_db()
    assert (job.state, job.dry_run, job.created_count, bytes(job.content)) == (
        "done",
        False,
        2,
        b"",
    )
    offer = Offer.objects.get(title="Agile Planung")
    assert offer.status == Offer.Status.PUBLISHED
    assert str(offer.cost_amount) == "120.50" and offer.certificate
    assert [m.name for m in offer.methods.all()] == ["Agilität"]
    assert Provider.objects.get(name="Neue Muster-Stiftung").type == "stiftung"
    entry = AuditEntry.objects.get(action="atlas.offers_imported")
    assert (entry.actor, entry.data) == (editor, {"filename": "angebote.csv", "count": 2})
    page = client.get(job_url(job)).content.decode()
    assert "2 Angebote wurden importiert." in page and "Jetzt importieren" not in page
    listing = client.get(URL).content.decode()
    assert "angebote.csv" in listing and "Import" in listing
    # The new offers are found by the German search.
    assert "Agile Planung" in client.get("/angebote/", {"q": "Planungen"}).content.decode()


def test_the_same_file_is_never_imported_twice(
    client, home_page, editor, terms, django_capture_on_commit_callbacks
):
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, csv_bytes(*GOOD))
    job = OfferImportJob.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(job_url(job))
    assert Offer.objects.count() == 2

    # A second click (or a reloaded form) is refused with a German message.
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(job_url(job), follow=True)
    assert callbacks == []
    assert "Diese Datei wird bereits importiert oder ist importiert." in response.content.decode()
    with pytest.raises(ValidationError):
        services.import_checked_file(editor, job)
    # A second delivery of the task changes nothing either.
    services.run_import_job(job.pk)
    assert Offer.objects.count() == 2
    assert AuditEntry.objects.filter(action="atlas.offers_imported").count() == 1

    # While the import waits or runs, it cannot be started again.
    waiting = OfferImportJob.objects.create(
        actor=editor, filename="w.csv", content=csv_bytes(GOOD[1]), dry_run=False
    )
    with pytest.raises(ValidationError):
        services.import_checked_file(editor, waiting)


def test_every_problem_is_reported_per_row_and_column_and_nothing_is_written(
    client, home_page, editor, terms, django_capture_on_commit_callbacks
):
    OfferFactory(title="Schon da", provider=Provider.objects.get(name="Beispiel-Akademie"))
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, csv_bytes(*BAD), action="import")
    job = OfferImportJob.objects.get()
    assert (job.state, job.dry_run, job.created_count, bytes(job.content)) == (
        "done",
        False,
        0,
        b"",
    )
    problems = {(row, column) for row, column, _message in job.errors}
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
    assert Offer.objects.count() == 1  # not even the good first row
    assert not AuditEntry.objects.filter(action="atlas.offers_imported").exists()

    page = client.get(job_url(job)).content.decode()
    assert f"{len(job.errors)} Probleme gefunden – es wurde nichts gespeichert." in page
    assert "<td>4</td><td>Format</td><td>Das Format „Tanzkurs“ gibt es nicht.</td>" in page
    assert "Bitte „ja“ oder „nein“ angeben." in page
    assert "Jetzt importieren" not in page

    # A dry run with problems keeps no file and cannot become an import.
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, csv_bytes(*BAD))
    dry = OfferImportJob.objects.get(dry_run=True)
    assert dry.errors and bytes(dry.content) == b""
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(job_url(dry), follow=True)
    assert "Nur ein abgeschlossener Probelauf ohne Probleme" in response.content.decode()
    assert Offer.objects.count() == 1


def test_wrong_type_oversized_and_broken_files_get_a_german_message_at_once(
    client, home_page, editor, terms
):
    client.force_login(editor)
    cases = [
        ("bild.png", b"\x89PNG\r\n\x1a\n", "Bitte laden Sie eine Datei dieser Art hoch: CSV, XLSX"),
        ("gross.csv", b"x" * (5 * 2**20 + 10), "Die Datei ist größer als 5 MB."),
        ("leer.csv", b"", "Die Datei ist leer."),
        ("leer.csv", b" \n", "Die Datei ist leer."),
        ("kaputt.xlsx", b"PK\x03\x04 kein Excel", "Die Datei lässt sich nicht öffnen."),
        ("pdf.xlsx", b"%PDF-1.4", "Diese Art von Datei ist hier nicht möglich"),
        ("utf16.csv", "Titel".encode("utf-16"), "Diese Art von Datei ist hier nicht möglich"),
    ]
    for name, content, message in cases:
        response = upload(client, content, name=name, action="import", status="veroeffentlicht")
        assert response.status_code == 200, name
        page = response.content.decode()
        assert message in page, name
        assert '<option value="veroeffentlicht" selected>' in page  # the choice is kept
    response = client.post(URL, {"dry_run": "1", "status": "entwurf"})
    assert "Bitte wählen Sie eine Datei aus." in response.content.decode()
    assert not OfferImportJob.objects.exists()


def test_a_broken_xlsx_found_by_the_task_is_shown_on_the_job_page(
    client, home_page, editor, terms, django_capture_on_commit_callbacks
):
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, broken_xlsx(), name="kaputt.xlsx")
    job = OfferImportJob.objects.get()
    assert response["Location"] == job_url(job)
    assert job.state == "done" and bytes(job.content) == b""
    assert job.errors == [
        [
            0,
            "",
            "Die Datei lässt sich nicht öffnen. Ist sie beschädigt oder hat sie ein "
            "anderes Format?",
        ]
    ]
    page = client.get(job_url(job)).content.decode()
    assert "<td>–</td><td>–</td><td>Die Datei lässt sich nicht öffnen." in page
    assert "Jetzt importieren" not in page


def test_xlsx_with_missing_column_and_broken_files(terms):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Titel", "Kurzbeschreibung", "Anbieter:in", "Format", "Farbe"])
    sheet.append(["A", "B", "Beispiel-Akademie", "Workshop/Seminar", "blau"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    report = imports.check_file("a.xlsx", buffer.getvalue())
    assert {(p.row, p.column) for p in report.problems} == {(1, "Zielgruppen"), (1, "Farbe")}

    report = imports.check_file("kaputt.xlsx", broken_xlsx())
    assert "lässt sich nicht öffnen" in report.problems[0].message
    report = imports.check_file("bild.xlsx", b"\x89PNG\r\n\x1a\n")
    assert "Art von Datei ist hier nicht möglich" in report.problems[0].message
    report = imports.check_file("leer.csv", b"")
    assert report.problems[0].message == "Die Datei ist leer."
    report = imports.check_file("gross.csv", b"x" * (5 * 2**20 + 1))
    assert "größer als 5 MB" in report.problems[0].message


def test_xlsx_import_through_the_task(editor, terms, django_capture_on_commit_callbacks):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER.split(";"))
    sheet.append(GOOD[1].split(";"))
    buffer = io.BytesIO()
    workbook.save(buffer)
    with django_capture_on_commit_callbacks(execute=True):
        job = services.start_import(
            editor, filename="liste.xlsx", content=buffer.getvalue(), dry_run=False
        )
    job.refresh_from_db()
    assert (job.state, job.created_count, job.errors) == ("done", 1, [])
    assert Offer.objects.get().status == Offer.Status.DRAFT


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


def test_progress_is_recorded_while_the_task_runs(editor, terms, monkeypatch):
    monkeypatch.setattr(imports, "PROGRESS_EVERY", 2)
    lines = [
        f"Angebot {n};Kurz;Beispiel-Akademie;;Workshop/Seminar;;Jugendhilfeplanung;kostenfrei;;nein"
        for n in range(5)
    ]
    job = services.start_import(editor, filename="p.csv", content=csv_bytes(*lines), dry_run=False)
    # While the offers are written (one transaction, invisible to other connections),
    # the count goes through the shared cache; record what the page would read.
    seen = []
    create_offer = services.create_offer

    def create_and_look(*args, **kwargs):
        seen.append(cache.get(services.import_progress_key(job.pk)))
        return create_offer(*args, **kwargs)

    monkeypatch.setattr(services, "create_offer", create_and_look)
    with CaptureQueriesContext(connection) as queries:
        services.run_import_job(job.pk)
    checked = [q["sql"] for q in queries if 'SET "rows_done"' in q["sql"]]
    assert len(checked) == 3  # after rows 2 and 4, and at the end of the check
    assert seen == [None, None, 2, 2, 4]
    assert cache.get(services.import_progress_key(job.pk)) is None  # cleaned up
    job.refresh_from_db()
    assert (job.state, job.rows_done, job.rows_total, job.created_count) == ("done", 5, 5, 5)


def test_progress_page_while_waiting_checking_and_writing(client, home_page, editor):
    client.force_login(editor)
    waiting = OfferImportJob.objects.create(filename="w.csv", content=b"x", dry_run=True)
    page = client.get(job_url(waiting)).content.decode()
    assert "Die Datei wartet auf die Verarbeitung im Hintergrund" in page
    assert '<meta http-equiv="refresh" content="2">' in page

    checking = OfferImportJob.objects.create(
        filename="c.csv", dry_run=False, state="running", rows_total=800, rows_done=200
    )
    page = client.get(job_url(checking)).content.decode()
    assert '<progress id="import-progress" max="800" value="200">25 %</progress>' in page
    assert "200 von 800 Zeilen geprüft" in page
    assert '<meta http-equiv="refresh" content="2">' in page

    checking.rows_done = 800
    checking.save()
    cache.set(services.import_progress_key(checking.pk), 300)
    page = client.get(job_url(checking)).content.decode()
    assert "300 von 800 Angeboten gespeichert" in page
    assert '<progress id="import-progress" max="800" value="300">' in page

    failed = OfferImportJob.objects.create(filename="f.csv", dry_run=False, state="failed")
    failed.failure = "Der Import ist abgebrochen."
    failed.save()
    page = client.get(job_url(failed)).content.decode()
    assert "Der Import ist abgebrochen." in page and 'http-equiv="refresh"' not in page


@pytest.mark.parametrize("problems", [1, 300])
def test_query_count_of_the_job_page_and_the_listing(
    client, home_page, editor, problems, django_assert_num_queries
):
    client.force_login(editor)
    errors = [[n + 2, "Titel", "Bitte ausfüllen."] for n in range(problems)]
    for n in range(problems):
        OfferImportJob.objects.create(
            actor=editor, filename=f"{n}.csv", state="done", errors=errors
        )
    job = OfferImportJob.objects.first()
    client.get(job_url(job))  # session and Wagtail's per-user caches
    with django_assert_num_queries(11):  # 10 of them are the admin's own (session, menu)
        page = client.get(job_url(job)).content.decode()
    assert page.count("Bitte ausfüllen.") == problems
    with django_assert_num_queries(11):  # the ten latest jobs in one query
        listing = client.get(URL).content.decode()
    assert listing.count("<td>fertig</td>") == min(problems, 10)


def test_a_failed_import_keeps_nothing_and_says_so(client, home_page, editor, terms, monkeypatch):
    job = services.start_import(editor, filename="a.csv", content=csv_bytes(*GOOD), dry_run=False)
    create_offer = services.create_offer

    def crash_on_the_second(user, provider, data, **kwargs):
        if Offer.objects.exists():
            raise IntegrityError("simulated crash of the database")
        return create_offer(user, provider, data, **kwargs)

    monkeypatch.setattr(services, "create_offer", crash_on_the_second)
    services.run_import_job(job.pk)
    services.run_import_job(job.pk)  # a second delivery of the task changes nothing
    job.refresh_from_db()
    assert (job.state, job.created_count, bytes(job.content)) == ("failed", 0, b"")
    assert not Offer.objects.exists()
    assert not Provider.objects.filter(name="Neue Muster-Stiftung").exists()
    client.force_login(editor)
    page = client.get(job_url(job)).content.decode()
    assert "Der Import ist abgebrochen. Es wurde kein Angebot gespeichert." in page


@pytest.mark.parametrize(
    "role", [None, roles.MEMBER, roles.PROVIDER, roles.MODERATOR, roles.EDITOR]
)
def test_import_pages_per_role(client, home_page, role, terms, django_capture_on_commit_callbacks):
    owner = UserFactory(roles=[roles.EDITOR])
    job = OfferImportJob.objects.create(
        actor=owner, filename="a.csv", content=csv_bytes(*GOOD), state="done", created_count=2
    )
    user = UserFactory(roles=[role]) if role else None
    if user:
        client.force_login(user)
    for url in (URL, job_url(job)):
        status = client.get(url).status_code
        assert status == 200 if role == roles.EDITOR else status in (302, 403)
    admin_home = client.get("/admin/").content.decode()
    assert ("Angebote importieren" in admin_home) == (role == roles.EDITOR)

    with django_capture_on_commit_callbacks(execute=True):
        upload(client, csv_bytes(THIRD), action="import")
        client.post(job_url(job))
    job.refresh_from_db()
    if role == roles.EDITOR:
        assert OfferImportJob.objects.count() == 2
        assert not job.dry_run and job.actor == user
        assert Offer.objects.count() == 3  # one from the upload, two from the dry run's file
    else:
        assert OfferImportJob.objects.count() == 1 and job.dry_run
        assert not Offer.objects.exists()
        if user:
            with pytest.raises(PermissionDenied):
                services.start_import(user, filename="a.csv", content=b"x", dry_run=True)


def test_imported_offers_are_in_wagtails_reference_index(
    editor, terms, django_capture_on_commit_callbacks
):
    """The admin's usage count and delete warning of a provider see imported offers
    (one task after the import instead of one per offer)."""
    from wagtail.models import ReferenceIndex

    provider = Provider.objects.get(name="Beispiel-Akademie")
    with django_capture_on_commit_callbacks(execute=True):
        job = services.start_import(
            editor, filename="r.csv", content=csv_bytes(GOOD[0], THIRD), dry_run=False
        )
    job.refresh_from_db()
    assert (job.state, job.created_count) == ("done", 2)
    referencing = ReferenceIndex.get_references_to(provider).values_list("object_id", flat=True)
    assert sorted(map(int, set(referencing))) == sorted(
        Offer.objects.filter(provider=provider).values_list("pk", flat=True)
    )
    assert len(set(referencing)) == 2


def test_imported_offers_get_free_slugs_and_all_their_terms(
    client, home_page, editor, terms, django_capture_on_commit_callbacks
):
    OfferFactory(title="Agile Planung", provider=ProviderFactory(name="Andere Akademie"))
    rows = [
        GOOD[0],
        "Agile Planung;Kurz;Neue Muster-Stiftung;Stiftung;Workshop/Seminar;Agilität;"
        "Jugendhilfeplanung;kostenfrei;;nein",
        "Neu;Kurz;Beispiel-Akademie;;Workshop/Seminar;;Jugendhilfeplanung;kostenfrei;;nein",
    ]
    with django_capture_on_commit_callbacks(execute=True):
        job = services.start_import(
            editor,
            filename="s.csv",
            content=csv_bytes(*rows),
            dry_run=False,
            status=Offer.Status.PUBLISHED,
        )
    job.refresh_from_db()
    assert (job.state, job.errors, job.created_count) == ("done", [], 3)
    imported = Offer.objects.exclude(provider__name="Andere Akademie").order_by("pk")
    assert [o.slug for o in imported] == ["agile-planung-2", "agile-planung-3", "neu-1"]
    for offer in imported:
        assert [t.name for t in offer.target_groups.all()] == ["Jugendhilfeplanung"]
    assert [[m.name for m in o.methods.all()] for o in imported] == [["Agilität"], ["Agilität"], []]
    # The list's facet snapshot and word index know the new offers and their links.
    page = client.get("/angebote/", {"methode": "agilitaet", "q": "Planung"}).content.decode()
    assert 'href="/angebote/agile-planung-2/"' in page
    assert 'href="/angebote/agile-planung-3/"' in page
    assert 'href="/angebote/neu-1/"' not in page


def test_a_zip_bomb_and_too_many_rows_are_refused_without_storing(
    client, home_page, editor, terms, settings
):
    from tests.core.test_uploads import zip_bomb_xlsx

    client.force_login(editor)
    response = upload(client, zip_bomb_xlsx(), name="angebote.xlsx")
    assert response.status_code == 200
    assert "entpackt wären es mehr als 60 MB" in response.content.decode()
    assert not OfferImportJob.objects.exists()

    rows = [GOOD[1].replace("Planung kompakt", f"Angebot {n}") for n in range(5001)]
    report = imports.check_file("viele.csv", csv_bytes(*rows))
    assert [p.message for p in report.problems] == [
        "Die Datei hat mehr als 5000 Zeilen. Bitte teilen Sie sie in mehrere Dateien auf."
    ]
