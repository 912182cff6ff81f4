"""Reports arriving at the same moment: every one counts, the third hides (PostgreSQL)."""

import threading

import pytest
from django.db import connection, connections

from kommune360.participation import services
from kommune360.participation.models import Contribution, Status
from tests.factories.participation import CallFactory, ContributionFactory

# Skipped before the database is set up: a transactional test flushes the tables, which
# the browser tests' serialized rollback in the same session would trip over.
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
]


@pytest.mark.django_db(transaction=True)
def test_simultaneous_reports_all_count():
    contribution = ContributionFactory(target=CallFactory())
    barrier = threading.Barrier(4)
    errors = []

    def report(client):
        try:
            barrier.wait()
            services.report(contribution, reason="spam", client=client)
        except Exception as error:  # collected and asserted below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=report, args=(f"client-{n}",)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    contribution.refresh_from_db()
    # Three reports hide it; the fourth finds it hidden already and is refused.
    assert contribution.status == Status.HIDDEN and contribution.hidden_by_reports
    assert contribution.reports.count() == 3
    assert contribution.report_count == 3
    assert len(errors) == 1 and isinstance(errors[0], services.ParticipationError)
    assert Contribution.objects.count() == 1
