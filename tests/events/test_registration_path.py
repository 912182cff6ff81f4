"""The registration request: what it asks the database, and the early lock release.

``bench/registration_rush.py`` measures the speed; these tests pin what makes it: the
number of queries of one registration, the order lock → commit → wait for the disk
on PostgreSQL (decision 0023), and the per-process copy of an event's questions and
sessions that must follow every change.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kommune360.events import services
from kommune360.events.models import Registration
from kommune360.events.services import locking
from tests.factories.accounts import UserFactory
from tests.factories.events import EventFactory, QuestionFactory, SessionFactory

Status = Registration.Status
on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL (DATABASE_URL)"
)


def post_registration(client, event):
    return client.post(
        reverse("events:register", args=[event.slug]), {"name": "Erika Beispiel", "privacy": "on"}
    )


@pytest.mark.django_db
def test_registration_post_asks_the_database_a_fixed_number_of_times(
    client, home_page, django_assert_num_queries
):
    event = EventFactory(capacity=1)
    for _ in range(2):
        client.force_login(UserFactory())
        post_registration(client, event)  # the first one reads questions and sessions
    client.force_login(UserFactory())
    # Session, user, event; (savepoint) lock, count, insert, audit entry (release). The
    # questions and sessions come from the process's copy. After the commit (not run
    # inside a test's transaction) follow the mail task's row and, on PostgreSQL, the
    # wait for the disk.
    with django_assert_num_queries(9):
        response = post_registration(client, event)
    assert response.status_code == 302
    statuses = sorted(Registration.objects.values_list("status", flat=True))
    assert statuses == [Status.CONFIRMED, Status.WAITLISTED, Status.WAITLISTED]


@pytest.mark.django_db
def test_changed_questions_and_sessions_reach_the_form_at_once(client, home_page):
    event = EventFactory()
    client.force_login(UserFactory())
    url = reverse("events:register", args=[event.slug])
    assert "Ernährung" not in client.get(url).content.decode()
    question = QuestionFactory(event=event, label="Ernährung")
    session = SessionFactory(event=event, title="Werkstatt Jugendhilfeplanung")
    html = client.get(url).content.decode()
    assert "Ernährung" in html and "Werkstatt Jugendhilfeplanung" in html
    question.delete()
    session.delete()
    html = client.get(url).content.decode()
    assert "Ernährung" not in html and "Werkstatt Jugendhilfeplanung" not in html


@on_postgres
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_lock_released_at_an_asynchronous_commit_and_the_disk_awaited_after():
    event = EventFactory(capacity=5)
    with CaptureQueriesContext(connection) as captured:
        registration = services.register_for_event(
            event, name="Erika Beispiel", email="erika@beispiel.example"
        )
    assert registration.status == Status.CONFIRMED
    sql = [query["sql"] for query in captured.captured_queries]

    def first(fragment):
        return next(n for n, text in enumerate(sql) if fragment in text)

    assert (
        first("SET LOCAL synchronous_commit = off")
        < first("FOR UPDATE")
        < first("COMMIT")
        < first("pg_logical_emit_message")
    )
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")  # SET LOCAL ended with the transaction
        assert cursor.fetchone()[0] != "off"


@on_postgres
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_waiting_for_the_disk_flushes_the_log_past_an_asynchronous_commit():
    event = EventFactory(capacity=5)
    with connection.cursor() as cursor, locking.locked_transaction():
        locking.lock_for_registration(event)
        cursor.execute("SHOW synchronous_commit")
        assert cursor.fetchone()[0] == "off"
        cursor.execute("SELECT pg_current_wal_insert_lsn()")
        before_commit = cursor.fetchone()[0]
    # Back outside: the commit record lies after ``before_commit``, the message written
    # by _wait_until_durable after the commit record, and the log is flushed past it.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_current_wal_flush_lsn() > %s::pg_lsn, pg_current_wal_flush_lsn()",
            [before_commit],
        )
        flushed_past, _ = cursor.fetchone()
    assert flushed_past


@pytest.mark.django_db
def test_nested_in_a_callers_transaction_nothing_is_made_asynchronous():
    # Tests run inside a transaction: the service must not change the caller's commit.
    event = EventFactory(capacity=5)
    with CaptureQueriesContext(connection) as captured:
        services.register_for_event(event, name="Erika Beispiel", email="erika@beispiel.example")
    sql = " ".join(query["sql"] for query in captured.captured_queries)
    assert "synchronous_commit" not in sql and "pg_logical_emit_message" not in sql
