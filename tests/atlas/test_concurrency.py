"""Things that happen twice at the same moment in the atlas: clicks on „Jetzt
importieren“, deliveries of the import task, runs of the monthly reminder.

Threads with their own PostgreSQL connections; the job row (import) and the provider
row (reminder) are locked while deciding.
"""

import threading
from collections import Counter
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.utils import timezone

from kommune360.atlas import services
from kommune360.atlas.models import Offer, OfferImportJob
from kommune360.core.models import AuditEntry
from tests.factories.accounts import UserFactory
from tests.factories.atlas import OfferFactory, ProviderFactory
from tests.factories.core import FormatFactory, TargetGroupFactory

# Skipped before the database is set up: a transactional test flushes the tables, which
# the browser tests' serialized rollback in the same session would trip over.
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]

CSV = "\n".join(
    [
        "Titel;Kurzbeschreibung;Anbieter:in;Art der Anbieter:in;Format;Zielgruppen",
        *(
            f"Angebot {n};Kurz;Neue Stiftung {n % 3};Stiftung;Workshop/Seminar;Jugendhilfeplanung"
            for n in range(30)
        ),
    ]
).encode()


def at_once(target, count):
    """Run ``target()`` in ``count`` threads released together; their results or the
    names of the errors they raised."""
    barrier = threading.Barrier(count)
    results = []

    def run():
        try:
            connection.ensure_connection()  # connected before the start, not after
            barrier.wait()
            results.append(target())
        except Exception as error:  # counted by the test
            results.append(type(error).__name__)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    return results


@pytest.fixture
def editor():
    FormatFactory(name="Workshop/Seminar")
    TargetGroupFactory(name="Jugendhilfeplanung")
    # A transactional test flushes the tables, the role groups included.
    return UserFactory(is_superuser=True)


def test_postgres_many_clicks_on_import_now_import_the_file_once(editor):
    # Autocommit: the task (immediate backend) runs when the upload commits.
    dry = services.start_import(editor, filename="a.csv", content=CSV, dry_run=True)
    dry.refresh_from_db()
    assert (dry.state, dry.created_count, dry.errors) == ("done", 30, [])

    def click():
        services.import_checked_file(editor, dry)  # its task runs in this thread
        return "imported"

    results = at_once(click, 6)
    assert Counter(results) == {"imported": 1, "ValidationError": 5}
    dry.refresh_from_db()
    assert (dry.state, dry.dry_run, dry.created_count, bytes(dry.content)) == (
        "done",
        False,
        30,
        b"",
    )
    assert Offer.objects.count() == 30
    assert AuditEntry.objects.filter(action="atlas.offers_imported").count() == 1
    assert AuditEntry.objects.filter(action="atlas.provider_created").count() == 3


def test_postgres_task_delivered_several_times_at_once_imports_once(editor, caplog):
    # Only known providers: no unique provider name would stop a second run by chance.
    for n in range(3):
        ProviderFactory(name=f"Neue Stiftung {n}")
    job = OfferImportJob.objects.create(actor=editor, filename="a.csv", content=CSV, dry_run=False)

    results = at_once(lambda: services.run_import_job(job.pk), 4)
    assert results == [None] * 4
    # The other deliveries left the job alone; none ran into the unique slugs and failed.
    assert not [r.getMessage() for r in caplog.records if r.levelname == "ERROR"]
    job.refresh_from_db()
    assert (job.state, job.created_count) == ("done", 30)
    assert Offer.objects.count() == 30
    assert AuditEntry.objects.filter(action="atlas.offers_imported").count() == 1
    with pytest.raises(ValidationError):
        services.import_checked_file(editor, job)


def test_postgres_two_reminder_runs_at_once_mail_each_provider_once(mailoutbox):
    from kommune360.core.registry import registry

    reminder = next(p for p in registry.periodic_tasks() if p.name == "atlas.remind_stale_offers")
    old = timezone.localdate() - timedelta(days=400)
    providers = []
    for n in range(8):
        account = UserFactory(email=f"anbieterin{n}@beispiel.example")
        provider = ProviderFactory(name=f"Akademie {n}", maintainers=[account])
        OfferFactory(provider=provider, title=f"Alt {n} A", last_checked=old)
        OfferFactory(provider=provider, title=f"Alt {n} B", last_checked=old)
        providers.append(provider)

    results = at_once(lambda: reminder.task.enqueue().return_value, 2)
    assert all(isinstance(r, int) for r in results) and sum(results) == 8, results
    recipients = Counter(address for message in mailoutbox for address in message.to)
    assert recipients == {f"anbieterin{n}@beispiel.example": 1 for n in range(8)}
    assert AuditEntry.objects.filter(action="atlas.stale_reminder").count() == 8
    # Later runs in the same month send nothing more.
    assert reminder.task.enqueue().return_value == 0
    assert len(mailoutbox) == 8


def test_postgres_an_import_being_written_is_not_queued_again(editor):
    """The storing transaction holds the job row; the recovery skips it however old its
    last sign of life, and queues it only once the writer's connection is gone."""
    from django.db import transaction

    from kommune360.core import imports as jobs

    job = OfferImportJob.objects.create(actor=editor, filename="a.csv", content=CSV, dry_run=False)
    running = jobs.take(OfferImportJob, job.pk)
    writing, written = threading.Event(), threading.Event()

    def writer():
        try:
            with transaction.atomic():
                jobs.claim(running)
                writing.set()
                written.wait(30)
        finally:
            connections.close_all()

    thread = threading.Thread(target=writer)
    thread.start()
    assert writing.wait(30)
    later = timezone.now() + jobs.STALE_AFTER + timedelta(minutes=1)
    try:
        assert jobs.recover_interrupted(now=later) == {"queued": 0, "failed": 0}
    finally:
        written.set()
        thread.join(30)
    # The writer's transaction ended without storing anything (as if its worker died).
    assert jobs.recover_interrupted(now=later) == {"queued": 1, "failed": 0}
    # The queued task ran when the recovery committed (immediate task backend); a
    # second delivery changes nothing.
    services.run_import_job(job.pk)
    job.refresh_from_db()
    assert (job.state, job.attempts, job.created_count) == ("done", 2, 30)
    assert Offer.objects.count() == 30


def test_postgres_the_same_request_sent_at_once_is_stored_once():
    from django.contrib.auth.models import Group

    from kommune360.atlas import provider_requests
    from kommune360.atlas.models import ProviderRequest

    member = UserFactory()

    results = at_once(
        lambda: provider_requests.request_provider_role(member, name="Neue Akademie").pk, 6
    )

    assert Counter(type(r) for r in results) == Counter({int: 1, str: 5})
    assert {r for r in results if isinstance(r, str)} == {"ValidationError"}
    assert ProviderRequest.objects.count() == 1

    # Two editors deciding at once: one decision counts, the other is told.
    Group.objects.get_or_create(name="Anbieter:in")
    request = ProviderRequest.objects.get()
    editors = [UserFactory(is_superuser=True) for _ in range(2)]
    decisions = iter(
        [
            lambda: provider_requests.approve_request(editors[0], request, type="verein").status,
            lambda: provider_requests.decline_request(editors[1], request).status,
        ]
    )
    lock = threading.Lock()

    def decide():
        with lock:
            step = next(decisions)
        return step()

    outcome = at_once(decide, 2)
    (winner,) = [result for result in outcome if result != "ValidationError"]
    assert outcome.count("ValidationError") == 1 and winner in ("abgelehnt", "angenommen")
    request.refresh_from_db()
    assert request.status == winner
    assert (
        AuditEntry.objects.filter(action__startswith="atlas.provider_request_")
        .exclude(action="atlas.provider_request_created")
        .count()
        == 1
    )
