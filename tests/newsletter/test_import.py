"""The CSV import runs as a task; the editor follows its progress on a job page."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kommune360.accounts import roles
from kommune360.newsletter import services
from kommune360.newsletter.models import (
    ConsentEvent,
    ImportJob,
    Subscriber,
    SuppressedAddress,
    email_hash,
)
from tests.factories.accounts import UserFactory
from tests.factories.newsletter import SubscriberFactory, TopicFactory
from tests.newsletter.test_subscriptions import CSV

pytestmark = pytest.mark.django_db


@pytest.fixture
def topics():
    return [TopicFactory(name="Allgemein"), TopicFactory(name="Jugendhilfe")]


@pytest.fixture
def editor(client):
    user = UserFactory(roles=[roles.EDITOR])
    client.force_login(user)
    return user


def _upload(client, content=CSV, dry_run=True, topics=(), **extra):
    data = {
        "file": SimpleUploadedFile(
            "liste.csv", content if isinstance(content, bytes) else content.encode()
        ),
        "source": "personal",
        "legal_basis": "Einwilligung bei Veranstaltung",
        "topics": [t.pk for t in topics],
        **extra,
    }
    if dry_run:
        data["dry_run"] = "on"
    return client.post(reverse("newsletter_import"), data)


def test_dry_run_as_task_then_import_from_the_same_file(
    client, editor, topics, django_capture_on_commit_callbacks
):
    SubscriberFactory(email="da@musterstadt.example")
    SuppressedAddress.objects.create(
        email_hash=email_hash("weg@musterstadt.example"), reason="unsubscribed"
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(client, topics=topics[:1])
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("newsletter_import_job", args=[job.pk])
    assert (job.state, job.dry_run, job.rows_total, job.created_count) == ("done", True, 6, 2)
    assert Subscriber.objects.count() == 1  # a dry run writes no address

    page = client.get(response["Location"]).content.decode()
    assert "6 Zeilen gelesen. 2 Adressen würden importiert." in page
    for line, reason in [
        (3, "keine gültige E-Mail-Adresse"),
        (4, "mehrfach"),
        (5, "Sperrliste"),
        (6, "bereits eingetragen"),
    ]:
        assert f"<td>{line}</td><td>" in page and reason in page
    assert "Jetzt 2 Adressen importieren" in page
    assert 'http-equiv="refresh"' not in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("newsletter_import_job", args=[job.pk]))
    real = ImportJob.objects.get()  # the dry run's row became the import
    assert response["Location"] == reverse("newsletter_import_job", args=[real.pk])
    assert (real.state, real.dry_run, real.created_count, real.data) == ("done", False, 2, "")
    assert set(Subscriber.objects.filter(basis="import").values_list("email", flat=True)) == {
        "eins@musterstadt.example",
        "zwei@musterstadt.example",
    }
    event = ConsentEvent.objects.get(subscriber__email="zwei@musterstadt.example")
    assert (event.kind, event.source, event.legal_basis, event.actor) == (
        "imported",
        "personal",
        "Einwilligung bei Veranstaltung",
        editor,
    )
    assert not Subscriber.objects.filter(email="weg@musterstadt.example").exists()
    page = client.get(response["Location"]).content.decode()
    assert "6 Zeilen gelesen. 2 Adressen importiert." in page
    assert "Jetzt" not in page
    listing = client.get(reverse("newsletter_import")).content.decode()
    assert "liste.csv" in listing


def test_progress_is_recorded_while_the_task_runs_and_shown(client, editor, topics, monkeypatch):
    monkeypatch.setattr(services, "PROGRESS_EVERY", 2)
    rows = "email\n" + "".join(f"p{n}@musterstadt.example\n" for n in range(5))
    job = services.start_import(
        data=rows,
        filename="p.csv",
        source="public",
        legal_basis="Art. 6 (1) f DSGVO",
        topics=topics,
        actor=editor,
        dry_run=False,
    )
    with CaptureQueriesContext(connection) as queries:
        services.run_import_job(job.pk)
    progress_updates = [q["sql"] for q in queries if 'SET "rows_done"' in q["sql"]]
    assert len(progress_updates) == 2  # after rows 2 and 4 (then the final figures)
    job.refresh_from_db()
    assert (job.rows_done, job.rows_total, job.created_count) == (5, 5, 5)

    running = ImportJob.objects.create(
        source="public", legal_basis="x", state="running", rows_total=800, rows_done=200
    )
    page = client.get(reverse("newsletter_import_job", args=[running.pk])).content.decode()
    assert '<progress id="import-progress" max="800" value="200">25 %</progress>' in page
    assert "200 von 800 Zeilen geprüft" in page
    assert '<meta http-equiv="refresh" content="2">' in page


def test_import_is_all_or_nothing_when_an_address_appears_meanwhile(topics):
    """Someone signs up with an address of the file while the import checks it."""
    rows = "email\n" + "".join(f"r{n}@musterstadt.example\n" for n in range(4))

    def concurrent_signup(done, total):
        if done == 1:
            SubscriberFactory(email="r3@musterstadt.example")

    services.PROGRESS_EVERY, old = 1, services.PROGRESS_EVERY
    try:
        with pytest.raises(IntegrityError):
            services.import_subscribers(
                rows,
                source="public",
                legal_basis="x",
                topics=topics,
                actor=None,
                dry_run=False,
                progress=concurrent_signup,
            )
    finally:
        services.PROGRESS_EVERY = old
    assert list(Subscriber.objects.values_list("email", flat=True)) == ["r3@musterstadt.example"]
    assert not ConsentEvent.objects.filter(kind="imported").exists()


def test_a_failed_job_says_so_and_keeps_nothing(client, editor, topics, monkeypatch):
    job = services.start_import(
        data="email\na@musterstadt.example\n",
        filename="a.csv",
        source="public",
        legal_basis="x",
        topics=topics,
        actor=editor,
        dry_run=False,
    )

    def crash(*args, **kwargs):
        raise IntegrityError("simulated crash of the database")

    monkeypatch.setattr(services, "import_subscribers", crash)
    services.run_import_job(job.pk)
    services.run_import_job(job.pk)  # a second delivery of the task changes nothing
    job.refresh_from_db()
    assert (job.state, job.data) == ("failed", "")  # no copy of the addresses is kept
    page = client.get(reverse("newsletter_import_job", args=[job.pk])).content.decode()
    assert "Der Import ist abgebrochen. Es wurde keine Adresse gespeichert." in page
    assert "Bitte laden Sie die Datei erneut hoch." in page
    assert not Subscriber.objects.exists()


def test_form_errors_in_german_and_windows_encoded_files(
    client, editor, topics, django_capture_on_commit_callbacks
):
    response = _upload(client, topics=topics, source="", legal_basis="")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Bitte wählen Sie eine Möglichkeit aus." in page  # the source
    assert "Bitte füllen Sie dieses Feld aus." in page  # the legal basis
    assert not ImportJob.objects.exists()

    response = _upload(client, content=b"\x00\x01\xff\xfe", topics=topics)
    assert "Bitte laden Sie eine Datei dieser Art hoch: CSV." in response.content.decode()
    assert not ImportJob.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        _upload(
            client,
            content="email;name\njoerg@musterstadt.example;Jörg Müller\n".encode("cp1252"),
            topics=topics,
            dry_run=False,
        )
    assert Subscriber.objects.get().name == "Jörg Müller"


@pytest.mark.parametrize(
    "role", [None, roles.MEMBER, roles.PROVIDER, roles.MODERATOR, roles.EDITOR]
)
def test_import_pages_per_role(client, role, topics):
    job = ImportJob.objects.create(source="public", legal_basis="x", data="email\nx@y.example\n")
    if role:
        client.force_login(UserFactory(roles=[role]))
    urls = [reverse("newsletter_import"), reverse("newsletter_import_job", args=[job.pk])]
    for url in urls:
        status = client.get(url).status_code
        assert status == 200 if role == roles.EDITOR else status in (302, 403)
    if role != roles.EDITOR:
        _upload(client, topics=topics)
        assert ImportJob.objects.count() == 1


@pytest.mark.parametrize(
    "role", [None, roles.MEMBER, roles.PROVIDER, roles.MODERATOR, roles.EDITOR]
)
def test_consent_history_and_dispatch_per_role(client, role, settings):
    from tests.factories.newsletter import CampaignFactory

    settings.NEWSLETTER_CONNECTIONS = 1

    subscriber = SubscriberFactory(email="rolle@musterstadt.example")
    services.unsubscribe(subscriber, channel="one_click")
    campaign = CampaignFactory()
    if role:
        client.force_login(UserFactory(roles=[role]))
    history = client.get(reverse("newsletter_history", args=[subscriber.pk]))
    dispatch = client.get(reverse("newsletter_dispatch", args=[campaign.pk]))
    start = client.post(
        reverse("newsletter_confirm_sending", args=[campaign.pk]), {"action": "send"}
    )
    campaign.refresh_from_db()
    if role == roles.EDITOR:
        assert history.status_code == dispatch.status_code == 200
        page = history.content.decode()
        assert "Anmeldung bestätigt" in page and "Ein-Klick-Abmeldung" in page
        assert start.status_code == 302 and campaign.state != "draft"
    else:
        assert history.status_code in (302, 403) and dispatch.status_code in (302, 403)
        assert "rolle@musterstadt.example" not in history.content.decode()
        assert campaign.state == "draft"


def test_an_oversized_or_zipped_file_is_refused_without_storing(client, editor, topics, settings):
    from tests.core.test_uploads import xlsx

    settings.UPLOAD_MAX_BYTES = 100
    response = _upload(client, content=CSV + "x" * 100, topics=topics)
    assert response.status_code == 200
    assert "Die Datei ist größer als 100 Bytes." in response.content.decode()
    settings.UPLOAD_MAX_BYTES = 2**20
    response = _upload(client, content=xlsx(), topics=topics)
    assert "Bitte laden Sie eine Datei dieser Art hoch: CSV." in response.content.decode()
    assert not ImportJob.objects.exists()


def test_too_many_addresses_are_reported_not_imported(editor, topics):
    lines = "\n".join(f"p{n}@musterstadt.example" for n in range(50_001))
    result = services.import_subscribers(
        "email\n" + lines,
        source="personal",
        legal_basis="Einwilligung",
        topics=topics,
        actor=editor,
        dry_run=False,
    )
    assert result.errors == [
        (1, "Die Datei hat mehr als 50000 Zeilen. Bitte teilen Sie sie in mehrere Dateien auf.")
    ]
    assert not Subscriber.objects.exists()
