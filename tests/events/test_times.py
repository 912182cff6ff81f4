"""Times are Europe/Berlin on every page, mail and file of the events app.

The event is stored at 23:30 UTC in winter (22:30 UTC in summer): in Berlin that is
00:30 on the next day, so a page or file that shows UTC shows another hour and day.
The organiser screens are opened by an editor whose Wagtail profile is set to UTC:
Wagtail activates that zone in the admin, the screens must still show Berlin.
"""

import csv
import io
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from icalendar import Calendar
from openpyxl import load_workbook
from pypdf import PdfReader
from wagtail.users.models import UserProfile

from kommune360.accounts import roles
from kommune360.events import services, training_request
from kommune360.events.mail import checkin_token
from kommune360.events.models import Registration
from kommune360.events.tasks import send_registration_mail
from tests.factories.accounts import UserFactory
from tests.factories.events import EventFactory, SessionFactory

BERLIN = ZoneInfo("Europe/Berlin")
WEEKDAYS = ["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"]
MONTHS = {1: "Januar", 7: "Juli"}


@dataclass
class Case:
    event: object
    erika: Registration  # confirmed, with the session, checked in
    max: Registration  # offered a place
    user: object  # Erika's account
    year: int
    month: int
    utc_hour: int

    @property
    def day(self):
        """'15. Januar 2027': the day of the event in Berlin (the 14th in UTC)."""
        return f"15. {MONTHS[self.month]} {self.year}"

    @property
    def weekday(self):
        return WEEKDAYS[date(self.year, self.month, 15).weekday()]

    @property
    def offset(self):
        return "+01:00" if self.month == 1 else "+02:00"

    def assert_no_utc(self, text, where):
        """None of the UTC clock times (23:xx in winter, 22:xx in summer) and not the 14th."""
        wrong = re.findall(rf"\b{self.utc_hour}:[345]\d\b", text)
        assert not wrong, (where, wrong)
        assert f"14. {MONTHS[self.month]}" not in text, where


@pytest.fixture(params=[(1, 23), (7, 22)], ids=["winter", "summer"])
def case(request, home_page):
    month, utc_hour = request.param
    year = datetime.now(UTC).year + 1
    starts = datetime(year, month, 14, utc_hour, 30, tzinfo=UTC)
    assert starts.astimezone(BERLIN).strftime("%d %H:%M") == "15 00:30"
    event = EventFactory(
        title="Nachtcafé der Jugendhilfeplanung",
        kind="festival",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2, minutes=15),  # 02:45 in Berlin, same day
        capacity=2,
    )
    session = SessionFactory(
        event=event,
        title="Nachtwerkstatt",
        starts_at=starts + timedelta(minutes=15),  # 00:45
        ends_at=starts + timedelta(minutes=45),  # 01:15
    )
    user = UserFactory(email="erika@beispiel.example")
    registered = starts - timedelta(days=10) + timedelta(minutes=10)  # 00:40 on the 5th
    erika = services.register_for_event(
        event,
        name="Erika Nacht",
        email=user.email,
        user=user,
        sessions=[session],
        now=registered,
    )
    paula = services.register_for_event(
        event, name="Paula Platz", email="paula@beispiel.example", now=registered
    )
    waiting = services.register_for_event(
        event, name="Max Warte", email="max@beispiel.example", now=registered
    )
    # Paula cancels at 00:50 on the 10th; Max's offer runs 48 hours: until 00:50 on the 12th.
    services.cancel_registration(paula, now=starts - timedelta(days=5, minutes=-20))
    services.check_in(erika, now=starts + timedelta(minutes=5))  # 00:35
    waiting.refresh_from_db()
    erika.refresh_from_db()
    assert waiting.status == Registration.Status.OFFERED
    return Case(event, erika, waiting, user, year, month, utc_hour)


def test_public_pages_show_berlin_time(client, case, django_capture_on_commit_callbacks):
    event, day = case.event, case.day
    iso = f"{case.year}-{case.month:02d}-15T00:30:00{case.offset}"
    session_label = f"{case.weekday[:2]} 15.{case.month}. 00:45–01:15"

    html = client.get("/").content.decode()  # the home page's next events
    assert f'<time datetime="{iso}">{day}</time>' in html

    html = client.get(reverse("events:list")).content.decode()
    assert f'<time datetime="{iso}">{day}, 00:30 Uhr</time>' in html
    case.assert_no_utc(html, "list")

    html = client.get(event.get_absolute_url()).content.decode()
    # Starts and ends on the same day in Berlin (not in UTC): the end is only a time.
    assert f'<time datetime="{iso}">{case.weekday}, {day}, 00:30</time>' in html
    assert ">02:45</time> Uhr" in html
    assert f'"startDate": "{iso}"' in html  # JSON-LD
    assert session_label in html  # the programme
    case.assert_no_utc(html, "detail")

    form = client.get(reverse("events:register", args=[event.slug])).content.decode()
    assert f"{case.weekday}, {day}, 00:30" in form
    assert f"{session_label} · Nachtwerkstatt" in form  # the sessions' checkboxes
    case.assert_no_utc(form, "form")

    html = client.get(case.erika.get_absolute_url()).content.decode()
    assert f"{case.weekday}, {day}, 00:30" in html
    assert f"{session_label} · Nachtwerkstatt" in html
    case.assert_no_utc(html, "own registration")

    html = client.get(case.max.get_absolute_url()).content.decode()
    assert f"bis 12. {MONTHS[case.month]} {case.year}, 00:50 Uhr" in html  # the offer
    case.assert_no_utc(html, "offered registration")

    client.force_login(case.user)
    html = client.get(reverse("events:mine")).content.decode()
    assert f"{day}, 00:30 Uhr" in html
    case.assert_no_utc(html, "my registrations")


def test_confirmation_page_and_mails_show_berlin_time(
    client, case, django_capture_on_commit_callbacks, mailoutbox
):
    event, day = case.event, case.day
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("events:register", args=[event.slug]),
            {"name": "Nora Neu", "email": "nora@beispiel.example", "privacy": "on"},
        )
    (ask,) = mailoutbox
    link = re.search(r"http://\S+/bestaetigen/\S+/", ask.body).group(0)
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]
    html = client.get(path).content.decode()
    assert f"{case.weekday}, {day}, 00:30" in html
    case.assert_no_utc(html, "confirmation page")

    # The mails of Erika's confirmed place and Max's offer (built by the task).
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        send_registration_mail.enqueue(case.erika.pk, "confirmed", {})
        send_registration_mail.enqueue(case.max.pk, "offered", {})
    confirmed, offer = mailoutbox
    assert confirmed.to == [case.erika.email] and offer.to == [case.max.email]
    for message in (confirmed, offer):
        assert f"{case.weekday}, {day}, 00:30 – 02:45 Uhr\n" in message.body
        case.assert_no_utc(message.body, message.subject)
    assert f"bis 12. {MONTHS[case.month]} {case.year}, 00:50 Uhr" in offer.body
    ics = confirmed.attachments[0][1]
    ics = ics.decode() if isinstance(ics, bytes) else ics
    assert f"DTSTART;TZID=Europe/Berlin:{case.year}{case.month:02d}15T003000" in ics


def _calendar_event(content):
    calendar = Calendar.from_ical(content)
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Berlin"]
    (vevent,) = calendar.walk("VEVENT")
    return vevent


@pytest.mark.parametrize("which", ["event", "registration", "feed"])
def test_calendar_files_carry_berlin_time(client, case, which):
    event = case.event
    url = {
        "event": reverse("events:ics", args=[event.slug]),
        "registration": reverse("events:registration_ics", args=[case.erika.access_key]),
        "feed": reverse("events:calendar"),
    }[which]
    content = client.get(url).content
    day = f"{case.year}{case.month:02d}15"
    text = content.decode()
    assert f"DTSTART;TZID=Europe/Berlin:{day}T003000" in text
    assert f"DTEND;TZID=Europe/Berlin:{day}T024500" in text
    vevent = _calendar_event(content)
    # The same instant as stored, whatever zone a calendar program shows it in.
    assert vevent.decoded("dtstart") == event.starts_at
    assert vevent.decoded("dtend") == event.ends_at


@pytest.fixture
def editor_in_utc(client, case):
    """A Redaktion member whose admin profile says UTC (Wagtail then shows UTC)."""
    editor = UserFactory(roles=[roles.EDITOR], is_staff=True)
    profile = UserProfile.get_for_user(editor)
    profile.current_time_zone = "UTC"
    profile.save()
    assert profile.get_current_time_zone() == "UTC"
    client.force_login(editor)
    return editor


def test_organiser_screens_show_berlin_time(client, case, editor_in_utc):
    event, month = case.event, case.month
    registered = f"05.{month:02d}.{case.year} 00:40"

    html = client.get(reverse("events_participants", args=[event.pk])).content.decode()
    assert f"<td>{registered}</td><td>00:35</td>" in html  # Erika: registered, checked in
    assert f"(bis 12.{month:02d}.{case.year} 00:50)" in html  # Max's offer
    case.assert_no_utc(html, "participants")

    html = client.get(reverse("events_checkin", args=[event.pk])).content.decode()
    assert "eingecheckt 00:35" in html
    case.assert_no_utc(html, "check-in list")

    scan = reverse("events_checkin_scan", args=[checkin_token(case.erika)])
    html = client.get(scan).content.decode()
    assert "Bereits eingecheckt um 00:35 Uhr." in html
    case.assert_no_utc(html, "check-in by QR code")


def test_organiser_files_show_berlin_time(client, case, editor_in_utc):
    event, month, year = case.event, case.month, case.year
    registered, checked_in = f"05.{month:02d}.{year} 00:40", f"15.{month:02d}.{year} 00:35"

    response = client.get(reverse("events_export", args=[event.pk, "csv"]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    erika = next(row for row in rows if row[0] == "Erika Nacht")
    assert erika[4:7] == [registered, checked_in, "Nachtwerkstatt"]

    response = client.get(reverse("events_export", args=[event.pk, "xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    erika = next(row for row in sheet.iter_rows(values_only=True) if row[0] == "Erika Nacht")
    assert list(erika[4:6]) == [registered, checked_in]

    response = client.get(reverse("events_badges", args=[event.pk]))
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "Erika Nacht" in text and case.day.upper() in text  # (in capitals on the badge)
    case.assert_no_utc(text, "badges")

    client.post(reverse("events_certificates", args=[event.pk]))
    from kommune360.core.models import Certificate

    certificate = Certificate.objects.get()
    pdf = client.get(reverse("events_certificate_pdf", args=[certificate.pk])).content
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())
    assert f"15.{month:02d}.{year}, 00:30–02:45 Uhr" in text  # date of the event
    assert f"15.{month:02d}.{year} 00:45" in text  # the session as a module
    case.assert_no_utc(text, "certificate")


def test_training_request_facts_use_berlin_time(case):
    facts = training_request.facts(case.event)
    assert facts.schedule == (f"{case.weekday}, {case.day}, 00:30–02:45 Uhr",)
