"""Names are ordered as people read them: "Person 2" before "Person 10" and "Person
100", in the query itself (``core.sorting``), on SQLite and PostgreSQL; the admin lists
of certificates, check-in and attendance use it."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from kommune360.core.models import Person
from kommune360.core.sorting import by_name, natural_key
from tests.factories.accounts import UserFactory
from tests.factories.events import EventFactory, RegistrationFactory

pytestmark = pytest.mark.django_db

NUMBERS = [100, 2, 10, 1]  # created in this order; read as 1, 2, 10, 100


def test_numbers_in_names_sort_by_their_value_in_the_query():
    names = [f"Beispiel-Person {n}" for n in NUMBERS]
    names += ["Beispiel-Person", "Anna 3", "Beispiel-Person 9 b", "Beispiel-Person 9 a"]
    for name in names:
        Person.objects.create(name=name)

    ordered = list(Person.objects.order_by(*by_name("name")).values_list("name", flat=True))

    assert ordered == [
        "Anna 3",
        "Beispiel-Person",
        "Beispiel-Person 1",
        "Beispiel-Person 2",
        "Beispiel-Person 9 a",
        "Beispiel-Person 9 b",
        "Beispiel-Person 10",
        "Beispiel-Person 100",
    ]
    # Text alone would say 1, 10, 100, 2.
    assert sorted(f"Beispiel-Person {n}" for n in NUMBERS)[:3] == [
        "Beispiel-Person 1",
        "Beispiel-Person 10",
        "Beispiel-Person 100",
    ]


def test_the_database_key_is_the_python_key():
    from django.db.models import Value

    from kommune360.core.sorting import NaturalKey

    Person.objects.create(name="Probe")
    for text in ["Raum 7", "Kohorte 2027, Gruppe 12", "ohne Zahl", "007", "12345678901 x", ""]:
        found = Person.objects.annotate(key=NaturalKey(Value(text))).values_list("key", flat=True)
        assert found.get() == natural_key(text), text


def names_in(html, pattern=r"Beispiel-Person \d+"):
    return [int(found.split()[-1]) for found in re.findall(pattern, html)]


def test_the_event_certificate_list_counts_1_2_10_100(client, home_page):
    event = EventFactory(title="Festival")
    for number in NUMBERS:
        RegistrationFactory(
            event=event, name=f"Beispiel-Person {number}", checked_in_at=timezone.now()
        )
    client.force_login(UserFactory(roles=["Redaktion"]))

    certificates = client.get(reverse("events_certificates", args=[event.pk])).content.decode()
    checkin = client.get(reverse("events_checkin", args=[event.pk])).content.decode()

    assert names_in(certificates) == [1, 2, 10, 100]
    assert names_in(checkin) == [1, 2, 10, 100]


def test_the_cohort_certificate_list_counts_1_2_10_100(client, home_page):
    from kommune360.learning.models import Application
    from tests.factories.learning import ApplicationFactory, FinishedCohortFactory

    cohort = FinishedCohortFactory()
    for number in NUMBERS:
        ApplicationFactory(
            cohort=cohort,
            user=UserFactory(first_name="Beispiel", last_name=f"Teilnehmerin {number}"),
            status=Application.Status.ACCEPTED,
        )
    client.force_login(UserFactory(roles=["Redaktion"]))

    html = client.get(reverse("learning_certificates", args=[cohort.pk])).content.decode()

    assert names_in(html, r"Teilnehmerin \d+") == [1, 2, 10, 100]
