import csv
import io
import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from kommune360.core.models import AuditEntry, Certificate
from kommune360.events import services
from kommune360.events.mail import checkin_url
from kommune360.events.models import Registration
from tests.factories.accounts import UserFactory
from tests.factories.events import EventFactory, QuestionFactory

Status = Registration.Status


@pytest.fixture
def editor(home_page):
    return UserFactory(roles=["Redaktion"], is_staff=True)


@pytest.fixture
def event(home_page):
    event = EventFactory(title="Fellow-Treffen Beispiel", capacity=2)
    diet = QuestionFactory(event=event, label="Ernährung")
    services.register_for_event(
        event, name="Erika Beispiel", email="erika@beispiel.example", answers={diet.pk: "vegan"}
    )
    services.register_for_event(event, name="=HYPERLINK(1)", email="formel@beispiel.example")
    services.register_for_event(event, name="Max Warte", email="max@beispiel.example")
    return event


def test_members_cannot_see_participants(client, event):
    client.force_login(UserFactory(is_staff=True))
    assert client.get(reverse("events_participants", args=[event.pk])).status_code in (302, 403)


def test_participants_and_exports(client, editor, event):
    client.force_login(editor)
    html = client.get(reverse("events_participants", args=[event.pk])).content.decode()
    assert "Erika Beispiel" in html and "vegan" in html and "Warteliste" in html
    response = client.get(reverse("events_export", args=[event.pk, "csv"]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:4] == ["Name", "E-Mail", "Organisation", "Status"]
    assert rows[0][-1] == "Ernährung"
    assert rows[1][:2] == ["Erika Beispiel", "erika@beispiel.example"]
    assert rows[1][-1] == "vegan"
    assert any(row[0] == "'=HYPERLINK(1)" for row in rows)  # no formula injection
    response = client.get(reverse("events_export", args=[event.pk, "xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A2"].value == "Erika Beispiel"


def test_message_to_waitlist(client, editor, event, django_capture_on_commit_callbacks, mailoutbox):
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("events_message", args=[event.pk]),
            {
                "to": "waitlisted",
                "subject": "Neuigkeiten",
                "text": "Nächste Woche werden Plätze frei.",
            },
        )
    (message,) = [m for m in mailoutbox if m.subject == "Neuigkeiten"]
    assert message.to == ["max@beispiel.example"]
    assert "Nächste Woche werden Plätze frei." in message.body


def test_cancel_event_from_admin(client, editor, event):
    client.force_login(editor)
    client.post(
        reverse("events_cancel_event", args=[event.pk]), {"reason": "Krank", "confirm": "on"}
    )
    event.refresh_from_db()
    assert event.is_cancelled
    assert not Registration.objects.filter(event=event).exclude(status=Status.CANCELLED).exists()


def test_badges_pdf(client, editor, event):
    client.force_login(editor)
    response = client.get(reverse("events_badges", args=[event.pk]))
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Erika Beispiel" in text and "Max Warte" not in text


def test_checkin_by_qr_link_and_list_is_idempotent(client, editor, event):
    client.force_login(editor)
    erika = Registration.objects.get(email="erika@beispiel.example")
    path = checkin_url(erika).split("://", 1)[1].split("/", 1)[1]
    page = client.get("/" + path).content.decode()
    assert "Erika Beispiel" in page and "Einchecken" in page
    erika.refresh_from_db()
    assert erika.checked_in_at is None  # GET changes nothing
    client.post("/" + path)
    client.post("/" + path)
    erika.refresh_from_db()
    first = erika.checked_in_at
    assert first is not None
    url = reverse("events_checkin", args=[event.pk])
    assert "Erika" in client.get(url + "?q=erika").content.decode()
    client.post(url, {"registration": erika.pk})
    erika.refresh_from_db()
    assert erika.checked_in_at == first
    assert client.get("/admin/veranstaltungen/check-in/falsch/").status_code == 404


def test_certificates_for_checked_in_participants(client, editor, event):
    client.force_login(editor)
    erika = Registration.objects.get(email="erika@beispiel.example")
    services.check_in(erika)
    url = reverse("events_certificates", args=[event.pk])
    client.post(url)
    client.post(url)  # twice: still one certificate
    certificate = Certificate.objects.get()
    assert certificate.holder_name == "Erika Beispiel"
    assert certificate.source == erika
    pdf = client.get(reverse("events_certificate_pdf", args=[certificate.pk]))
    text = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert "Teilnahmebescheinigung" in text and "Erika Beispiel" in text
    assert certificate.code in text
    assert "Fellow-Treffen Beispiel" in text
    assert re.search(r"\d\d\.\d\d\.\d{4}", text)
    client.logout()
    assert "gültig" in client.get(certificate.get_absolute_url()).content.decode()
    # The participant finds it on their own page.
    page = client.get(erika.get_absolute_url()).content.decode()
    assert certificate.get_absolute_url() in page
    own = client.get(reverse("events:registration_certificate", args=[erika.access_key]))
    assert own["Content-Type"] == "application/pdf"


class _FormValues(HTMLParser):
    """The values a browser would send with the edit form as the page shows it."""

    def __init__(self):
        super().__init__()
        self.data, self._textarea, self._select = {}, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "button", "file"):
            if attrs.get("type") in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.data.setdefault(name, []).append(attrs.get("value") or "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = [""]
        elif tag == "select" and name:
            self._select = name
            self.data.setdefault(name, [])
        elif tag == "option" and self._select and "selected" in attrs:
            self.data[self._select].append(attrs.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea][0] += data


def _edit_form(client, url):
    parser = _FormValues()
    parser.feed(client.get(url).content.decode())
    return parser.data


def test_raising_capacity_in_the_admin_offers_places_and_is_audited(
    client, editor, event, django_capture_on_commit_callbacks, mailoutbox
):
    client.force_login(editor)
    edit_url = reverse("wagtailsnippets_events_event:edit", args=[event.pk])
    data = _edit_form(client, edit_url)
    assert data["capacity"] == ["2"]
    data["capacity"] = ["3"]

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(edit_url, data)

    assert response.status_code == 302, response.content.decode()[:2000]
    event.refresh_from_db()
    assert event.capacity == 3
    assert Registration.objects.get(email="max@beispiel.example").status == Status.OFFERED
    entry = AuditEntry.objects.get(action="events.capacity_changed")
    assert entry.actor == editor and entry.data["capacity"] == 3
    assert AuditEntry.objects.filter(action="events.offer_made").count() == 1
    assert [m.to for m in mailoutbox if "Platz ist frei" in m.subject] == [["max@beispiel.example"]]


def test_saving_the_event_unchanged_writes_no_capacity_entry(client, editor, event):
    client.force_login(editor)
    edit_url = reverse("wagtailsnippets_events_event:edit", args=[event.pk])

    response = client.post(edit_url, _edit_form(client, edit_url))

    assert response.status_code == 302
    assert not AuditEntry.objects.filter(action="events.capacity_changed").exists()
    assert Registration.objects.get(email="max@beispiel.example").status == Status.WAITLISTED
