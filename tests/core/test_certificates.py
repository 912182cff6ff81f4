import io

import pytest
from pypdf import PdfReader

from kommune360.core.certificates import (
    Certificate,
    certificate_pdf,
    issue_certificate,
    new_certificate_code,
    revoke_certificate,
)
from kommune360.core.models import AuditEntry, Supporter


@pytest.fixture
def source(db):
    return Supporter.objects.create(name="Beispiel-Akademie")


def issue(source, **kwargs):
    return issue_certificate(
        source,
        holder_name="Erika Beispiel",
        title="Lernpfad Change",
        details={
            "facts": [{"label": "Kohorte", "value": "Frühjahr"}],
            "modules": [{"title": "Auftakt", "hours": 3, "date": "01.03.2025"}],
            "total_hours": 12,
            "goals": ["Veränderung begleiten"],
        },
        issuer="Initiative Kommune 360°",
        **kwargs,
    )


def test_codes_are_random_and_readable():
    codes = {new_certificate_code() for _ in range(200)}
    assert len(codes) == 200
    code = codes.pop()
    assert len(code) == 23 and code.count("-") == 3
    assert not set(code) & set("01OI")


def test_issue_is_idempotent_per_source_and_reissue_after_revoke(source):
    first = issue(source)
    assert issue(source) == first
    revoke_certificate(first, reason="Falscher Name")
    second = issue(source)
    assert second != first and second.code != first.code
    assert AuditEntry.objects.filter(action="core.certificate_revoked").count() == 1


def test_verification_page_valid_revoked_unknown(client, source, home_page):
    certificate = issue(source)
    html = client.get(f"/nachweis/{certificate.code}/").content.decode()
    assert "Diese Bescheinigung ist gültig." in html
    assert "Erika Beispiel" in html and "Lernpfad Change" in html
    assert client.get(f"/nachweis/{certificate.code.lower()}/").status_code == 200
    revoke_certificate(certificate, reason="Teilnahme nicht nachgewiesen")
    html = client.get(f"/nachweis/{certificate.code}/").content.decode()
    assert "widerrufen" in html and "Teilnahme nicht nachgewiesen" in html
    unknown = client.get("/nachweis/AAAAA-BBBBB-CCCCC-DDDDD/")
    assert unknown.status_code == 404
    assert "Diese Seite gibt es nicht" in unknown.content.decode()  # the ordinary German 404


def test_pdf_states_every_fact(source):
    certificate = issue(source)
    text = PdfReader(io.BytesIO(certificate_pdf(certificate))).pages[0].extract_text()
    for fact in (
        "Teilnahmebescheinigung",
        "Erika Beispiel",
        "Lernpfad Change",
        "Frühjahr",
        "Auftakt",
        "12",
        "Veränderung begleiten",
        "Initiative Kommune 360°",
        certificate.code,
        "/nachweis/",
    ):
        assert fact in text, fact
    assert Certificate.objects.count() == 1
