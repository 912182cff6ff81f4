"""Learning certificates through core's machinery: PDF contents and the public check."""

import io
from datetime import date
from decimal import Decimal

import pytest
from pypdf import PdfReader

from kommune360.core.certificates import certificate_pdf, revoke_certificate
from kommune360.learning import services
from kommune360.learning.models import Application
from tests.factories.accounts import UserFactory
from tests.factories.learning import (
    ApplicationFactory,
    FinishedCohortFactory,
    LearningPathFactory,
    ModuleFactory,
)

TODAY = date(2024, 7, 15)


@pytest.fixture
def certificate(db):
    path = LearningPathFactory(
        title="Lernpfad Führung",
        goals="Teams durch Veränderung führen\nKollegiale Beratung anleiten",
        provider="Beispiel-Akademie",
    )
    modules = [
        ModuleFactory(path=path, order=1, title="Auftakt", hours=Decimal("3")),
        ModuleFactory(path=path, order=2, title="Werkstatt", hours=Decimal("4.5")),
    ]
    cohort = FinishedCohortFactory(path=path, title="Frühjahr 2024")
    user = UserFactory(first_name="Erika", last_name="Beispiel")
    application = ApplicationFactory(cohort=cohort, user=user, status=Application.Status.ACCEPTED)
    for module in modules:
        services.record_attendance(application, module)
    return services.issue_learning_certificate(application, today=TODAY)


def test_pdf_states_every_fact(certificate):
    reader = PdfReader(io.BytesIO(certificate_pdf(certificate)))
    text = " ".join(page.extract_text() for page in reader.pages)
    for fact in (
        "Teilnahmebescheinigung",
        "Erika Beispiel",
        "Lernpfad Führung",
        "Frühjahr 2024",
        "1. Februar 2024 bis 30. Juni 2024",
        "Auftakt",
        "Werkstatt",
        "7,5",
        "Teams durch Veränderung führen",
        "Beispiel-Akademie",
        certificate.code,
        "/nachweis/",
    ):
        assert fact in text, fact


def test_verification_page_valid_revoked_unknown(client, certificate, home_page):
    html = client.get(f"/nachweis/{certificate.code}/").content.decode()
    assert "Diese Bescheinigung ist gültig." in html
    assert "Erika Beispiel" in html and "Lernpfad Führung" in html
    assert "15. Juli 2024" in html  # issued on
    revoke_certificate(certificate, reason="Teilnahme falsch erfasst")
    html = client.get(f"/nachweis/{certificate.code}/").content.decode()
    assert "Diese Bescheinigung wurde widerrufen." in html and "falsch erfasst" in html
    # Unknown codes, and ids or near misses, get the ordinary German 404 page: nobody
    # learns which codes exist.
    near_miss = certificate.code[:-1] + ("A" if certificate.code[-1] != "A" else "B")
    for code in ("AAAAA-BBBBB-CCCCC-DDDDD", near_miss, str(certificate.pk)):
        response = client.get(f"/nachweis/{code}/")
        assert response.status_code == 404
        body = response.content.decode()
        assert "Diese Seite gibt es nicht" in body
        assert "Erika" not in body and "widerrufen" not in body
