"""Registration mails: the row carries the mail it needs, one task per event sends them."""

import pytest
from django.db import connection
from django_tasks import default_task_backend

from kommune360.core.models import OutgoingMail
from kommune360.core.registry import registry
from kommune360.events import services
from kommune360.events.models import Registration
from tests.events.test_concurrency import run_threads
from tests.factories.events import EventFactory

DUMMY_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def register(event, n):
    return services.register_for_event(event, name=f"Person {n}", email=f"p{n}@beispiel.example")


def queued_tasks(name):
    return [r for r in default_task_backend.results if r.task.name == name]


def mails_to(address):
    """Mails for ``address`` waiting in the outbox."""
    return sum(address in to for to in OutgoingMail.objects.values_list("to", flat=True))


@pytest.mark.django_db
def test_a_rush_queues_one_task_per_event_not_one_per_registration(
    settings, django_capture_on_commit_callbacks
):
    settings.TASKS = DUMMY_TASKS
    event, other = EventFactory(capacity=3), EventFactory()
    with django_capture_on_commit_callbacks(execute=True):
        people = [register(event, n) for n in range(5)] + [register(other, 9)]
    # One for each event, none per registration, and no mail inside the request.
    assert len(queued_tasks("send_due_mails_task")) == 2
    assert not queued_tasks("send_registration_mail")
    assert OutgoingMail.objects.count() == 0
    assert [p.mail_due for p in people] == ["confirmed"] * 3 + ["waitlisted"] * 2 + ["confirmed"]

    assert services.send_due_mails(event.pk) == 5
    assert Registration.objects.filter(event=event).exclude(mail_due="").count() == 0
    subjects = sorted(OutgoingMail.objects.values_list("subject", flat=True))
    assert subjects == sorted(
        [f"Anmeldung bestätigt: {event.title}"] * 3
        + [f"Sie stehen auf der Warteliste: {event.title}"] * 2
    )
    assert services.send_due_mails(event.pk) == 0  # sent once, never again
    assert OutgoingMail.objects.count() == 5


@pytest.mark.django_db
def test_a_registration_after_the_task_started_queues_the_next_one(
    settings, django_capture_on_commit_callbacks
):
    settings.TASKS = DUMMY_TASKS
    event = EventFactory()
    with django_capture_on_commit_callbacks(execute=True):
        register(event, 1)
        register(event, 2)
    assert len(queued_tasks("send_due_mails_task")) == 1
    services.send_due_mails(event.pk)  # the task starts: it takes the key away first
    with django_capture_on_commit_callbacks(execute=True):
        late = register(event, 3)
    assert len(queued_tasks("send_due_mails_task")) == 2
    assert late.mail_due == "confirmed"
    services.send_due_mails(event.pk)
    assert [mails_to(f"p{n}@beispiel.example") for n in (1, 2, 3)] == [1, 1, 1]


@pytest.mark.django_db
def test_the_periodic_task_sends_what_a_lost_task_left(settings):
    settings.TASKS = DUMMY_TASKS
    event = EventFactory()
    register(event, 1)  # no commit callbacks run: as if the queued task got lost
    assert queued_tasks("send_due_mails_task") == []
    (periodic,) = [p for p in registry.periodic_tasks() if p.name == "events.due_mails"]
    assert periodic.interval.total_seconds() == 60
    assert periodic.task.call() == 1
    assert mails_to("p1@beispiel.example") == 1


@pytest.mark.django_db
def test_a_mail_that_cannot_be_built_does_not_hold_up_the_others(settings, caplog):
    settings.TASKS = DUMMY_TASKS
    event = EventFactory()
    people = [register(event, n) for n in range(3)]
    Registration.objects.filter(pk=people[1].pk).update(mail_due="unbekannt")
    assert services.send_due_mails(event.pk) == 2
    assert [mails_to(f"p{n}@beispiel.example") for n in range(3)] == [1, 0, 1]
    assert not Registration.objects.exclude(mail_due="").exists()  # no endless retry
    assert f"Registration mail {people[1].pk} not built" in caplog.text


@pytest.mark.django_db
def test_with_the_immediate_backend_the_mails_go_out_after_the_commit(
    django_capture_on_commit_callbacks, mailoutbox
):
    event = EventFactory(capacity=1)
    with django_capture_on_commit_callbacks(execute=True):
        register(event, 1)
        register(event, 2)
    assert sorted((m.to[0], m.subject.split(":")[0]) for m in mailoutbox) == [
        ("p1@beispiel.example", "Anmeldung bestätigt"),
        ("p2@beispiel.example", "Sie stehen auf der Warteliste"),
    ]
    assert not Registration.objects.exclude(mail_due="").exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_postgres_workers_sending_at_once_queue_each_mail_once(settings):
    settings.TASKS = DUMMY_TASKS
    event = EventFactory(capacity=500)
    for n in range(250):
        register(event, n)
    sent = run_threads(services.send_due_mails, [(event.pk,)] * 4 + [(None,)] * 2)
    assert sum(sent) == 250
    assert OutgoingMail.objects.count() == 250
    assert OutgoingMail.objects.values("to").distinct().count() == 250
    assert not Registration.objects.exclude(mail_due="").exists()
