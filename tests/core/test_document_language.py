"""What leaves the platform is German, also when the visitor reads the English pages.

Mails, calendar files, training requests and certificates are written in the
platform's language (``core.languages``): the platform stores no language per person,
and what they send on (an employer, a calendar) reads German. Each test does what a
visitor of ``/en/…`` does and reads the result; the English catalog translates every
one of these texts, so without the rule they would come out in English.
"""

import io
from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import translation
from docx import Document

from kommune360.accounts import roles
from kommune360.atlas import services as atlas
from kommune360.atlas.models import Offer
from kommune360.events.admin_views import certificate_details
from kommune360.learning import services as learning
from kommune360.participation import services as participation
from kommune360.participation.models import Kind, Role
from kommune360.participation.targets import target_for
from tests.factories.accounts import UserFactory
from tests.factories.atlas import OfferFactory, ProviderFactory
from tests.factories.events import OnlineEventFactory, RegistrationFactory
from tests.factories.learning import ApplicationFactory, CohortFactory
from tests.factories.participation import CallFactory

pytestmark = pytest.mark.django_db

# Tuesday, 12 January 2027, 10:00 in Berlin.
TUESDAY = datetime(2027, 1, 12, 9, 0, tzinfo=UTC)
ENGLISH_DATE_WORDS = ("Tuesday", "January")


def en_url(name, *args):
    with translation.override("en"):
        return reverse(name, args=args)


@pytest.fixture
def sent(mailoutbox, django_capture_on_commit_callbacks):
    """Run the block's commit callbacks (the mail tasks), then give the one mail sent."""

    class Sent:
        def __enter__(self):
            self.capture = django_capture_on_commit_callbacks(execute=True)
            self.capture.__enter__()
            return self

        def __exit__(self, *exc):
            self.capture.__exit__(*exc)

        @property
        def mail(self):
            (mail,) = mailoutbox
            return mail

    return Sent()


@pytest.fixture
def event(home_page):
    return OnlineEventFactory(
        title="Netzwerktreffen Jugendhilfeplanung",
        starts_at=TUESDAY,
        ends_at=TUESDAY + timedelta(hours=3),
    )


def test_event_registration_from_an_english_page_mails_german(client, event, sent):
    client.force_login(UserFactory(roles=[roles.MEMBER]))
    url = en_url("events:register", event.slug)
    assert url.startswith("/en/")
    with sent:
        response = client.post(url, {"name": "Erika Beispiel", "privacy": "on"})
    assert response.status_code == 302
    mail = sent.mail
    assert mail.subject == f"Anmeldung bestätigt: {event.title}"
    assert "Dienstag, 12. Januar 2027, 10:00" in mail.body
    assert not any(word in mail.body for word in ENGLISH_DATE_WORDS)
    ics = next(a for a in mail.attachments if a[0].endswith(".ics"))[1]
    ics = (ics.decode() if isinstance(ics, bytes) else ics).replace("\r\n ", "")
    assert "Zugang: https://video.beispiel.example" in ics and "LOCATION:Online" in ics


def test_calendar_feed_from_an_english_page_is_german(client, event):
    response = client.get(en_url("events:calendar"))
    assert response.status_code == 200
    assert "X-WR-CALNAME:Veranstaltungen –" in response.content.decode()


def test_certificate_details_are_german(event):
    registration = RegistrationFactory(event=event)
    with translation.override("en"):
        details = certificate_details(registration)
    facts = {fact["label"]: fact["value"] for fact in details["facts"]}
    assert facts["Datum"] == "12.01.2027, 10:00–13:00 Uhr"
    assert facts["Ort"] == "online"


def test_training_request_from_an_english_page_is_german(client, event):
    url = en_url("training_requests:form", "veranstaltung", event.pk)
    person = {
        "name": "Erika Beispielfrau",
        "position": "Jugendhilfeplanerin",
        "employer": "Jugendamt Landkreis Musterland",
        "supervisor_name": "Dr. Bernd Vorgesetzter",
        "supervisor_email": "",
        "relevance": "Ich plane die Neuaufstellung unserer Jugendhilfeplanung.",
    }
    response = client.post(url, {**person, "format": "docx"})
    assert response.status_code == 200
    text = "\n".join(
        [p.text for p in Document(io.BytesIO(response.content)).paragraphs]
        + [
            cell.text
            for table in Document(io.BytesIO(response.content)).tables
            for row in table.rows
            for cell in row.cells
        ]
    )
    assert "Antrag auf Genehmigung einer Fortbildung" in text
    assert "Dienstag, 12. Januar 2027, 10:00–13:00 Uhr" in text
    assert not any(word in text for word in ENGLISH_DATE_WORDS)


def test_contribution_mail_is_german(sent):
    target = target_for(CallFactory(title="Mitdenker:innen gesucht"))
    with sent, translation.override("en"):
        participation.submit_contribution(
            target,
            kind=Kind.COMMENT,
            role=Role.MUNICIPAL,
            text="Bei uns scheitert Fortbildung am Antrag.",
            name="Max Mustermann",
            email="max@example.org",
        )
    assert sent.mail.subject == "Bitte bestätigen Sie Ihren Beitrag"


def test_learning_mail_is_german(sent):
    cohort = CohortFactory(starts_on=TUESDAY.date(), ends_on=TUESDAY.date() + timedelta(days=90))
    application = ApplicationFactory(cohort=cohort)
    with sent, translation.override("en"):
        learning.decide_application(application, "accepted")
    mail = sent.mail
    assert mail.subject == f"Sie sind aufgenommen: {cohort.path.title}"
    assert "12. Januar 2027" in mail.body


def test_offer_mail_is_german(sent):
    maintainer = UserFactory(roles=[roles.PROVIDER])
    editor = UserFactory(roles=[roles.EDITOR])
    offer = OfferFactory(
        provider=ProviderFactory(maintainers=[maintainer]),
        status=Offer.Status.SUBMITTED,
        title="Werkstatt",
    )
    with sent, translation.override("en"):
        atlas.approve_offer(editor, offer)
    assert sent.mail.subject == "Ihr Angebot „Werkstatt“ ist freigegeben"


def test_account_mail_from_an_english_page_is_german(client, home_page, sent):
    with sent:
        response = client.post(
            en_url("account_signup"),
            {
                "first_name": "Erika",
                "last_name": "Beispiel",
                "email": "neu@beispiel.example",
                "password1": "ein-langes-passwort-42",
                "password2": "ein-langes-passwort-42",
            },
        )
    assert response.status_code == 302
    mail = sent.mail
    assert "E-Mail" in mail.subject, mail.subject
    assert "Please" not in mail.body and "confirm" not in mail.subject.lower()
