import re
from datetime import timedelta

import pytest
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from kommune360.core.mail import send_outgoing_mail, send_pending_mail
from kommune360.core.models import AuditEntry, OutgoingMail
from kommune360.events import services
from kommune360.events.models import Registration
from tests.factories.accounts import UserFactory
from tests.factories.events import EventFactory, QuestionFactory, SessionFactory
from tests.newsletter.conftest import free_port

Status = Registration.Status


def register(event, n, **kwargs):
    return services.register_for_event(
        event, name=f"Person {n}", email=f"p{n}@beispiel.example", **kwargs
    )


def counts(event):
    return {
        status: Registration.objects.filter(event=event, status=status).count()
        for status in Status.values
    }


@pytest.mark.django_db
def test_confirmed_until_full_then_waitlisted():
    event = EventFactory(capacity=2)
    assert register(event, 1).status == Status.CONFIRMED
    assert register(event, 2).status == Status.CONFIRMED
    assert register(event, 3).status == Status.WAITLISTED
    assert AuditEntry.objects.filter(action="events.registration_confirmed").count() == 2


@pytest.mark.django_db
def test_full_without_waitlist_is_refused():
    event = EventFactory(capacity=1, waitlist_enabled=False)
    register(event, 1)
    with pytest.raises(services.EventFull):
        register(event, 2)
    assert Registration.objects.filter(event=event).count() == 1


@pytest.mark.django_db
def test_no_one_twice_but_again_after_cancelling():
    event = EventFactory(capacity=5)
    first = register(event, 1)
    with pytest.raises(services.AlreadyRegistered) as caught:
        services.register_for_event(event, name="X", email=" P1@Beispiel.example ")
    assert caught.value.registration == first
    services.cancel_registration(first)
    assert register(event, 1).status == Status.CONFIRMED


@pytest.mark.django_db
def test_constraint_backs_the_rule():
    event = EventFactory()
    register(event, 1)
    with pytest.raises(IntegrityError):
        Registration.objects.create(
            event=event, name="Y", email="p1@beispiel.example", status=Status.WAITLISTED
        )


@pytest.mark.django_db
def test_registration_window():
    now = timezone.now()
    event = EventFactory(registration_opens_at=now + timedelta(days=1))
    with pytest.raises(services.RegistrationClosed):
        register(event, 1)
    event = EventFactory(registration_closes_at=now - timedelta(minutes=1))
    with pytest.raises(services.RegistrationClosed):
        register(event, 1)
    started = EventFactory(starts_at=now - timedelta(hours=1))
    with pytest.raises(services.RegistrationClosed):
        register(started, 1)


@pytest.mark.django_db
def test_required_and_choice_answers_are_checked():
    event = EventFactory()
    diet = QuestionFactory(
        event=event,
        label="Ernährung",
        kind="choice",
        choices="vegetarisch\nvegan\nkeine Angabe",
        required=True,
    )
    with pytest.raises(services.RegistrationError):
        register(event, 1)
    with pytest.raises(services.RegistrationError):
        register(event, 1, answers={diet.pk: "Fisch"})
    registration = register(event, 1, answers={diet.pk: "vegan"})
    assert registration.answers.get().value == "vegan"


@pytest.mark.django_db
def test_cancel_offers_place_to_next_and_accept_confirms(
    django_capture_on_commit_callbacks, mailoutbox
):
    event = EventFactory(capacity=1, offer_hours=48)
    first = register(event, 1)
    second = register(event, 2)
    third = register(event, 3)
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_registration(first)
    second.refresh_from_db()
    assert second.status == Status.OFFERED
    assert second.offer_expires_at > timezone.now() + timedelta(hours=47)
    assert counts(event)[Status.WAITLISTED] == 1
    assert any("Ein Platz ist frei geworden" in m.subject for m in mailoutbox)
    # The offered place is blocked: a newcomer waits.
    assert register(event, 4).status == Status.WAITLISTED
    services.accept_offer(second)
    second.refresh_from_db()
    assert second.status == Status.CONFIRMED
    services.accept_offer(second)  # second click: harmless
    third.refresh_from_db()
    assert third.status == Status.WAITLISTED


@pytest.mark.django_db
def test_decline_moves_on():
    event = EventFactory(capacity=1)
    first = register(event, 1)
    second, third = register(event, 2), register(event, 3)
    services.cancel_registration(first)
    services.decline_offer(Registration.objects.get(pk=second.pk))
    third.refresh_from_db()
    assert third.status == Status.OFFERED
    with pytest.raises(services.OfferNotValid):
        services.accept_offer(second)


@pytest.mark.django_db
def test_unanswered_offers_expire_and_move_on():
    event = EventFactory(capacity=1, offer_hours=48)
    first, second, third = register(event, 1), register(event, 2), register(event, 3)
    services.cancel_registration(first)
    later = timezone.now() + timedelta(hours=49)
    assert services.expire_offers(now=later) == 1
    second.refresh_from_db()
    third.refresh_from_db()
    assert second.status == Status.CANCELLED
    assert third.status == Status.OFFERED
    assert services.expire_offers(now=later) == 0  # idempotent


@pytest.mark.django_db
def test_accepting_after_deadline_fails_and_moves_on():
    event = EventFactory(capacity=1, offer_hours=1)
    first, second, third = register(event, 1), register(event, 2), register(event, 3)
    services.cancel_registration(first)
    with pytest.raises(services.OfferNotValid):
        services.accept_offer(second, now=timezone.now() + timedelta(hours=2))
    third.refresh_from_db()
    assert third.status == Status.OFFERED


@pytest.mark.django_db
def test_leaving_the_waitlist_frees_nothing():
    event = EventFactory(capacity=1)
    register(event, 1)
    waiting = register(event, 2)
    services.cancel_registration(waiting)
    assert counts(event) == {
        Status.CONFIRMED: 1,
        Status.WAITLISTED: 0,
        Status.OFFERED: 0,
        Status.CANCELLED: 1,
    }


@pytest.mark.django_db
def test_raising_capacity_offers_to_the_waitlist_in_order():
    event = EventFactory(capacity=1)
    register(event, 1)
    second, third, fourth = register(event, 2), register(event, 3), register(event, 4)
    services.update_capacity(event, 3)
    assert [
        r.status for r in Registration.objects.filter(pk__in=[second.pk, third.pk, fourth.pk])
    ] == [Status.OFFERED, Status.OFFERED, Status.WAITLISTED]


@pytest.mark.django_db
def test_newcomer_does_not_jump_the_queue_when_places_are_free():
    event = EventFactory(capacity=1)
    register(event, 1)
    waiting = register(event, 2)
    # A place appears without anyone being offered it yet (e.g. edited in the database).
    event.capacity = 2
    event.save(update_fields=["capacity"])
    newcomer = register(event, 3)
    waiting.refresh_from_db()
    assert newcomer.status == Status.WAITLISTED
    assert waiting.status == Status.OFFERED


@pytest.mark.django_db
def test_session_capacity():
    event = EventFactory(capacity=10)
    workshop = SessionFactory(event=event, capacity=1)
    register(event, 1, sessions=[workshop])
    with pytest.raises(services.SessionFull):
        register(event, 2, sessions=[workshop])
    assert Registration.objects.filter(event=event).count() == 1
    other = register(event, 2)
    with pytest.raises(services.SessionFull):
        services.choose_sessions(other, [workshop])
    assert services.session_counts(event) == {workshop.pk: 1}


@pytest.mark.django_db
def test_offer_drops_sessions_that_filled_up():
    event = EventFactory(capacity=1)
    workshop = SessionFactory(event=event, capacity=1)
    first = register(event, 1)
    waiting = register(event, 2, sessions=[workshop])  # wish, not counted while waiting
    services.choose_sessions(first, [workshop])
    services.cancel_registration(first)  # frees both the place and the seat
    waiting.refresh_from_db()
    assert waiting.status == Status.OFFERED
    assert list(waiting.sessions.all()) == [workshop]


@pytest.mark.django_db
def test_check_in_is_idempotent():
    event = EventFactory()
    registration = register(event, 1)
    _, first = services.check_in(registration)
    _, again = services.check_in(registration)
    assert (first, again) == (True, False)
    waiting = register(EventFactory(capacity=0), 2)
    with pytest.raises(services.RegistrationError):
        services.check_in(waiting)


@pytest.mark.django_db
def test_cancel_event_informs_everyone(django_capture_on_commit_callbacks, mailoutbox):
    event = EventFactory(capacity=1)
    register(event, 1)
    register(event, 2)
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_event(event, reason="Der Raum ist nicht verfügbar.")
    assert counts(event)[Status.CANCELLED] == 2
    cancelled = [m for m in mailoutbox if m.subject.startswith("Abgesagt")]
    assert sorted(m.to[0] for m in cancelled) == ["p1@beispiel.example", "p2@beispiel.example"]
    assert "Der Raum ist nicht verfügbar." in cancelled[0].body
    with pytest.raises(services.RegistrationClosed):
        register(event, 3)


@pytest.mark.django_db
def test_confirmation_mail_has_ics_and_qr(django_capture_on_commit_callbacks, mailoutbox):
    event = EventFactory(title="Festival Beispiel", online_url="https://video.beispiel.example/x")
    with django_capture_on_commit_callbacks(execute=True):
        registration = register(event, 1)
    (mail,) = mailoutbox
    assert mail.subject == "Anmeldung bestätigt: Festival Beispiel"
    names = [a[0] for a in mail.attachments]
    assert names == ["veranstaltung.ics", "einlass-qr-code.png"]
    ics = mail.attachments[0][1]
    ics = ics.decode() if isinstance(ics, bytes) else ics
    assert "SUMMARY:Festival Beispiel" in ics
    assert "TZID=Europe/Berlin" in ics
    assert "video.beispiel.example/x" in ics  # the link is for confirmed people
    assert registration.access_key in mail.body


def test_failed_mail_never_blocks_a_registration(
    client, home_page, smtp_sink, settings, django_capture_on_commit_callbacks
):
    """Mail server down: the registration is confirmed, its mail waits in the outbox;
    once the server is up again, the retry delivers it exactly once (real SMTP)."""
    server_port = settings.EMAIL_PORT
    settings.EMAIL_PORT = free_port()  # nobody listens there
    event = EventFactory(title="Netzwerktreffen Ausfall")
    client.force_login(UserFactory(email="p1@beispiel.example"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("events:register", args=[event.slug]), {"name": "Person 1", "privacy": "on"}
        )
    registration = Registration.objects.get(event=event)
    assert registration.status == Status.CONFIRMED
    assert response.status_code == 302 and response.url == registration.get_absolute_url()
    (waiting,) = OutgoingMail.objects.all()
    assert waiting.to == ["p1@beispiel.example"]
    assert waiting.subject == "Anmeldung bestätigt: Netzwerktreffen Ausfall"
    assert waiting.attempts == 1 and waiting.state == OutgoingMail.State.PENDING
    assert waiting.last_error.startswith("ConnectionRefusedError")
    assert smtp_sink.messages == []

    settings.EMAIL_PORT = server_port  # the mail server is back
    with django_capture_on_commit_callbacks(execute=True):
        assert send_pending_mail() == 1
    assert smtp_sink.counts() == {"p1@beispiel.example": 1}
    assert not OutgoingMail.objects.exists()
    ((_, message),) = smtp_sink.parsed()
    assert message["Subject"] == "Anmeldung bestätigt: Netzwerktreffen Ausfall"
    names = [part.get_filename() for part in message.iter_attachments()]
    assert names == ["veranstaltung.ics", "einlass-qr-code.png"]
    # Another retry (the command, a second worker) sends nothing twice.
    assert send_pending_mail() == 0
    assert send_outgoing_mail.enqueue(waiting.pk).return_value == "already-sent"
    assert smtp_sink.counts() == {"p1@beispiel.example": 1}


@pytest.mark.django_db
def test_confirmation_link_carries_the_registration_for_its_event_only(
    monkeypatch, django_capture_on_commit_callbacks, mailoutbox
):
    import time

    from kommune360.events.services import mails

    event, other = EventFactory(), EventFactory()
    session = SessionFactory(event=event)
    with django_capture_on_commit_callbacks(execute=True):
        services.send_confirmation_link(
            event,
            name="Max Muster",
            email="max@beispiel.example",
            organisation="Stadt Musterstadt",
            answers={7: "vegan"},
            sessions=[session],
        )
    (message,) = mailoutbox
    assert message.to == ["max@beispiel.example"]
    token = re.search(r"/bestaetigen/(\S+)/", message.body).group(1)

    assert services.read_confirmation_link(event, token) == {
        "name": "Max Muster",
        "email": "max@beispiel.example",
        "organisation": "Stadt Musterstadt",
        "answers": {7: "vegan"},
        "session_ids": [session.pk],
    }
    assert not Registration.objects.exists()  # nothing stored before the link is followed
    with pytest.raises(services.ConfirmationInvalid):
        services.read_confirmation_link(other, token)
    with pytest.raises(services.ConfirmationInvalid):
        services.read_confirmation_link(event, token[:-2] + "xx")
    later = time.time() + mails.CONFIRM_MAX_AGE + 60
    monkeypatch.setattr("django.core.signing.time.time", lambda: later)
    with pytest.raises(services.ConfirmationExpired):
        services.read_confirmation_link(event, token)
