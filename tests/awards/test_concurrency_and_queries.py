"""Two jurors submitting at once (PostgreSQL), and the jury's lists at a fixed number of
queries, however many applications there are."""

import threading

import pytest
from django.db import connection, connections
from django.urls import reverse

from kommune360.awards.models import Review, Round
from kommune360.awards.services import jury, rounds
from tests.factories.accounts import UserFactory

from .conftest import make_round, submitted

on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL (DATABASE_URL)"
)


def _round_in_review(places, jurors, count):
    round_ = make_round(title=f"Runde mit {count}", reviews_per_application=len(jurors))
    round_.jurors.set(jurors)
    round_.save()
    spots = [places["musterstadt"], places["neustadt"]]
    apps = [submitted(round_, spots[n % 2], title=f"Lösung {n}") for n in range(count)]
    rounds.change_phase(round_, Round.Phase.REVIEW, None)
    jury.assign(round_, None)
    return round_, apps


def _submit(application, juror):
    criteria = application.round.criteria.all()
    return jury.save_review(
        application,
        juror,
        scores={c.pk: (3, "") for c in criteria},
        recommendation="award",
        comment="Gut.",
        meeting_note="",
        submit=True,
    )


@on_postgres
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_postgres_two_jurors_and_a_double_click_submit_at_once(places):
    jurors = [
        UserFactory(roles=["Jury"], email=f"j{n}@jury{n}.example", municipality=places["probstadt"])
        for n in range(2)
    ]
    round_, apps = _round_in_review(places, jurors, 1)
    application = apps[0]
    tasks = [jurors[0], jurors[1], jurors[1], jurors[0]]
    barrier = threading.Barrier(len(tasks))
    errors = []

    def worker(juror):
        try:
            barrier.wait()
            _submit(application, juror)
        except Exception as error:
            errors.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(j,)) for j in tasks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    reviews = Review.objects.filter(application=application)
    assert sorted(reviews.values_list("juror_id", flat=True)) == sorted(j.pk for j in jurors)
    assert all(r.scores.count() == round_.criteria.count() for r in reviews)


@on_postgres
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_postgres_a_double_click_on_apply_makes_one_draft(places):
    from kommune360.awards.models import Application
    from kommune360.awards.services.applications import ApplicationError, start_application

    from .conftest import details

    round_ = make_round(title="Runde mit Doppelklick")
    applicant = UserFactory(email="anna@stadt-a.example")
    barrier = threading.Barrier(4)
    refused, errors = [], []

    def apply():
        try:
            barrier.wait()
            start_application(round_, applicant, details(places["musterstadt"]))
        except ApplicationError:
            refused.append(1)
        except Exception as error:
            errors.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=apply) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert Application.objects.filter(round=round_, applicant=applicant).count() == 1
    assert len(refused) == 3


def _queries(client, url):
    """Counted as they run: Django empties its debug query log at each request's start,
    so ``CaptureQueriesContext`` miscounts a second request in the same test."""
    count = 0

    def counter(execute, sql, params, many, context):
        nonlocal count
        count += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counter):
        assert client.get(url).status_code == 200
    return count


@pytest.mark.django_db
def test_shortlist_and_meeting_queries_do_not_grow(client, home_page, places):
    counts = {}
    for size in (2, 8):
        juror = UserFactory(
            roles=["Jury"], email=f"q{size}@jury-q{size}.example", municipality=places["probstadt"]
        )
        round_, apps = _round_in_review(places, [juror], size)
        for application in apps:
            _submit(application, juror)
        rounds.change_phase(round_, Round.Phase.DECISION, None)
        client.force_login(juror)
        counts[size] = (
            _queries(client, reverse("awards_shortlist", args=[round_.pk])),
            _queries(client, reverse("awards_meeting", args=[round_.pk])),
        )
    assert counts[2] == counts[8]
