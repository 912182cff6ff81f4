"""Applying: deadline edges in Berlin time, versions, attachments, co-applicants,
withdrawal, the confirmation mail with its PDF copy."""

import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from freezegun import freeze_time
from pypdf import PdfReader

from kommune360.awards.models import Application, Attachment
from kommune360.awards.services import applications as services
from kommune360.awards.services import invitations
from kommune360.core.models import AuditEntry
from tests.factories.accounts import UserFactory

from .conftest import details, make_round, submitted

pytestmark = pytest.mark.django_db
BERLIN = ZoneInfo("Europe/Berlin")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
# The application form's fields, but for the municipality key and the round's questions.
FORM = {
    "applicant_kind": "municipality",
    "organisation": "Stadt",
    "contact_name": "Erika",
    "contact_email": "erika@stadt.example",
    "title": "Lösung",
    "summary": "Kurz.",
}


@pytest.mark.parametrize(
    "deadline",
    [
        # Summer time (UTC+2) and winter time (UTC+1), at midnight in Berlin.
        datetime(2026, 7, 1, 0, 0, 0, tzinfo=BERLIN),
        datetime(2026, 1, 21, 0, 0, 0, tzinfo=BERLIN),
        # The last second of a day, and the night the clocks go back.
        datetime(2026, 1, 21, 23, 59, 59, tzinfo=BERLIN),
        datetime(2026, 10, 25, 2, 30, 0, tzinfo=BERLIN),
    ],
)
def test_submission_at_the_deadline_counts_one_second_later_not(places, home_page, deadline):
    round_ = make_round(opens_at=deadline - timedelta(days=30), closes_at=deadline)
    user = UserFactory()
    application = services.start_application(
        round_, user, details(places["musterstadt"]), at=deadline - timedelta(days=1)
    )
    application.answers = {str(round_.questions.first().pk): "Ja."}
    application.save()

    with pytest.raises(services.ApplicationError) as refused:
        services.submit_application(application, user, at=deadline + timedelta(seconds=1))
    assert "Bewerbungsschluss ist vorbei" in refused.value.messages[0]

    services.submit_application(application, user, at=deadline)
    application.refresh_from_db()
    assert application.state == Application.State.SUBMITTED
    assert application.submitted_at.timestamp() == deadline.timestamp()


def test_deadline_is_berlin_time_in_the_browser_too(client, places, home_page):
    # 21 January, midnight in Berlin = 23:00 UTC the day before (winter time).
    deadline = datetime(2026, 1, 21, 0, 0, 0, tzinfo=BERLIN)
    round_ = make_round(opens_at=deadline - timedelta(days=30), closes_at=deadline)
    user = UserFactory()
    client.force_login(user)
    with freeze_time("2026-01-20 22:00:00"):
        application = services.start_application(round_, user, details(places["musterstadt"]))
        page = client.get(reverse("awards:round", args=[round_.slug]))
        assert "Jetzt bewerben" in page.content.decode()
        assert "noch 1 Stunde und 0 Minuten" in page.content.decode()
    url = reverse("awards:application", args=[round_.slug, application.pk])
    data = {
        **FORM,
        "ags": "03999001",
        f"q{round_.questions.first().pk}": "Antwort",
        "consent": "on",
        "submit": "1",
    }
    with freeze_time("2026-01-20 23:00:01"):
        response = client.post(url, data)
        assert response.status_code == 200
        assert "Bewerbungsschluss ist vorbei" in response.content.decode()
    application.refresh_from_db()
    assert application.state == Application.State.DRAFT


def test_submit_sends_a_confirmation_with_a_pdf_copy_and_edits_are_versions(
    open_round, places, django_capture_on_commit_callbacks
):
    user = UserFactory(email="anna@musterstadt.example")
    with django_capture_on_commit_callbacks(execute=True):
        application = submitted(open_round, places["musterstadt"], user, title="<b>Bauantrag</b>")
    message = next(m for m in mail.outbox if "Bewerbung eingegangen" in m.subject)
    assert message.to == ["anna@musterstadt.example", "erika@stadt-a.example"]
    _name, content, mimetype = message.attachments[0]
    assert mimetype == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    assert "<b>Bauantrag</b>" in text
    assert application.version == 1
    services.save_application(
        application, user, details(places["musterstadt"], title="Bauantrag 2")
    )
    application.refresh_from_db()
    assert application.version == 2
    assert list(application.versions.values_list("number", "title")) == [
        (1, "<b>Bauantrag</b>"),
        (2, "Bauantrag 2"),
    ]
    assert AuditEntry.objects.filter(action="awards.application.edited").count() == 1


def test_only_eligible_kinds_apply(open_round, places):
    with pytest.raises(services.ApplicationError):
        services.start_application(
            open_round, UserFactory(), details(places["musterstadt"], applicant_kind="enterprise")
        )


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("rechnung.pdf", b"MZ\x90\x00 not a pdf" * 10, "erkannt am Inhalt"),
        ("bild.png", b"<svg xmlns='http://www.w3.org/2000/svg'></svg>", "erkannt am Inhalt"),
        ("gross.pdf", b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024), "größer als"),
        ("leer.pdf", b"", "leer"),
    ],
)
def test_wrong_attachments_are_refused_and_nothing_is_stored(
    client, open_round, places, name, content, message
):
    user = UserFactory()
    application = services.start_application(open_round, user, details(places["musterstadt"]))
    client.force_login(user)
    response = client.post(
        reverse("awards:upload", args=[open_round.slug, application.pk]),
        {"file": SimpleUploadedFile(name, content)},
        follow=True,
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Attachment.objects.exists()


def test_attachments_by_content_at_most_five(client, open_round, places, settings, tmp_path):
    user = UserFactory()
    application = services.start_application(open_round, user, details(places["musterstadt"]))
    client.force_login(user)
    url = reverse("awards:upload", args=[open_round.slug, application.pk])
    for n in range(5):
        # The name says .txt; the content is a PDF or a PNG: the content decides.
        content = PDF if n % 2 else PNG
        client.post(url, {"file": SimpleUploadedFile(f"datei{n}.txt", content)})
    assert sorted(Attachment.objects.values_list("kind", flat=True)) == ["pdf", "pdf"] + ["png"] * 3
    response = client.post(url, {"file": SimpleUploadedFile("sechs.pdf", PDF)}, follow=True)
    assert "höchstens 5 Anhänge" in response.content.decode()
    assert Attachment.objects.count() == 5
    attachment = Attachment.objects.first()
    download = client.get(
        reverse("awards:download", args=[open_round.slug, application.pk, attachment.pk])
    )
    assert download.status_code == 200
    assert download["X-Content-Type-Options"] == "nosniff"


def test_co_applicant_edits_and_withdrawal(client, open_round, places):
    owner = UserFactory()
    application = services.start_application(open_round, owner, details(places["musterstadt"]))
    co = UserFactory(email="co@beispielhausen.example")
    pending = invitations.invite(application, owner, "CO@beispielhausen.example")
    client.force_login(co)
    url = reverse("awards:application", args=[open_round.slug, application.pk])
    assert client.get(url).status_code == 404  # not before accepting
    invitations.accept(invitations.token(pending), co)
    assert client.get(url).status_code == 200
    client.post(reverse("awards:withdraw", args=[open_round.slug, application.pk]))
    application.refresh_from_db()
    assert application.state == Application.State.WITHDRAWN
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404


def test_round_list_shows_open_and_external_rounds(client, open_round):
    from kommune360.awards.models import Round

    Round.objects.create(
        title="Bewährt vor Ort",
        kind=Round.Kind.EXTERNAL,
        partner="Re:Form",
        phase=Round.Phase.OPEN,
        closes_at=datetime(2025, 1, 21, 23, 59, 59, tzinfo=BERLIN),
    )
    Round.objects.create(title="Geheimer Entwurf", closes_at=open_round.closes_at)
    html = client.get(reverse("awards:list")).content.decode()
    assert open_round.title in html
    assert "Bewährt vor Ort" in html and "Re:Form" in html
    assert "Geheimer Entwurf" not in html
    external = Round.objects.get(title="Bewährt vor Ort")
    detail = client.get(external.get_absolute_url()).content.decode()
    assert "Jetzt bewerben" not in detail
    assert "Die Frist ist abgelaufen." in detail


def test_one_account_cannot_start_applications_in_bulk(client, places, home_page, monkeypatch):
    from kommune360.awards.views import STARTS

    monkeypatch.setattr(STARTS, "limit", 2)
    round_ = make_round()
    client.force_login(UserFactory())
    url = reverse("awards:apply", args=[round_.slug])
    for ags in ("03999001", "03999002"):
        assert client.post(url, {**FORM, "ags": ags}).status_code == 302
    response = client.post(url, {**FORM, "ags": "05999001", "title": "Dritte Lösung"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "viele Bewerbungen angelegt" in html
    assert 'value="Dritte Lösung"' in html  # what was typed stays in the form
    assert Application.objects.filter(round=round_).count() == 2
