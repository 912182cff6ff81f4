"""Many people register for the last places at the same moment: nobody is overbooked.

On PostgreSQL the registrations run in threads with their own connections (the event
row lock serialises them). On SQLite the same race runs in separate OS processes
against a file database, as gunicorn workers would (BEGIN IMMEDIATE serialises them).
"""

import os
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
from django.db import connection, connections

from kommune360.events import services
from kommune360.events.models import Registration
from tests.factories.events import EventFactory, SessionFactory

Status = Registration.Status
on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL (DATABASE_URL)"
)
on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite only")


def assert_invariants(event):
    holding = Registration.objects.filter(event=event, status__in=Registration.HOLDING).count()
    assert holding <= event.capacity
    emails = Registration.objects.filter(event=event).exclude(status=Status.CANCELLED)
    emails = list(emails.values_list("email", flat=True))
    assert len(emails) == len(set(emails)), "someone is registered twice"
    return holding


def run_threads(target, args_list):
    barrier = threading.Barrier(len(args_list))
    results, errors = [], []

    def worker(args):
        try:
            barrier.wait()
            results.append(target(*args))
        except services.RegistrationError as error:
            results.append(type(error).__name__)
        except Exception as error:  # any other failure fails the test below
            errors.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(args,)) for args in args_list]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    return results


@on_postgres
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_postgres_rush_for_the_last_places():
    event = EventFactory(capacity=40)
    for n in range(35):
        services.register_for_event(event, name=f"Früh {n}", email=f"frueh{n}@beispiel.example")

    def register(n):
        return services.register_for_event(
            event, name=f"Person {n}", email=f"rush{n}@beispiel.example"
        ).status

    results = run_threads(register, [(n,) for n in range(40)])
    assert Counter(results) == {Status.CONFIRMED: 5, Status.WAITLISTED: 35}
    assert assert_invariants(event) == 40


@on_postgres
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_postgres_same_person_twice_at_once():
    event = EventFactory(capacity=10)

    def register(n):
        return services.register_for_event(
            event, name="Doppelt", email="doppelt@beispiel.example"
        ).status

    results = run_threads(register, [(n,) for n in range(12)])
    assert Counter(results) == {Status.CONFIRMED: 1, "AlreadyRegistered": 11}
    assert_invariants(event)


@on_postgres
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_postgres_cancellations_offers_and_registrations_race():
    event = EventFactory(capacity=10, offer_hours=48)
    confirmed = [
        services.register_for_event(event, name=f"A{n}", email=f"a{n}@beispiel.example")
        for n in range(10)
    ]
    for n in range(10):
        services.register_for_event(event, name=f"W{n}", email=f"w{n}@beispiel.example")

    def cancel(registration):
        return services.cancel_registration(registration).status

    def register(n):
        return services.register_for_event(
            event, name=f"N{n}", email=f"neu{n}@beispiel.example"
        ).status

    def accept_any(n):
        offered = Registration.objects.filter(event=event, status=Status.OFFERED).first()
        return services.accept_offer(offered).status if offered else "none"

    jobs = (
        [(cancel, (r,)) for r in confirmed[:6]]
        + [(register, (n,)) for n in range(10)]
        + [(accept_any, (n,)) for n in range(6)]
    )
    run_threads(lambda fn, args: fn(*args), jobs)
    assert assert_invariants(event) == 10  # every freed place is held again at once


@on_postgres
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_postgres_rush_for_the_last_seats_of_a_session():
    event = EventFactory(capacity=50)
    session = SessionFactory(event=event, capacity=5)

    def register(n):
        return services.register_for_event(
            event, name=f"Person {n}", email=f"werkstatt{n}@beispiel.example", sessions=[session]
        ).status

    results = run_threads(register, [(n,) for n in range(20)])
    assert Counter(results) == {Status.CONFIRMED: 5, "SessionFull": 15}
    assert services.session_counts(event) == {session.pk: 5}
    assert_invariants(event)


@on_sqlite
@pytest.mark.django_db(transaction=True)
def test_sqlite_rush_from_several_processes(tmp_path):
    event = EventFactory(capacity=30)
    for n in range(25):
        services.register_for_event(event, name=f"Früh {n}", email=f"frueh{n}@beispiel.example")
    # The test database lives in memory; the workers need a file, so copy it.
    database = tmp_path / "rush.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(database)
    connection.connection.backup(target)
    target.close()

    start_at = time.time() + 4
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "KOMMUNE360_DATA_DIR": str(tmp_path / "data"),
        "KOMMUNE360_TASKS": "immediate",
    }
    env.pop("PYTEST_XDIST_WORKER", None)
    worker = Path(__file__).with_name("rush_worker.py")
    processes = [
        subprocess.Popen(
            [sys.executable, str(worker), str(event.pk), str(start_at)]
            + [f"p{p}-{n}@beispiel.example" for n in range(5)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for p in range(4)
    ]
    results = []
    for process in processes:
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err[-2000:]
        results += out.split()
    assert Counter(results) == {Status.CONFIRMED: 5, Status.WAITLISTED: 15}

    check = sqlite3.connect(database)
    holding = check.execute(
        "SELECT COUNT(*) FROM events_registration WHERE event_id = ? AND status IN (?, ?)",
        (event.pk, Status.CONFIRMED, Status.OFFERED),
    ).fetchone()[0]
    duplicates = check.execute(
        "SELECT COUNT(*) FROM (SELECT email FROM events_registration WHERE event_id = ? "
        "AND status != 'cancelled' GROUP BY email HAVING COUNT(*) > 1)",
        (event.pk,),
    ).fetchone()[0]
    check.close()
    assert (holding, duplicates) == (30, 0)
