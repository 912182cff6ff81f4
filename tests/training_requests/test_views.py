"""The form page: links, 404s, German errors, storage only on request, mail, rate limit."""

import io
import re
from datetime import timedelta

import pytest
from django.apps import apps
from django.core import serializers
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from kommune360.accounts import roles
from kommune360.core.models import OutgoingMail
from kommune360.training_requests import views
from kommune360.training_requests.models import SavedDetails
from tests.factories.accounts import UserFactory
from tests.factories.atlas import OfferFactory
from tests.factories.events import EventFactory
from tests.factories.learning import FinishedCohortFactory, LearningPathFactory, ModuleFactory

from .conftest import PERSON

SUBJECT = "Fortbildungsantrag zur Genehmigung (über Kommune 360°)"

LINK = "Fortbildungsantrag erstellen"


def form_url(key, obj):
    return reverse("training_requests:form", args=[key, obj.pk])


def row_counts():
    """Rows of every table (to show that nothing was stored)."""
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def everything_stored():
    """Every row of every table as JSON text (to search it for an address)."""
    return "".join(
        serializers.serialize("json", model.objects.all())
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
    )


def test_detail_pages_link_to_the_request(client, home_page, sources):
    pages = {
        "lernpfad": reverse("learning:detail", args=[sources["lernpfad"].slug]),
        "veranstaltung": sources["veranstaltung"].get_absolute_url(),
        "angebot": sources["angebot"].get_absolute_url(),
    }
    for key, page in pages.items():
        html = client.get(page).content.decode()
        assert LINK in html, key
        assert f'href="{form_url(key, sources[key])}"' in html, key


# Queries of the form page: anonymous, logged in (session, user and kept details). A
# Lernpfad loads modules, cohorts and their dates.
FORM_QUERIES = {"lernpfad": (7, 10), "veranstaltung": (4, 7), "angebot": (4, 7)}


@pytest.mark.parametrize("key", ["lernpfad", "veranstaltung", "angebot"])
def test_form_page_shows_the_facts(client, home_page, sources, key, django_assert_num_queries):
    anonymous, logged_in = FORM_QUERIES[key]
    client.get(form_url(key, sources[key]))  # site settings created on first use
    with django_assert_num_queries(anonymous):
        response = client.get(form_url(key, sources[key]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Fortbildungsantrag erstellen" in html and sources[key].title in html
    assert "Ihre Angaben werden nicht gespeichert." in html
    assert 'name="remember"' not in html  # anonymous people cannot keep anything
    assert response["Cache-Control"] == "private, no-store"
    assert "<script>" not in html and ' style="' not in html
    client.force_login(UserFactory())
    client.get(form_url(key, sources[key]))
    with django_assert_num_queries(logged_in):
        assert client.get(form_url(key, sources[key])).status_code == 200


def test_objects_lacking_facts_get_no_link_and_404(client, home_page):
    # A Lernpfad whose cohorts are all over; an event without place and link; an offer
    # with neither hours nor dates; an unpublished path; an unknown source.
    path = LearningPathFactory()
    ModuleFactory(path=path)
    FinishedCohortFactory(path=path)
    event = EventFactory(city="", venue_name="", street="", postal_code="", online_url="")
    past = EventFactory(
        starts_at=timezone.now() - timedelta(days=3),
        ends_at=timezone.now() - timedelta(days=2),
    )
    offer = OfferFactory(duration_hours=None, start_date=None, dates_note="")
    over = OfferFactory(duration_hours=8, start_date=timezone.localdate() - timedelta(days=1))
    hidden = LearningPathFactory(is_published=False)
    cases = [
        ("lernpfad", path, reverse("learning:detail", args=[path.slug])),
        ("veranstaltung", event, event.get_absolute_url()),
        ("veranstaltung", past, past.get_absolute_url()),
        ("angebot", offer, offer.get_absolute_url()),
        ("angebot", over, over.get_absolute_url()),
    ]
    for key, obj, page in cases:
        assert LINK not in client.get(page).content.decode(), obj
        assert client.get(form_url(key, obj)).status_code == 404, obj
        assert client.post(form_url(key, obj), {**PERSON, "format": "pdf"}).status_code == 404
    assert client.get(form_url("lernpfad", hidden)).status_code == 404
    assert client.get(f"/fortbildungsantrag/unbekannt/{path.pk}/").status_code == 404
    assert client.get("/fortbildungsantrag/lernpfad/999999/").status_code == 404
    assert (
        "Seite nicht gefunden" in client.get("/fortbildungsantrag/angebot/999999/").content.decode()
    )


def test_bad_input_gets_german_messages_and_keeps_the_input(client, home_page, offer):
    client.force_login(UserFactory(roles=[roles.MEMBER]))
    data = {
        **PERSON,
        "name": "",
        "position": "x" * 201,
        "supervisor_email": "chefin-at-amt",
        "format": "mail",
    }
    client.get(form_url("angebot", offer))  # creates the site settings on first use
    before = row_counts()
    response = client.post(form_url("angebot", offer), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Bitte füllen Sie dieses Feld aus." in html
    assert "Bitte kürzen Sie auf höchstens 200 Zeichen (jetzt 201)." in html
    assert "Bitte geben Sie eine gültige E-Mail-Adresse ein" in html
    assert 'aria-invalid="true"' in html
    for value in (PERSON["employer"], PERSON["supervisor_name"], "chefin-at-amt", "x" * 201):
        assert f'value="{value}"' in html
    assert PERSON["relevance"] in html
    assert row_counts() == before


def test_mail_needs_the_supervisors_address(client, home_page, offer, mailoutbox):
    client.force_login(UserFactory(roles=[roles.MEMBER]))
    response = client.post(form_url("angebot", offer), {**PERSON, "format": "mail"})
    html = response.content.decode()
    assert "Bitte geben Sie die E-Mail-Adresse Ihrer oder Ihres Vorgesetzten an" in html
    assert f'value="{PERSON["name"]}"' in html
    assert not mailoutbox and not OutgoingMail.objects.exists()


def test_anonymous_download_stores_nothing(client, home_page, learning_path):
    client.get(form_url("lernpfad", learning_path))  # creates the site settings on first use
    before = row_counts()
    for output in ("pdf", "docx"):
        response = client.post(form_url("lernpfad", learning_path), {**PERSON, "format": output})
        assert response.status_code == 200 and response.content
        # A remember tick from an anonymous visitor is ignored.
        client.post(form_url("lernpfad", learning_path), {**PERSON, "remember": "on"})
    assert row_counts() == before


def test_logged_in_without_opt_in_stores_nothing(client, home_page, learning_path):
    user = UserFactory(roles=[roles.MEMBER])
    client.force_login(user)
    page = client.get(form_url("lernpfad", learning_path)).content.decode()
    assert f'value="{user.get_full_name()}"' in page  # prefilled from the account
    assert 'value="Jugendamt Musterstadt"' in page
    before = row_counts()
    client.post(form_url("lernpfad", learning_path), {**PERSON, "format": "pdf"})
    assert row_counts() == before


@pytest.mark.parametrize("role", [roles.MEMBER, roles.PROVIDER, roles.MODERATOR, roles.EDITOR])
def test_opt_in_keeps_details_and_prefills_the_next_request(
    client, home_page, learning_path, event, role
):
    from kommune360.accounts.services import delete_account, export_personal_data

    user = UserFactory(roles=[role])
    client.force_login(user)
    data = {**PERSON, "supervisor_email": "chefin@amt.example", "remember": "on"}
    response = client.post(form_url("lernpfad", learning_path), {**data, "format": "pdf"})
    assert response["Content-Type"] == "application/pdf"
    saved = SavedDetails.objects.get(user=user)
    assert (saved.name, saved.position, saved.employer, saved.supervisor_name) == (
        PERSON["name"],
        PERSON["position"],
        PERSON["employer"],
        PERSON["supervisor_name"],
    )
    assert "chefin@amt.example" not in everything_stored()
    assert PERSON["relevance"] not in everything_stored()
    # The next request (another event) comes prefilled, the box ticked.
    html = client.get(form_url("veranstaltung", event)).content.decode()
    for value in (PERSON["name"], PERSON["position"], PERSON["employer"]):
        assert f'value="{value}"' in html
    (checkbox,) = re.findall(r'<input[^>]*name="remember"[^>]*>', html)
    assert "checked" in checkbox
    # The data export shows it; without the tick it is forgotten; erasure removes it.
    exported = export_personal_data(user)["sections"]["training_requests"]["data"]
    assert exported["supervisor_name"] == PERSON["supervisor_name"]
    client.post(form_url("veranstaltung", event), {**PERSON, "format": "docx"})
    assert not SavedDetails.objects.filter(user=user).exists()
    client.post(form_url("veranstaltung", event), {**data, "format": "docx"})
    assert SavedDetails.objects.filter(user=user).exists()
    delete_account(user)
    assert not SavedDetails.objects.exists()


@pytest.fixture
def member(db):
    return UserFactory(roles=[roles.MEMBER], first_name="Erika", last_name="Beispielfrau")


def test_mail_to_the_supervisor_over_smtp(
    client, home_page, event, member, smtp_sink, django_capture_on_commit_callbacks
):
    client.force_login(member)
    address = "bernd.vorgesetzter@landkreis-musterland.example"
    url = form_url("veranstaltung", event)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {**PERSON, "supervisor_email": address, "format": "mail"})
    html = response.content.decode()
    assert "Der Antrag ist unterwegs an Dr. Bernd Vorgesetzter" in html
    assert f'value="{PERSON["name"]}"' in html  # still there to download as well
    ((rcpt, message),) = smtp_sink.parsed()
    assert rcpt == address and message["To"] == address
    assert message["Subject"].strip() == SUBJECT
    assert message["Reply-To"] == member.email
    body = message.get_body(preferencelist=("plain",)).get_content()
    intro, typed = body.split("Nachricht von Erika Beispielfrau:")
    assert f"Erika Beispielfrau ({member.email}) hat Ihnen" in intro and event.title in intro
    assert "Guten Tag Dr. Bernd Vorgesetzter" in typed and PERSON["relevance"] in typed
    (attachment,) = list(message.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_filename().startswith("fortbildungsantrag-")
    pdf = PdfReader(io.BytesIO(attachment.get_content()))
    text = " ".join(" ".join(p.extract_text() for p in pdf.pages).split())
    assert event.title in text and "Unterschrift Vorgesetzte:r" in text
    # The address was used for this mail only: no table holds it now.
    assert not OutgoingMail.objects.exists()
    stored = everything_stored()
    assert address not in stored and "landkreis-musterland" not in stored


def test_the_subject_holds_no_text_from_the_form(
    client, home_page, offer, member, smtp_sink, django_capture_on_commit_callbacks
):
    # What a member types (their account name too) and what a provider writes (the
    # offer's title) never reach the subject of a mail to a third party.
    member.first_name = "IT-Sicherheit: Ihr Postfach wird gesperrt"
    member.save()
    offer.title = "=HYPERLINK(1) Jetzt bestätigen unter evil.example"
    offer.save()
    client.force_login(member)
    data = {
        **PERSON,
        "name": "Gewinnspiel: Sie haben gewonnen",
        "supervisor_name": "Klicken Sie hier",
        "supervisor_email": "opfer@example.org",
        "format": "mail",
    }
    with django_capture_on_commit_callbacks(execute=True):
        client.post(form_url("angebot", offer), data)
    ((_, message),) = smtp_sink.parsed()
    assert message["Subject"].strip() == SUBJECT
    body = message.get_body(preferencelist=("plain",)).get_content()
    before, typed = body.split("Nachricht von IT-Sicherheit: Ihr Postfach wird gesperrt")
    assert "Gewinnspiel" not in before and "Klicken Sie hier" not in before
    assert "Gewinnspiel" in typed and "Klicken Sie hier" in typed


@pytest.mark.parametrize("role", [None, *roles.ALL])
def test_only_logged_in_accounts_can_send_mail(
    client, home_page, offer, role, mailoutbox, django_capture_on_commit_callbacks
):
    if role:
        client.force_login(UserFactory(roles=[role]))
    page = client.get(form_url("angebot", offer)).content.decode()
    data = {**PERSON, "supervisor_email": "chefin@amt.example", "format": "mail"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(form_url("angebot", offer), data)
    html = response.content.decode()
    if role:
        assert 'value="mail"' in page and 'name="supervisor_email"' in page
        assert len(mailoutbox) == 1 and "Der Antrag ist unterwegs" in html
        return
    assert 'value="mail"' not in page and 'name="supervisor_email"' not in page
    assert "Mit Konto anmelden" in page and "/konto/login/?next=" in page
    assert response.status_code == 200 and not mailoutbox
    assert not OutgoingMail.objects.exists()
    assert "Per E-Mail verschicken wir Anträge nur für angemeldete Mitglieder" in html
    assert f'value="{PERSON["name"]}"' in html  # nothing entered is lost
    # The documents stay open to everybody.
    document = client.post(form_url("angebot", offer), {**PERSON, "format": "pdf"})
    assert document["Content-Type"] == "application/pdf"


def test_mail_is_limited_per_person(
    client, home_page, offer, member, mailoutbox, settings, django_capture_on_commit_callbacks
):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    client.force_login(member)
    data = {**PERSON, "supervisor_email": "chefin@amt.example", "format": "mail"}
    url = form_url("angebot", offer)
    with django_capture_on_commit_callbacks(execute=True):
        for number in range(views.MAILS_PER_HOUR):
            client.post(url, data, headers={"X-Forwarded-For": f"192.0.2.{number}"})
        # Another network does not help the same person ...
        response = client.post(url, data, headers={"X-Forwarded-For": "198.51.100.1"})
    assert len(mailoutbox) == views.MAILS_PER_HOUR
    html = response.content.decode()
    assert "Bitte versuchen Sie es in einer Stunde noch einmal." in html
    assert f'value="{PERSON["supervisor_name"]}"' in html
    # ... and another member on the same network is not held up.
    client.force_login(UserFactory(roles=[roles.MEMBER]))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, data, headers={"X-Forwarded-For": "192.0.2.0"})
    assert len(mailoutbox) == views.MAILS_PER_HOUR + 1


def test_documents_are_rate_limited(client, home_page, offer, monkeypatch):
    monkeypatch.setattr(views.DOCUMENTS, "limit", 2)
    data = {**PERSON, "format": "docx"}
    assert client.post(form_url("angebot", offer), data)["Content-Type"].endswith("document")
    assert client.post(form_url("angebot", offer), data)["Content-Type"].endswith("document")
    response = client.post(form_url("angebot", offer), data)
    assert response["Content-Type"].startswith("text/html")
    assert "Bitte versuchen Sie es in einer Stunde noch einmal." in response.content.decode()
