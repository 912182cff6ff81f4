import json
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from kommune360.events import services
from kommune360.events.models import Postcard, Registration
from tests.factories.accounts import UserFactory
from tests.factories.events import (
    EventFactory,
    OnlineEventFactory,
    QuestionFactory,
    SessionFactory,
)

Status = Registration.Status


@pytest.fixture
def event(home_page):
    return EventFactory(title="Netzwerktreffen Beispielstadt", capacity=2)


def register(event, n):
    return services.register_for_event(event, name=f"Person {n}", email=f"p{n}@beispiel.example")


def test_list_shows_upcoming_with_constant_queries(client, home_page, django_assert_num_queries):
    for n in range(3):
        EventFactory(title=f"Kommend {n}")
    EventFactory(title="Vorbei", starts_at=timezone.now() - timedelta(days=30))
    EventFactory(title="Entwurf", is_published=False)
    client.get(reverse("events:list"))  # warm site settings caches
    with django_assert_num_queries(7):
        response = client.get(reverse("events:list"))
    html = response.content.decode()
    assert "Kommend 0" in html and "Kommend 2" in html
    assert "Vorbei" not in html and "Entwurf" not in html
    for n in range(10):
        EventFactory(title=f"Mehr {n}")
    with django_assert_num_queries(7):
        client.get(reverse("events:list"))
    past = client.get(reverse("events:list") + "?zeit=vergangen").content.decode()
    assert "Vorbei" in past and "Kommend 0" not in past


def test_list_filters(client, home_page):
    EventFactory(title="Vor Ort in Musterstadt")
    OnlineEventFactory(title="Online-Sprechstunde")
    html = client.get(reverse("events:list") + "?ort=online").content.decode()
    assert "Online-Sprechstunde" in html and "Vor Ort in Musterstadt" not in html
    html = client.get(reverse("events:list") + "?art=online-format").content.decode()
    assert "Online-Sprechstunde" in html and "Vor Ort in Musterstadt" not in html


def test_detail_has_json_ld_and_hides_the_online_link(client, home_page, django_assert_num_queries):
    event = OnlineEventFactory(title="Digitale Werkstatt")
    SessionFactory(event=event, title="Einstieg")
    client.get(event.get_absolute_url())
    with django_assert_num_queries(6):
        response = client.get(event.get_absolute_url())
    html = response.content.decode()
    assert "video.beispiel.example" not in html
    data = json.loads(re.search(r'application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert data["@type"] == "Event"
    assert data["name"] == "Digitale Werkstatt"
    assert data["eventAttendanceMode"].endswith("OnlineEventAttendanceMode")
    assert data["startDate"].endswith("+01:00") or data["startDate"].endswith("+02:00")
    assert "Einstieg" in html


def test_unpublished_detail_is_404(client, home_page):
    event = EventFactory(is_published=False)
    assert client.get(event.get_absolute_url()).status_code == 404


def test_logged_in_registration(client, event, django_capture_on_commit_callbacks, mailoutbox):
    user = UserFactory(first_name="Erika", last_name="Beispiel")
    QuestionFactory(event=event, label="Rolle", kind="yes_no", required=True)
    client.force_login(user)
    url = reverse("events:register", args=[event.slug])
    form = client.get(url).content.decode()
    assert 'value="Erika Beispiel"' in form
    question = event.questions.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {"name": "Erika Beispiel", "privacy": "on", f"q_{question.pk}": "ja"}
        )
    registration = Registration.objects.get()
    assert response.status_code == 302
    assert response.url == registration.get_absolute_url()
    assert registration.user == user and registration.email == user.email
    assert registration.answers.get().value == "ja"
    assert mailoutbox[0].subject.startswith("Anmeldung bestätigt")
    # "Meine Anmeldungen"
    html = client.get(reverse("events:mine")).content.decode()
    assert event.title in html


def test_form_errors_keep_input(client, event):
    response = client.post(
        reverse("events:register", args=[event.slug]), {"name": "Ohne Adresse", "email": "kaputt"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="Ohne Adresse"' in html
    assert "aria-invalid" in html
    assert not Registration.objects.exists()


def test_anonymous_registration_needs_the_mailed_link(
    client, event, django_capture_on_commit_callbacks, mailoutbox
):
    url = reverse("events:register", args=[event.slug])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {"name": "Max Muster", "email": "max@beispiel.example", "privacy": "on"}
        )
    assert "Fast geschafft" in response.content.decode()
    assert not Registration.objects.exists()  # nothing stored before the address is confirmed
    (message,) = mailoutbox
    link = re.search(r"http://\S+/bestaetigen/\S+/", message.body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    assert client.get("/" + path).status_code == 200
    assert not Registration.objects.exists()  # a GET (mail scanner) registers nobody
    response = client.post("/" + path)
    registration = Registration.objects.get()
    assert registration.status == Status.CONFIRMED
    assert response.url == registration.get_absolute_url()
    again = client.post("/" + path)  # second click
    assert again.url == registration.get_absolute_url()
    assert Registration.objects.count() == 1
    tampered = "/" + path[:-3] + "xx/"
    assert client.post(tampered).status_code == 404


def test_waitlist_offer_accept_through_pages(
    client, event, django_capture_on_commit_callbacks, mailoutbox
):
    first, _ = register(event, 1), register(event, 2)
    waiting = register(event, 3)
    page = client.get(waiting.get_absolute_url()).content.decode()
    assert "Warteliste" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("events:cancel", args=[first.access_key]))
    waiting.refresh_from_db()
    assert waiting.status == Status.OFFERED
    offer_mail = [m for m in mailoutbox if m.to == ["p3@beispiel.example"]][-1]
    assert waiting.get_absolute_url() in offer_mail.body
    page = client.get(waiting.get_absolute_url()).content.decode()
    assert "Platz annehmen" in page
    assert client.get(reverse("events:accept", args=[waiting.access_key])).status_code == 405
    client.post(reverse("events:accept", args=[waiting.access_key]))
    waiting.refresh_from_db()
    assert waiting.status == Status.CONFIRMED
    assert "<svg" in client.get(waiting.get_absolute_url()).content.decode()


def test_decline_and_leave_waitlist(client, event):
    first, _ = register(event, 1), register(event, 2)
    offered, waiting = register(event, 3), register(event, 4)
    services.cancel_registration(first)
    client.post(reverse("events:decline", args=[offered.access_key]))
    waiting.refresh_from_db()
    assert waiting.status == Status.OFFERED
    fifth = register(event, 5)
    client.post(reverse("events:cancel", args=[fifth.access_key]))
    fifth.refresh_from_db()
    assert fifth.status == Status.CANCELLED


def test_online_link_only_for_confirmed(client, home_page):
    event = OnlineEventFactory(capacity=1)
    confirmed, waiting = register(event, 1), register(event, 2)
    assert "video.beispiel.example" in client.get(confirmed.get_absolute_url()).content.decode()
    assert "video.beispiel.example" not in client.get(waiting.get_absolute_url()).content.decode()
    waiting_ics = client.get(reverse("events:registration_ics", args=[waiting.access_key]))
    assert b"video.beispiel.example" not in waiting_ics.content


def test_unknown_registration_key_is_404(client, home_page):
    assert client.get(reverse("events:registration", args=["nichtda"])).status_code == 404


def test_calendar_feed_and_single_event(client, home_page):
    EventFactory(title="Im Feed")
    EventFactory(title="Nicht im Feed", is_published=False)
    response = client.get(reverse("events:calendar"))
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert "SUMMARY:Im Feed" in body and "Nicht im Feed" not in body
    assert "BEGIN:VTIMEZONE" in body
    event = EventFactory(title="Einzeln")
    single = client.get(reverse("events:ics", args=[event.slug])).content.decode()
    assert single.count("BEGIN:VEVENT") == 1 and "SUMMARY:Einzeln" in single


def test_postcard_after_the_event(
    client, home_page, django_capture_on_commit_callbacks, mailoutbox
):
    event = EventFactory(title="Festival Beispiel")
    registration = register(event, 1)
    url = reverse("events:postcard", args=[registration.access_key])
    assert client.get(url).status_code == 302  # not before the event
    event.starts_at = timezone.now() - timedelta(days=2)
    event.ends_at = timezone.now() - timedelta(days=1)
    event.save()
    mailoutbox.clear()
    data = {
        "sender_name": "Ihre Bank: Konto gesperrt, jetzt entsperren",
        "recipient": "chefin@beispiel.example",
        "message": "Das müssen wir bei uns auch ausprobieren!",
    }
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, data)
    (card,) = mailoutbox
    assert card.to == ["chefin@beispiel.example"]
    assert "Das müssen wir bei uns auch ausprobieren!" in card.body
    # The recipient asked for nothing: the sender's name is in the body, not the subject.
    assert card.subject.startswith("Eine Postkarte über ") and "Bank" not in card.subject
    assert "Ihre Bank: Konto gesperrt, jetzt entsperren" in card.body
    assert Postcard.objects.count() == 1
    # The address is stored nowhere once the mail is out.
    from kommune360.core.models import AuditEntry, OutgoingMail

    assert not OutgoingMail.objects.exists()
    assert "chefin" not in str(list(AuditEntry.objects.values_list("data", flat=True)))
    for _ in range(6):
        client.post(url, data)
    assert Postcard.objects.count() == services.POSTCARDS_PER_REGISTRATION
    from kommune360.core.registry import registry

    figure = next(f for f in registry.figures() if f.key == "events.postcards")
    assert figure.compute() == services.POSTCARDS_PER_REGISTRATION


def test_personal_data_export_and_erase(home_page):
    from kommune360.accounts.services import delete_account, export_personal_data

    user = UserFactory()
    event = EventFactory(capacity=1)
    mine = services.register_for_event(event, name="Ich", email=user.email, user=user)
    waiting = register(event, 9)
    exported = export_personal_data(user)["sections"]["events"]["data"]
    assert exported[0]["event"] == event.title and exported[0]["status"] == "bestätigt"
    delete_account(user)
    assert not Registration.objects.filter(pk=mine.pk).exists()
    waiting.refresh_from_db()
    assert waiting.status == Status.OFFERED  # the place went on


def test_demo_is_idempotent_and_has_the_festival_programme(client, home_page):
    from kommune360.core.demo import load_core_demo
    from kommune360.events.demo import load_events_demo
    from kommune360.events.models import Event

    load_core_demo()
    load_events_demo()
    load_events_demo()
    festival = Event.objects.get(slug="k360-festival-2024")
    assert festival.sessions.count() == 7
    assert festival.postcards.count() == 82
    assert Event.objects.filter(kind="online-format").count() == 2
    html = client.get(reverse("events:list")).content.decode()
    assert "ausgebucht" in html and "nur noch wenige Plätze" in html
    html = client.get(festival.get_absolute_url()).content.decode()
    assert "Schildkröten" in html


def test_change_sessions_on_own_page(client, home_page):
    event = EventFactory(capacity=5)
    full = SessionFactory(event=event, title="Beliebte Werkstatt", capacity=1)
    other = SessionFactory(event=event, title="Ruhige Werkstatt", capacity=5)
    services.register_for_event(event, name="A", email="a@beispiel.example", sessions=[full])
    me = register(event, 1)
    page = client.get(me.get_absolute_url()).content.decode()
    assert "Beliebte Werkstatt" in page and "ausgebucht" in page
    url = reverse("events:sessions", args=[me.access_key])
    client.post(url, {"sessions": [str(full.pk)]})
    assert list(me.sessions.all()) == []  # full: refused, with a message
    client.post(url, {"sessions": [str(other.pk)]})
    assert list(me.sessions.all()) == [other]


def test_postcards_are_limited_per_client_address(client, home_page):
    event = EventFactory(
        starts_at=timezone.now() - timedelta(days=2), ends_at=timezone.now() - timedelta(days=1)
    )
    registrations = [
        Registration.objects.create(
            event=event, name=f"Person {n}", email=f"p{n}@beispiel.example", status="confirmed"
        )
        for n in range(3)
    ]
    data = {"sender_name": "Person", "recipient": "chef@beispiel.example", "message": "Hallo!"}
    for registration in registrations[:2]:
        url = reverse("events:postcard", args=[registration.access_key])
        for _ in range(services.POSTCARDS_PER_REGISTRATION):
            assert client.post(url, data).status_code == 302
    assert Postcard.objects.count() == 10
    url = reverse("events:postcard", args=[registrations[2].access_key])
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Bitte warten Sie etwas" in response.content.decode()
    assert 'value="chef@beispiel.example"' in response.content.decode()  # input kept
    assert Postcard.objects.count() == 10


def test_the_form_of_a_full_event_puts_people_on_the_waitlist(client, event):
    url = reverse("events:register", args=[event.slug])
    assert "Verbindlich anmelden" in client.get(url).content.decode()
    for n in range(event.capacity):
        register(event, n)

    page = client.get(url).content.decode()

    assert "Auf die Warteliste setzen" in page and "Verbindlich anmelden" not in page
    assert "Sie setzen sich auf die Warteliste" in page
