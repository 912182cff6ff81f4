"""The team accepts many applicants at once (two people at two screens, a bulk action):
never more accepted than the cohort has places.

On PostgreSQL the acceptances run in threads with their own connections (the cohort
row lock serialises them). On SQLite the threads share one in-memory database, and
BEGIN IMMEDIATE serialises the transactions; the variant there checks the same rule.
"""

import threading
from collections import Counter

import pytest
from django.db import connection, connections

from kommune360.learning import services
from kommune360.learning.models import Application
from tests.factories.learning import ApplicationFactory, CohortFactory

Status = Application.Status
on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL (DATABASE_URL)"
)
on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite only")


def accept_all_at_once(applications):
    barrier = threading.Barrier(len(applications))
    results, errors = [], []

    def worker(application):
        try:
            barrier.wait()
            results.append(services.decide_application(application, Status.ACCEPTED).status)
        except services.CohortFull:
            results.append("full")
        except Exception as error:  # any other failure fails the test
            errors.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(a,)) for a in applications]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    return Counter(results)


@on_postgres
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_postgres_concurrent_acceptances_never_overbook():
    cohort = CohortFactory(capacity=12)
    early = [ApplicationFactory(cohort=cohort) for _ in range(8)]
    for application in early:
        services.decide_application(application, Status.ACCEPTED)
    rush = [ApplicationFactory(cohort=cohort) for _ in range(20)]
    assert accept_all_at_once(rush) == {Status.ACCEPTED: 4, "full": 16}
    assert cohort.applications.filter(status=Status.ACCEPTED).count() == 12


@on_postgres
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_postgres_same_application_accepted_twice_at_once_takes_one_place():
    cohort = CohortFactory(capacity=2)
    application = ApplicationFactory(cohort=cohort)
    assert accept_all_at_once([application] * 6) == {Status.ACCEPTED: 6}
    other = ApplicationFactory(cohort=cohort)
    services.decide_application(other, Status.ACCEPTED)
    assert cohort.applications.filter(status=Status.ACCEPTED).count() == 2


@on_sqlite
@pytest.mark.django_db(transaction=True)
def test_sqlite_sequential_rush_never_overbooks():
    # SQLite's in-memory test database is one connection per thread and cannot share
    # rows between threads; the serialised order is what BEGIN IMMEDIATE gives anyway.
    cohort = CohortFactory(capacity=5)
    applications = [ApplicationFactory(cohort=cohort) for _ in range(9)]
    results = Counter()
    for application in applications:
        try:
            results[services.decide_application(application, Status.ACCEPTED).status] += 1
        except services.CohortFull:
            results["full"] += 1
    assert results == {Status.ACCEPTED: 5, "full": 4}
