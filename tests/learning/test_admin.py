"""The team's screens in the Wagtail admin: deciding applications, certificates in
bulk, revoking and re-issuing, publishing quotes, the snippets; per role."""

from datetime import date
from decimal import Decimal

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kommune360.core.models import AuditEntry
from kommune360.learning import services
from kommune360.learning.models import Application, Feedback, Material
from tests.factories.accounts import UserFactory
from tests.factories.learning import (
    ApplicationFactory,
    CohortFactory,
    FinishedCohortFactory,
    LearningPathFactory,
    ModuleFactory,
)

pytestmark = pytest.mark.django_db
Status = Application.Status


@pytest.fixture
def finished(home_page):
    path = LearningPathFactory(title="Lernpfad Change", slug="change")
    modules = [ModuleFactory(path=path, hours=Decimal("5")) for _n in range(2)]
    cohort = FinishedCohortFactory(path=path, title="Frühjahr 2024")
    full = ApplicationFactory(
        cohort=cohort, status=Status.ACCEPTED, user=UserFactory(first_name="Voll", last_name="Da")
    )
    half = ApplicationFactory(
        cohort=cohort, status=Status.ACCEPTED, user=UserFactory(first_name="Halb", last_name="Da")
    )
    for module in modules:
        services.record_attendance(full, module)
    services.record_attendance(half, modules[0])
    return {"cohort": cohort, "full": full, "half": half, "modules": modules}


def editor():
    return UserFactory(roles=["Redaktion"])


ROLES = {
    "member": ["Mitglied"],
    "provider": ["Anbieter:in"],
    "moderator": ["Moderation"],
    "editor": ["Redaktion"],
}


@pytest.mark.parametrize("role", ["anonymous", *ROLES])
def test_admin_screens_per_role(client, finished, role):
    if role != "anonymous":
        client.force_login(UserFactory(roles=ROLES[role]))
    cohort = finished["cohort"]
    services.issue_cohort_certificates(cohort)
    certificate = services.valid_certificate(finished["full"])
    pages = [
        f"/admin/lernpfade/kohorte/{cohort.pk}/bewerbungen/",
        f"/admin/lernpfade/kohorte/{cohort.pk}/bescheinigungen/",
        f"/admin/lernpfade/kohorte/{cohort.pk}/rueckmeldungen/",
        f"/admin/lernpfade/bescheinigung/{certificate.pk}/widerrufen/",
        f"/admin/lernpfade/bescheinigung/{certificate.pk}.pdf",
        "/admin/snippets/learning/cohort/",
        "/admin/snippets/learning/material/add/",
    ]
    for page in pages:
        status = client.get(page).status_code
        if role == "editor":
            assert status == 200, page
        elif role == "moderator":  # in the admin, but not running Lernpfade
            assert status in (302, 403), page
        else:
            assert status == 302, page  # to the login / away from the admin
    client.post(f"/admin/lernpfade/bescheinigung/{certificate.pk}/widerrufen/", {"reason": "Test"})
    certificate.refresh_from_db()
    assert certificate.is_valid == (role != "editor")


def test_decide_accept_waitlist_decline_with_capacity(client, django_capture_on_commit_callbacks):
    cohort = CohortFactory(capacity=1, title="Herbst")
    first, second = ApplicationFactory(cohort=cohort), ApplicationFactory(cohort=cohort)
    client.force_login(editor())
    page = f"/admin/lernpfade/kohorte/{cohort.pk}/bewerbungen/"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(page, {"application": first.pk, "decision": "accept"})
        client.post(page, {"application": first.pk, "decision": "accept"})  # no second mail
        response = client.post(page, {"application": second.pk, "decision": "accept"}, follow=True)
        assert "Der eine Platz dieser Kohorte ist vergeben." in response.content.decode()
        client.post(page, {"application": second.pk, "decision": "waitlist"})
        client.post(page, {"application": second.pk, "decision": "nonsense"})
    first.refresh_from_db(), second.refresh_from_db()
    assert (first.status, second.status) == (Status.ACCEPTED, Status.WAITLISTED)
    assert len(mail.outbox) == 2
    other = ApplicationFactory()  # of another cohort
    assert client.post(page, {"application": other.pk, "decision": "accept"}).status_code == 404


def test_applications_list_constant_queries(client):
    cohort = CohortFactory()
    client.force_login(editor())
    page = f"/admin/lernpfade/kohorte/{cohort.pk}/bewerbungen/"
    ApplicationFactory(cohort=cohort)
    client.get(page)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(page).status_code == 200
        return len(queries)

    before = count()
    for _n in range(10):
        ApplicationFactory(cohort=cohort)
    assert count() == before


def test_bulk_issue_revoke_and_reissue(client, finished):
    cohort, full = finished["cohort"], finished["full"]
    client.force_login(editor())
    page = f"/admin/lernpfade/kohorte/{cohort.pk}/bescheinigungen/"
    response = client.post(page, {"issue": "1"}, follow=True)
    assert "1 Teilnahmebescheinigung gültig, 1 nicht berechtigt." in response.content.decode()
    reasons = AuditEntry.objects.filter(
        action="learning.certificate_not_eligible", object_id=str(finished["half"].pk)
    ).values_list("data__reason", flat=True)
    assert "Teilgenommen an 50 % der Modulstunden, nötig sind 80 %." in reasons
    old = services.valid_certificate(full)
    client.post(page, {"issue": "1"})  # again: no second certificate
    assert services.valid_certificate(full) == old
    revoke = f"/admin/lernpfade/bescheinigung/{old.pk}/widerrufen/"
    response = client.post(revoke, {"reason": ""})
    assert response.status_code == 200 and old.__class__.objects.get(pk=old.pk).is_valid
    client.post(revoke, {"reason": "Anwesenheit falsch erfasst"})
    assert services.valid_certificate(full) is None
    html = client.get(f"/nachweis/{old.code}/").content.decode()
    assert "widerrufen" in html and "Anwesenheit falsch erfasst" in html
    client.post(page, {"issue": "1"})  # bulk does not re-issue a revoked one
    assert services.valid_certificate(full) is None
    client.post(page, {"reissue": full.pk})
    new = services.valid_certificate(full)
    assert new is not None and new.code != old.code
    assert "gültig" in client.get(f"/nachweis/{new.code}/").content.decode()
    html = client.get(page).content.decode()
    assert new.code in html and "Anwesenheit falsch erfasst" in html


def test_bulk_issue_waits_for_the_end(client):
    cohort = CohortFactory()
    ApplicationFactory(cohort=cohort, status=Status.ACCEPTED)
    client.force_login(editor())
    page = f"/admin/lernpfade/kohorte/{cohort.pk}/bescheinigungen/"
    assert "noch nicht abgeschlossen" in client.get(page).content.decode()
    client.post(page, {"issue": "1"})
    assert not services.certificate_count()


def test_publish_quote_only_with_consent(client, finished):
    cohort = finished["cohort"]
    with_consent = services.submit_feedback(
        finished["full"], rating=5, text="Sehr gut", publish_consent=True
    )
    without = services.submit_feedback(finished["half"], rating=2, text="Zu lang")
    client.force_login(editor())
    page = f"/admin/lernpfade/kohorte/{cohort.pk}/rueckmeldungen/"
    html = client.get(page).content.decode()
    assert "im Mittel 3,5 von 5" in html or "im Mittel 3.5 von 5" in html
    assert "keine Einwilligung" in html
    response = client.post(page, {"feedback": without.pk, "publish": "1"}, follow=True)
    assert "keine Einwilligung" in response.content.decode()
    client.post(page, {"feedback": with_consent.pk, "publish": "1"})
    assert list(Feedback.objects.filter(is_published=True)) == [with_consent]
    assert "Sehr gut" in client.get("/lernpfade/change/").content.decode()
    client.post(page, {"feedback": with_consent.pk, "publish": "0"})
    assert not Feedback.objects.filter(is_published=True).exists()


def test_material_upload_through_the_snippet_form(client, finished, settings):
    client.force_login(editor())
    module = finished["modules"][0]
    response = client.post(
        "/admin/snippets/learning/material/add/",
        {
            "module": module.pk,
            "title": "Folien",
            "file": SimpleUploadedFile(
                "folien.pdf", b"MZ\x90\x00\x03\x00 Programm", "application/pdf"
            ),
            "url": "",
            "order": 0,
        },
    )
    assert "Diese Art von Datei ist hier nicht möglich" in response.content.decode()
    assert not Material.objects.exists()
    assert not (settings.STORAGES["private"]["OPTIONS"]["location"] / "learning").exists()
    response = client.post(
        "/admin/snippets/learning/material/add/",
        {
            "module": module.pk,
            "cohort": finished["cohort"].pk,
            "title": "Folien",
            "file": SimpleUploadedFile("folien.pdf", b"%PDF-1.4 x", "application/pdf"),
            "url": "",
            "order": 0,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    item = Material.objects.get()
    assert "/private/learning/material/" in item.file.path
    assert item.file.path.startswith(str(settings.STORAGES["private"]["OPTIONS"]["location"]))
    # The edit form works and offers no public address for the private file.
    response = client.get(f"/admin/snippets/learning/material/edit/{item.pk}/")
    assert response.status_code == 200
    assert "/media/learning/" not in response.content.decode()
    response = client.post(
        "/admin/snippets/learning/material/add/",
        {"module": module.pk, "title": "Leer", "url": "", "order": 0},
    )
    assert "entweder eine Datei oder einen Link" in response.content.decode()


def test_figures_in_the_registry(finished):
    from kommune360.core.registry import registry

    figures = {f.key: f for f in registry.figures()}
    services.issue_cohort_certificates(finished["cohort"])
    services.submit_feedback(finished["full"], rating=4)
    assert figures["learning.participants"].compute() == 2
    assert figures["learning.participants"].compute(year=2024) == 2
    assert figures["learning.participants"].compute(year=2023) == 0
    assert figures["learning.certificates"].compute() == 1
    assert figures["learning.rating"].compute() == 4.0
    assert date.today().year >= 2024


def test_snippet_screens_for_the_team(client, finished):
    client.force_login(editor())
    for model in ("learningpath", "module", "cohort", "cohortdate", "material", "feedback"):
        assert client.get(f"/admin/snippets/learning/{model}/").status_code == 200, model
        assert client.get(f"/admin/snippets/learning/{model}/add/").status_code == 200, model
    cohort = finished["cohort"]
    html = client.get(f"/admin/snippets/learning/cohort/edit/{cohort.pk}/").content.decode()
    assert "Begleitung" in html
    listing = client.get("/admin/snippets/learning/cohort/").content.decode()
    assert f"/admin/lernpfade/kohorte/{cohort.pk}/bewerbungen/" in listing
