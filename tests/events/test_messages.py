"""Organisers' messages to the participants or the waitlist, delivered over real SMTP.

Who holds a place (confirmed or offered) gets exactly one mail from "alle
Teilnehmer:innen", the waitlist exactly one from "die Warteliste", cancelled people
none. The request only enqueues tasks after its commit; the tasks put the mails into
the outbox and the outbox task delivers them.
"""

import pytest
from django.urls import reverse

from kommune360.accounts import roles
from kommune360.core.models import AuditEntry, OutgoingMail
from kommune360.events import services
from kommune360.events.models import Registration
from tests.factories.accounts import UserFactory
from tests.factories.events import EventFactory

Status = Registration.Status
CONFIRMED = ["anna@beispiel.example", "bert@beispiel.example"]
OFFERED = ["carla@beispiel.example"]
WAITLISTED = ["emil@beispiel.example", "frida@beispiel.example"]
CANCELLED = ["dora@beispiel.example", "gustav@beispiel.example"]


@pytest.fixture
def event(home_page):
    event = EventFactory(title="Fellow-Treffen Nachricht", capacity=3)
    people = {}
    for email in ["anna", "bert", "dora", "carla", "emil", "frida", "gustav"]:
        people[email] = services.register_for_event(
            event, name=email.title(), email=f"{email}@beispiel.example"
        )
    services.cancel_registration(people["dora"], notify=False)  # Carla is offered her place
    services.cancel_registration(people["gustav"], notify=False)  # left the waitlist
    by_status = {
        status: sorted(
            Registration.objects.filter(event=event, status=status).values_list("email", flat=True)
        )
        for status in Status.values
    }
    assert by_status == {
        Status.CONFIRMED: CONFIRMED,
        Status.OFFERED: OFFERED,
        Status.WAITLISTED: WAITLISTED,
        Status.CANCELLED: CANCELLED,
    }
    return event


@pytest.fixture
def editor(client, home_page):
    editor = UserFactory(roles=[roles.EDITOR], is_staff=True)
    client.force_login(editor)
    return editor


@pytest.mark.parametrize(
    "to, receivers",
    [("all", CONFIRMED + OFFERED), ("waitlisted", WAITLISTED)],
    ids=["participants", "waitlist"],
)
def test_each_receiver_gets_one_mail_through_the_outbox(
    client, editor, event, smtp_sink, django_capture_on_commit_callbacks, to, receivers
):
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(
            reverse("events_message", args=[event.pk]),
            {"to": to, "subject": "Neuigkeiten zum Treffen", "text": "Bitte Laptop mitbringen."},
        )
    assert response.status_code == 302
    # Inside the request nothing was sent and nothing built: one task per person waits
    # for the commit.
    assert smtp_sink.messages == [] and not OutgoingMail.objects.exists()
    assert len(callbacks) == len(receivers)
    entry = AuditEntry.objects.get(action="events.message_sent")
    assert entry.data["count"] == len(receivers) and entry.data["to"] == to

    with django_capture_on_commit_callbacks(execute=True):
        for callback in callbacks:
            callback()  # the task queues its mail; the outbox task sends it after the commit
    assert dict(smtp_sink.counts()) == dict.fromkeys(receivers, 1)
    for rcpt, message in smtp_sink.parsed():
        assert message["Subject"] == "Neuigkeiten zum Treffen"
        body = message.get_body(("plain",)).get_content()
        assert "Bitte Laptop mitbringen." in body
        registration = Registration.objects.get(event=event, email=rcpt)
        assert registration.get_absolute_url() in body  # each their own link
    assert not OutgoingMail.objects.exists()  # delivered rows are gone


@pytest.mark.parametrize(
    "role",
    [None, roles.MEMBER, roles.PROVIDER, roles.MODERATOR, roles.EDITOR],
    ids=["anonymous", "member", "provider", "moderator", "editor"],
)
def test_only_organisers_may_send_a_message(
    client, event, role, smtp_sink, django_capture_on_commit_callbacks
):
    if role is not None:
        client.force_login(UserFactory(roles=[role], is_staff=role in roles.STAFF))
    url = reverse("events_message", args=[event.pk])
    form = client.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"to": "all", "subject": "Betreff", "text": "Hallo"})
    sent = AuditEntry.objects.filter(action="events.message_sent").exists()
    if role == roles.EDITOR:
        assert form.status_code == 200 and response.status_code == 302
        assert sent and sorted(smtp_sink.counts()) == sorted(CONFIRMED + OFFERED)
    else:
        assert form.status_code in (302, 403) and response.status_code in (302, 403)
        if response.status_code == 302:  # to the login, or staff to the admin's start
            assert "login" in response.url or response.url == "/admin/", response.url
        assert not sent and smtp_sink.messages == [] and not OutgoingMail.objects.exists()
