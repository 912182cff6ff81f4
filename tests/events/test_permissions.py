"""Organiser screens per role: only the Redaktion gets in; nobody else changes anything."""

import pytest
from django.urls import reverse

from kommune360.accounts import roles
from kommune360.events import services
from kommune360.events.mail import checkin_token
from kommune360.events.models import Event, Registration
from tests.factories.accounts import UserFactory
from tests.factories.events import EventFactory

Status = Registration.Status
OTHERS = [None, roles.MEMBER, roles.PROVIDER, roles.MODERATOR]


@pytest.fixture
def event(home_page):
    event = EventFactory(title="Netzwerktreffen Rollen", capacity=1)
    services.register_for_event(event, name="Erika Beispiel", email="erika@beispiel.example")
    services.register_for_event(event, name="Max Warte", email="max@beispiel.example")
    return event


def organiser_urls(event):
    confirmed = Registration.objects.get(event=event, status=Status.CONFIRMED)
    return [
        reverse("events_participants", args=[event.pk]),
        reverse("events_export", args=[event.pk, "csv"]),
        reverse("events_export", args=[event.pk, "xlsx"]),
        reverse("events_message", args=[event.pk]),
        reverse("events_cancel_event", args=[event.pk]),
        reverse("events_badges", args=[event.pk]),
        reverse("events_checkin", args=[event.pk]),
        reverse("events_checkin_scan", args=[checkin_token(confirmed)]),
        reverse("events_certificates", args=[event.pk]),
    ]


def log_in(client, role):
    if role is not None:
        client.force_login(UserFactory(roles=[role], is_staff=role in roles.STAFF))


@pytest.mark.parametrize("role", OTHERS, ids=lambda r: r or "anonymous")
def test_others_see_no_organiser_screen_and_change_nothing(client, event, role):
    log_in(client, role)
    for url in organiser_urls(event):
        response = client.get(url)
        assert response.status_code in (302, 403), (url, response.status_code)
        if response.status_code == 302:  # to the login, or staff to the admin's start
            assert "login" in response.url or response.url == "/admin/", url
    confirmed = Registration.objects.get(event=event, status=Status.CONFIRMED)
    client.post(reverse("events_cancel_event", args=[event.pk]), {"confirm": "on"})
    client.post(reverse("events_checkin_scan", args=[checkin_token(confirmed)]))
    client.post(
        reverse("events_message", args=[event.pk]),
        {"to": "all", "subject": "Spam", "text": "Spam"},
    )
    event = Event.objects.get(pk=event.pk)
    confirmed.refresh_from_db()
    assert not event.is_cancelled and confirmed.checked_in_at is None


def test_the_redaktion_opens_every_organiser_screen(client, event):
    log_in(client, roles.EDITOR)
    for url in organiser_urls(event):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
