"""A file import whose worker died runs again and stores its rows exactly once
(``core.imports``), for the atlas's offers and the newsletter's addresses."""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from kommune360.accounts import roles
from kommune360.atlas import imports as offer_imports
from kommune360.atlas import services as atlas
from kommune360.atlas.models import Offer, OfferImportJob
from kommune360.core import imports as jobs
from kommune360.core.registry import registry
from kommune360.newsletter import services as newsletter
from kommune360.newsletter.models import ImportJob as SubscriberImportJob
from kommune360.newsletter.models import Subscriber
from tests.factories.accounts import UserFactory
from tests.factories.atlas import ProviderFactory
from tests.factories.core import FormatFactory, TargetGroupFactory

pytestmark = pytest.mark.django_db
LATER = jobs.STALE_AFTER + timedelta(minutes=1)
KOMMUNE360 = str(Path(sys.executable).with_name("kommune360"))


def offers_csv(count):
    lines = [
        "Titel;Kurzbeschreibung;Anbieter:in;Art der Anbieter:in;Format;Zielgruppen",
        *(
            f"Angebot {n};Kurz;Beispiel-Akademie;;Workshop/Seminar;Jugendhilfeplanung"
            for n in range(count)
        ),
    ]
    return "\n".join(lines).encode()


@pytest.fixture
def editor(db):
    return UserFactory(roles=[roles.EDITOR])


@pytest.fixture
def terms(db):
    FormatFactory(name="Workshop/Seminar")
    TargetGroupFactory(name="Jugendhilfeplanung")
    ProviderFactory(name="Beispiel-Akademie")


def offer_job(editor, rows=3, **fields):
    return OfferImportJob.objects.create(
        **{
            "actor": editor,
            "filename": "angebote.csv",
            "content": offers_csv(rows),
            "dry_run": False,
            "heartbeat": timezone.now(),
            **fields,
        }
    )


def newsletter_import(editor, data, dry_run):
    return newsletter.start_import(
        data=data,
        filename="liste.csv",
        source="event",
        legal_basis="Einwilligung bei der Anmeldung zum Festival",
        topics=[],
        actor=editor,
        dry_run=dry_run,
    )


def test_the_worker_checks_for_interrupted_imports_and_old_files():
    periodic = {p.name: p for p in registry.periodic_tasks()}
    assert periodic["core.recover_imports"].interval == timedelta(minutes=5)
    assert periodic["core.forget_import_files"].interval == timedelta(days=1)
    assert {OfferImportJob, SubscriberImportJob} <= set(jobs.job_models())


def test_an_interrupted_import_runs_again_and_stores_each_offer_once(
    editor, terms, django_capture_on_commit_callbacks
):
    job = offer_job(editor)
    dead = jobs.take(OfferImportJob, job.pk)  # taken by a worker that then died
    assert jobs.take(OfferImportJob, job.pk) is None  # a second delivery changes nothing
    assert jobs.recover_interrupted() == {"queued": 0, "failed": 0}  # heard of just now

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert jobs.recover_interrupted(now=timezone.now() + LATER) == {"queued": 1, "failed": 0}
    assert len(callbacks) >= 1  # the task, run at once by the test's task backend

    job.refresh_from_db()
    assert (job.state, job.attempts, job.created_count) == ("done", 2, 3)
    assert sorted(Offer.objects.values_list("title", flat=True)) == [
        "Angebot 0",
        "Angebot 1",
        "Angebot 2",
    ]
    # The dead run can no longer change the job.
    with pytest.raises(jobs.Superseded):
        jobs.beat(dead, 1, 3)
    with pytest.raises(jobs.Superseded):
        jobs.finish(dead, created_count=99)
    jobs.fail(dead, "zu spät")
    job.refresh_from_db()
    assert (job.state, job.created_count, job.failure) == ("done", 3, "")


def test_a_slow_run_given_up_meanwhile_stores_nothing(
    editor, terms, monkeypatch, django_capture_on_commit_callbacks
):
    """While the first run still checks the file, it is given up and a second run
    imports the file; the first run then stops without writing."""
    job = offer_job(editor)
    check_file = offer_imports.check_file
    runs = []

    def slow_check(filename, content, progress=None):
        runs.append(1)
        if len(runs) == 1:
            with django_capture_on_commit_callbacks(execute=True):
                jobs.recover_interrupted(now=timezone.now() + LATER)
        return check_file(filename, content, progress)

    monkeypatch.setattr(offer_imports, "check_file", slow_check)
    atlas.run_import_job(job.pk)

    assert len(runs) == 2
    job.refresh_from_db()
    assert (job.state, job.attempts, job.created_count) == ("done", 2, 3)
    assert Offer.objects.count() == 3


def test_after_three_interrupted_runs_the_import_fails_with_a_message(
    client, editor, terms, django_capture_on_commit_callbacks
):
    job = offer_job(editor)
    now = timezone.now()
    for attempt in range(1, jobs.MAX_ATTEMPTS + 1):
        assert jobs.take(OfferImportJob, job.pk).attempts == attempt
        now += LATER
        with django_capture_on_commit_callbacks() as callbacks:
            counts = jobs.recover_interrupted(now=now)
        if attempt < jobs.MAX_ATTEMPTS:
            assert counts == {"queued": 1, "failed": 0}
            assert len(callbacks) == 1
            client.force_login(editor)
            page = client.get(reverse("atlas_import_job", args=[job.pk])).content.decode()
            assert f"läuft erneut von vorn: Versuch {attempt + 1}." in page
        else:
            assert counts == {"queued": 0, "failed": 1}
            assert callbacks == []

    job.refresh_from_db()
    assert job.state == "failed"
    assert bytes(job.content) == b""  # the uploaded file is not kept
    assert Offer.objects.count() == 0
    page = client.get(reverse("atlas_import_job", args=[job.pk])).content.decode()
    assert "Der Import wurde 3-mal unterbrochen" in page
    assert "Bitte laden Sie die Datei erneut hoch." in page
    assert 'http-equiv="refresh"' not in page
    assert jobs.recover_interrupted(now=now + LATER) == {"queued": 0, "failed": 0}


def test_a_run_that_fails_says_so_and_one_given_up_changes_nothing(editor, terms, caplog):
    failing = jobs.take(OfferImportJob, offer_job(editor, state="queued").pk)
    with jobs.failing_with(failing, "Abgebrochen."):
        raise RuntimeError("disk full")
    failing.refresh_from_db()
    assert (failing.state, failing.failure, bytes(failing.content)) == (
        "failed",
        "Abgebrochen.",
        b"",
    )
    assert "failed" in caplog.text

    running = jobs.take(OfferImportJob, offer_job(editor, state="queued").pk)
    given_up = OfferImportJob.objects.get(pk=running.pk)
    given_up.attempts -= 1  # an earlier attempt of the same job
    with jobs.failing_with(given_up, "Abgebrochen."):
        jobs.beat(given_up, 1, 3)
    running.refresh_from_db()
    assert (running.state, running.failure, running.rows_done) == ("running", "", 0)
    assert "superseded" in caplog.text


def test_a_queued_import_whose_task_was_lost_is_queued_again(
    editor, terms, django_capture_on_commit_callbacks
):
    now = timezone.now()
    lost = offer_job(editor, heartbeat=now - LATER)
    fresh = offer_job(editor, heartbeat=now - timedelta(minutes=2))
    old_without_heartbeat = offer_job(editor, heartbeat=None, created=now - LATER)
    done = offer_job(editor, heartbeat=now - LATER, state="done")
    with django_capture_on_commit_callbacks() as callbacks:
        assert jobs.recover_interrupted(now=now) == {"queued": 2, "failed": 0}
    assert len(callbacks) == 2
    for job in (lost, fresh, old_without_heartbeat, done):
        job.refresh_from_db()
    assert lost.heartbeat == now and old_without_heartbeat.heartbeat == now
    assert fresh.heartbeat < now and done.state == "done"
    assert [lost.attempts, old_without_heartbeat.attempts] == [0, 0]  # not a run yet


def test_an_interrupted_newsletter_import_runs_again_and_stores_each_address_once(
    client, editor, django_capture_on_commit_callbacks
):
    data = "email,name\n" + "".join(f"person{n}@musterstadt.example,P {n}\n" for n in range(4))
    with django_capture_on_commit_callbacks() as callbacks:
        job = newsletter_import(editor, data, dry_run=False)
    assert len(callbacks) == 1 and job.heartbeat is not None
    dead = jobs.take(SubscriberImportJob, job.pk)

    client.force_login(editor)
    with django_capture_on_commit_callbacks():
        jobs.recover_interrupted(now=timezone.now() + LATER)
    page = client.get(reverse("newsletter_import_job", args=[job.pk])).content.decode()
    assert "läuft erneut von vorn: Versuch 2." in page

    newsletter.run_import_job(job.pk)
    newsletter.run_import_job(job.pk)  # a second delivery
    job.refresh_from_db()
    assert (job.state, job.attempts, job.created_count) == ("done", 2, 4)
    assert Subscriber.objects.count() == 4
    with pytest.raises(jobs.Superseded):
        jobs.finish(dead)


def test_jetzt_importieren_twice_imports_a_newsletter_dry_run_once(
    client, editor, django_capture_on_commit_callbacks
):
    data = "email\nerste@musterstadt.example\nzweite@musterstadt.example\n"
    with django_capture_on_commit_callbacks(execute=True):
        dry = newsletter_import(editor, data, dry_run=True)
    dry.refresh_from_db()
    assert (dry.state, dry.created_count) == ("done", 2)
    client.force_login(editor)
    url = reverse("newsletter_import_job", args=[dry.pk])
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(url)
        second = client.post(url, follow=True)
    assert first.status_code == 302 and first.url == url
    assert second.redirect_chain == [(url, 302)]
    assert "bereits importiert" in second.content.decode()
    assert SubscriberImportJob.objects.filter(dry_run=False).count() == 1
    assert Subscriber.objects.count() == 2
    dry.refresh_from_db()
    assert (dry.dry_run, dry.state, dry.data) == (False, "done", "")  # no copy is kept


def test_finished_imports_forget_their_file_after_seven_days(client, editor, terms):
    now = timezone.now()
    old = now - jobs.KEEP_FILE_FOR - timedelta(hours=1)
    recent = now - jobs.KEEP_FILE_FOR + timedelta(hours=1)
    dry_run = offer_job(editor, dry_run=True, state="done", finished_at=old, created_count=3)
    kept = offer_job(editor, dry_run=True, state="done", finished_at=recent, created_count=3)
    running = offer_job(editor, state="running", heartbeat=old)
    addresses = SubscriberImportJob.objects.create(
        data="email\nperson@musterstadt.example\n",
        filename="liste.csv",
        source="event",
        legal_basis="Einwilligung",
        dry_run=True,
        state="done",
        finished_at=old,
        created_count=1,
    )

    assert jobs.forget_files(now=now) == 2
    assert jobs.forget_files(now=now) == 0
    for job in (dry_run, kept, running, addresses):
        job.refresh_from_db()
    assert bytes(dry_run.content) == b"" and addresses.data == ""
    assert bytes(kept.content) == offers_csv(3) and bytes(running.content) == offers_csv(3)

    client.force_login(editor)
    for url, button in (
        (reverse("atlas_import_job", args=[dry_run.pk]), "Jetzt importieren"),
        (reverse("newsletter_import_job", args=[addresses.pk]), "Jetzt 1 Adresse importieren"),
    ):
        page = client.get(url).content.decode()
        assert "Die Datei dieses Probelaufs ist nicht mehr gespeichert" in page
        assert button not in page
    page = client.get(reverse("atlas_import_job", args=[kept.pk])).content.decode()
    assert "Jetzt importieren" in page and "nicht mehr gespeichert" not in page


# --- A real worker process, killed while it writes -----------------------------------------


def _database_for_subprocess(tmp_path):
    if connection.vendor == "sqlite":
        path = tmp_path / "worker.sqlite3"
        connection.ensure_connection()
        target = sqlite3.connect(path)
        connection.connection.backup(target)
        target.close()
        return f"sqlite:///{path}", path
    return "postgres://{USER}@{HOST}:{PORT}/{NAME}".format(**connection.settings_dict), None


def _query(db_path, sql, *params):
    if db_path is None:
        with connection.cursor() as cursor:
            cursor.execute(sql.replace("?", "%s"), params)
            return cursor.fetchone()
    with sqlite3.connect(db_path) as db:
        return db.execute(sql, params).fetchone()


def _django(env, code):
    return subprocess.Popen(
        [KOMMUNE360, "shell", "-c", code],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_while_writing_offers_leaves_nothing_and_the_rerun_imports_once(
    terms, tmp_path
):
    rows = 400
    # A transactional test after another one finds the role groups flushed.
    job = offer_job(UserFactory(is_superuser=True), rows=rows)
    database_url, db_path = _database_for_subprocess(tmp_path)
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "KOMMUNE360_DATA_DIR": str(tmp_path / "data"),
        "KOMMUNE360_TASKS": "immediate",
    }
    worker = _django(
        env, f"from kommune360.atlas.services import run_import_job; run_import_job({job.pk})"
    )
    job_row = "SELECT state, rows_done, rows_total, attempts FROM atlas_offerimportjob WHERE id = ?"
    deadline = time.monotonic() + 120
    while True:  # the file is checked; the offers are being written
        state, done, total, _attempts = _query(db_path, job_row, job.pk)
        if state == "running" and total == rows and done == rows:
            break
        assert worker.poll() is None, worker.stderr.read().decode()[-3000:]
        assert time.monotonic() < deadline, "worker too slow"
        time.sleep(0.01)
    time.sleep(0.3)
    os.kill(worker.pid, signal.SIGKILL)
    worker.wait()

    stderr = worker.stderr.read().decode()[-3000:]
    assert _query(db_path, job_row, job.pk) == ("running", rows, rows, 1), stderr
    assert _query(db_path, "SELECT COUNT(*) FROM atlas_offer") == (0,)

    recover = _django(
        env,
        "from django.utils import timezone; from datetime import timedelta; "
        "from kommune360.core.imports import recover_interrupted; "
        f"print(recover_interrupted(now=timezone.now() + timedelta(seconds={LATER.seconds})))",
    )
    stdout, stderr = recover.communicate(timeout=300)
    assert recover.returncode == 0, stderr.decode()[-3000:]
    assert "{'queued': 1, 'failed': 0}" in stdout.decode()
    assert _query(db_path, job_row, job.pk) == ("done", rows, rows, 2)
    assert _query(db_path, "SELECT COUNT(*), COUNT(DISTINCT title) FROM atlas_offer") == (
        rows,
        rows,
    )


@pytest.mark.parametrize("model", jobs.job_models(), ids=lambda m: m._meta.label)
def test_jetzt_importieren_is_one_step_for_every_import(
    model, editor, django_capture_on_commit_callbacks
):
    """A finished dry run that kept its file becomes the import of that file on the
    same row, once; a dry run without its file and a running job are refused."""
    file = model._meta.get_field(model.file_field)
    content = "email\nx@musterstadt.example\n"
    kept = {
        model.file_field: content.encode() if file.get_internal_type() == "BinaryField" else content
    }
    dry = model.objects.create(dry_run=True, state="done", attempts=1, errors=[[2, "x"]], **kept)
    empty = model.objects.create(dry_run=True, state="done", **model.without_file())
    running = model.objects.create(dry_run=True, state="running", **kept)
    with django_capture_on_commit_callbacks() as queued:
        job = jobs.import_checked(model, dry.pk, editor)
    assert len(queued) == 1  # handed to the task after the commit
    job.refresh_from_db()
    assert (job.pk, job.dry_run, job.state, job.attempts, job.errors, job.actor) == (
        dry.pk,
        False,
        "queued",
        0,
        [],
        editor,
    )
    for other, message in [
        (dry, "bereits importiert"),
        (empty, "Nur ein abgeschlossener Probelauf"),
        (running, "Nur ein abgeschlossener Probelauf"),
    ]:
        with pytest.raises(ValidationError, match=message):
            jobs.import_checked(model, other.pk, editor)
