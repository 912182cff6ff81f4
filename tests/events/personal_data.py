"""The events app's part of a person's data for the erasure test: a past event attended
with a certificate, and an upcoming one registered for through the form."""

from datetime import timedelta

from django.utils import timezone

from kommune360.core.certificates import issue_certificate
from kommune360.events import services
from kommune360.events.admin_views import certificate_details
from tests.factories.events import EventFactory


def fill(person, client, name, email):
    past = EventFactory(
        title="Netzwerktreffen Nord",
        starts_at=timezone.now() - timedelta(days=3),
        ends_at=timezone.now() - timedelta(days=3) + timedelta(hours=4),
        registration_closes_at=None,
    )
    registration = services.register_for_event(
        past, name=name, email=email, user=person, now=timezone.now() - timedelta(days=10)
    )
    services.check_in(registration)
    issue_certificate(
        registration,
        holder_name=registration.name,
        holder=person,
        title=past.title,
        details=certificate_details(registration),
    )
    upcoming = EventFactory(title="Festival Jugendhilfe")
    response = client.post(
        upcoming.get_absolute_url() + "anmelden/",
        {"name": name, "organisation": "Jugendamt Ostermoor", "privacy": "on"},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert person.event_registrations.count() == 2
