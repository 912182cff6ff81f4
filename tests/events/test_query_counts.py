"""Lists of the events app run a constant number of queries, whatever their length."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from kommune360.events import admin_views
from tests.factories.accounts import UserFactory
from tests.factories.events import (
    EventFactory,
    QuestionFactory,
    RegistrationFactory,
    SessionFactory,
)

pytestmark = pytest.mark.django_db

PARTICIPANTS_QUERIES = 18
MY_REGISTRATIONS_QUERIES = 6


def participants_url(rows):
    event = EventFactory(capacity=None)
    question = QuestionFactory(event=event, label="Ernährung")
    session = SessionFactory(event=event)
    for registration in RegistrationFactory.create_batch(rows, event=event):
        registration.answers.create(question=question, value="vegan")
        registration.sessions.add(session)
    return reverse("events_participants", args=[event.pk])


@pytest.mark.parametrize("rows", [1, 30])
def test_the_participants_list_runs_a_fixed_number_of_queries(
    client, home_page, rows, django_assert_num_queries
):
    client.force_login(UserFactory(roles=["Redaktion"]))
    url = participants_url(rows)
    client.get(url)

    with django_assert_num_queries(PARTICIPANTS_QUERIES):
        assert client.get(url).status_code == 200


def test_the_participants_list_is_paginated(client, home_page, settings, monkeypatch):
    monkeypatch.setattr(admin_views, "PARTICIPANTS_PER_PAGE", 10)
    client.force_login(UserFactory(roles=["Redaktion"]))
    url = participants_url(25)

    first = client.get(url).content.decode()
    last = client.get(url, {"p": 3}).content.decode()

    assert first.count("<tr><td>Person ") == 10 and "Seite 1 von 3" in first
    assert last.count("<tr><td>Person ") == 5
    assert "bestätigt: 25" in first  # the counts cover every page


@pytest.mark.parametrize("rows", [1, 30])
def test_my_registrations_run_a_fixed_number_of_queries(
    client, home_page, rows, django_assert_num_queries
):
    member = UserFactory()
    now = timezone.now()
    for n in range(rows):
        starts = now + timedelta(days=n - rows // 2)
        event = EventFactory(starts_at=starts, ends_at=starts + timedelta(hours=2))
        RegistrationFactory(event=event, user=member, email=member.email)
    client.force_login(member)
    url = reverse("events:mine")
    client.get(url)

    with django_assert_num_queries(MY_REGISTRATIONS_QUERIES):
        assert client.get(url).status_code == 200
