"""The cohort area, its calendar files, material, self-study, visibility, certificate
download and feedback: every view for every role, query counts pinned."""

import io
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from icalendar import Calendar
from pypdf import PdfReader

from kommune360.learning import services
from kommune360.learning.models import Application, Attendance, CohortDate, Feedback, Material
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
BERLIN = timezone.get_default_timezone()


@pytest.fixture
def setup(home_page):
    """A finished cohort of a path with three modules, its dates and material, and one
    person of each role."""
    path = LearningPathFactory(
        title="Lernpfad Change",
        slug="change",
        goals="Veränderung planen\nKolleg:innen gewinnen",
        provider="Beispiel-Akademie",
    )
    modules = [
        ModuleFactory(path=path, order=1, title="Auftakt online", hours=Decimal("4")),
        ModuleFactory(path=path, order=2, title="Werkstatt", kind="presence", hours=Decimal("4")),
        ModuleFactory(path=path, order=3, title="Lesen", kind="self_study", hours=Decimal("2")),
    ]
    cohort = FinishedCohortFactory(path=path, title="Frühjahr 2024", place="Musterstadt")
    for n, module in enumerate(modules[:2]):
        start = datetime(2024, 2, 1 + 7 * n, 10, tzinfo=BERLIN)
        CohortDate.objects.create(
            cohort=cohort,
            module=module,
            starts_at=start,
            ends_at=start + timedelta(hours=4),
            place="Rathaus Musterstadt" if n else "",
        )
    Material.objects.create(
        module=modules[0],
        cohort=cohort,
        title="Folien zum Auftakt",
        file=ContentFile(b"%PDF-1.4 Folien", name="folien.pdf"),
    )
    Material.objects.create(
        module=modules[2], title="Leseliste", url="https://beispiel.example/liste"
    )
    other_cohort = FinishedCohortFactory(path=path, title="Andere Kohorte")
    Material.objects.create(
        module=modules[0],
        cohort=other_cohort,
        title="Nur für die anderen",
        url="https://beispiel.example/andere",
    )
    people = {
        "member": UserFactory(roles=["Mitglied"]),
        "applicant": UserFactory(roles=["Mitglied"]),
        "participant": UserFactory(roles=["Mitglied"], first_name="Paula", last_name="Teil"),
        "facilitator": UserFactory(roles=["Mitglied"], first_name="Fiona", last_name="Begleit"),
        "editor": UserFactory(roles=["Redaktion"]),
        "provider": UserFactory(roles=["Anbieter:in"]),
        "moderator": UserFactory(roles=["Moderation"]),
    }
    ApplicationFactory(cohort=cohort, user=people["applicant"], status=Status.WAITLISTED)
    me = ApplicationFactory(
        cohort=cohort, user=people["participant"], status=Status.ACCEPTED, role="Jugendhilfeplanung"
    )
    cohort.facilitators.add(people["facilitator"])
    return {"path": path, "modules": modules, "cohort": cohort, "me": me, "people": people}


def url(setup, name="", *args):
    base = f"/lernpfade/change/kohorte/{setup['cohort'].pk}/"
    return base + name


def login(client, user):
    client.force_login(user)


ENTER = {"participant", "facilitator", "editor"}


@pytest.mark.parametrize(
    "role", ["anonymous", "member", "provider", "moderator", "applicant", *sorted(ENTER)]
)
def test_area_ics_and_material_per_role(client, setup, role):
    if role != "anonymous":
        login(client, setup["people"][role])
    date = setup["cohort"].dates.first()
    file_material = Material.objects.get(title="Folien zum Auftakt")
    pages = [
        url(setup),
        url(setup, "termine.ics"),
        url(setup, f"termine/{date.pk}.ics"),
        url(setup, f"material/{file_material.pk}/"),
    ]
    for page in pages:
        response = client.get(page)
        if role == "anonymous":
            assert response.status_code == 302 and "/konto/login/" in response["Location"]
        elif role in ENTER:
            assert response.status_code == 200, page
        else:
            assert response.status_code == 403, page
            assert "Kein Zugang" in response.content.decode()
    if role == "applicant":
        assert "Sie stehen auf der Warteliste." in client.get(url(setup)).content.decode()


def test_area_shows_dates_material_progress_and_certificate(client, setup):
    me, modules = setup["me"], setup["modules"]
    services.record_attendance(me, modules[0])
    login(client, me.user)
    html = client.get(url(setup)).content.decode()
    for text in (
        "Frühjahr 2024",
        "Auftakt online",
        "Rathaus Musterstadt",
        "Folien zum Auftakt",
        "Leseliste",
        "Alle Termine in meinen Kalender",
    ):
        assert text in html, text
    assert "Nur für die anderen" not in html  # material of another cohort
    # 4 of 10 hours, 8 needed (80 %)
    assert "Besuchte Module: 4 Stunden von 10 Stunden" in html and "8 Stunden nötig" in html
    assert "Noch offen: 4 Stunden." in html
    assert "Teilgenommen an 40 % der Modulstunden, nötig sind 80 %." in html
    assert "Erledigt" in html  # the self-study button
    assert "Anwesenheit" not in html  # participants do not record attendance


def test_area_query_count_independent_of_participants(client, setup, django_assert_num_queries):
    me = setup["me"]
    login(client, me.user)
    client.get(url(setup))  # warms the layout's per-process caches

    def count():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get(url(setup)).status_code == 200
        return len(queries)

    before = count()
    # session, user, cohort, own application, 2 × permissions, facilitator?, modules,
    # material, dates, own attendance, certificate, revoked?, feedback, peers
    # + the layout's 3
    assert before == 18
    for _n in range(15):
        other = ApplicationFactory(
            cohort=setup["cohort"], status=Status.ACCEPTED, show_to_cohort=True
        )
        services.record_attendance(other, setup["modules"][0])
    assert count() == before
    with django_assert_num_queries(before):
        html = client.get(url(setup)).content.decode()
    assert html.count("Jugendamt Musterstadt") >= 15  # the visible peers


def test_cohort_ics_has_every_date(client, setup):
    login(client, setup["me"].user)
    response = client.get(url(setup, "termine.ics"))
    assert response["Content-Type"].startswith("text/calendar")
    events = Calendar.from_ical(response.content).walk("VEVENT")
    assert [str(e["summary"]) for e in events] == [
        "Lernpfad Change: Auftakt online",
        "Lernpfad Change: Werkstatt",
    ]
    assert str(events[1]["location"]) == "Rathaus Musterstadt"
    assert str(events[0]["location"]) == "Musterstadt"  # the cohort's place
    date = setup["cohort"].dates.last()
    single = Calendar.from_ical(client.get(url(setup, f"termine/{date.pk}.ics")).content)
    assert len(single.walk("VEVENT")) == 1
    other = FinishedCohortFactory(path=setup["path"])
    foreign = CohortDate.objects.create(
        cohort=other, module=setup["modules"][0], starts_at=timezone.now(), ends_at=timezone.now()
    )
    assert client.get(url(setup, f"termine/{foreign.pk}.ics")).status_code == 404


def test_material_file_served_privately_link_redirects(client, setup, settings):
    login(client, setup["me"].user)
    item = Material.objects.get(title="Folien zum Auftakt")
    assert "private" in item.file.path and settings.MEDIA_ROOT.as_posix() not in item.file.path
    response = client.get(url(setup, f"material/{item.pk}/"))
    assert b"".join(response.streaming_content) == b"%PDF-1.4 Folien"
    assert "attachment" in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"
    link = Material.objects.get(title="Leseliste")
    assert (
        client.get(url(setup, f"material/{link.pk}/"))["Location"]
        == "https://beispiel.example/liste"
    )
    foreign = Material.objects.get(title="Nur für die anderen")
    assert client.get(url(setup, f"material/{foreign.pk}/")).status_code == 404


def test_material_needs_file_or_link():
    from django.core.exceptions import ValidationError

    module = ModuleFactory()
    with pytest.raises(ValidationError):
        Material(module=module, title="leer").full_clean()
    with pytest.raises(ValidationError):
        Material(
            module=module,
            title="x",
            url="https://beispiel.example/",
            file=ContentFile(b"x", name="x.pdf"),
        ).full_clean()
    with pytest.raises(ValidationError):  # not an allowed type
        Material(module=module, title="x", file=ContentFile(b"x", name="x.exe")).full_clean()


@pytest.mark.parametrize(
    "role", ["anonymous", "member", "provider", "moderator", "applicant", "facilitator", "editor"]
)
def test_participant_actions_refused_for_others(client, setup, role):
    if role != "anonymous":
        login(client, setup["people"][role])
    self_study = setup["modules"][2]
    for page, data in (
        (url(setup, f"modul/{self_study.pk}/erledigt/"), {}),
        (url(setup, "sichtbarkeit/"), {"visible": "1"}),
        (url(setup, "bescheinigung/"), {}),
        (url(setup, "rueckmeldung/"), {"rating": "5"}),
    ):
        response = client.post(page, data)
        assert response.status_code == (302 if role == "anonymous" else 403), page
    assert not Attendance.objects.exists() and not Feedback.objects.exists()
    assert not Application.objects.filter(show_to_cohort=True).exists()


def test_self_study_done_and_only_self_study(client, setup):
    me, modules = setup["me"], setup["modules"]
    login(client, me.user)
    response = client.post(url(setup, f"modul/{modules[2].pk}/erledigt/"), follow=True)
    assert "„Lesen“ ist erledigt." in response.content.decode()
    client.post(url(setup, f"modul/{modules[2].pk}/erledigt/"))  # twice is harmless
    assert Attendance.objects.get(application=me).self_reported
    response = client.post(url(setup, f"modul/{modules[0].pk}/erledigt/"), follow=True)
    assert "Nur Selbststudium-Module" in response.content.decode()
    assert Attendance.objects.filter(application=me).count() == 1
    assert client.get(url(setup, f"modul/{modules[2].pk}/erledigt/")).status_code == 405


def test_visibility_opt_in_and_out(client, setup):
    me = setup["me"]
    login(client, me.user)
    assert "Noch niemand hat sich sichtbar gemacht." in client.get(url(setup)).content.decode()
    client.post(url(setup, "sichtbarkeit/"), {"visible": "1"})
    html = client.get(url(setup)).content.decode()
    assert "Paula Teil · Jugendhilfeplanung" in html
    client.post(url(setup, "sichtbarkeit/"), {"visible": "0"})
    assert "Paula Teil ·" not in client.get(url(setup)).content.decode()


def test_apply_with_visibility_opt_in(client, setup):
    cohort = CohortFactory(path=setup["path"])
    user = UserFactory()
    login(client, user)
    client.post(
        f"/lernpfade/change/kohorte/{cohort.pk}/bewerben/",
        {
            "role": "Leitung",
            "employer": "Jugendamt Musterstadt",
            "motivation": "Ja",
            "show_to_cohort": "on",
        },
    )
    assert Application.objects.get(cohort=cohort, user=user).show_to_cohort


def test_certificate_issue_and_download(client, setup):
    me, modules = setup["me"], setup["modules"]
    login(client, me.user)
    assert client.get(url(setup, "bescheinigung/")).status_code == 404  # none yet
    response = client.post(url(setup, "bescheinigung/"), follow=True)
    assert "Teilgenommen an 0 %" in response.content.decode()  # refused, reason shown
    for module in modules[:2]:
        services.record_attendance(me, module)  # 8 of 10 hours: exactly 80 %
    response = client.post(url(setup, "bescheinigung/"))
    assert response.status_code == 302 and response["Location"].endswith("/#bescheinigung")
    response = client.get(url(setup, "bescheinigung/"))
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    certificate = services.valid_certificate(me)
    for fact in (
        "Paula Teil",
        "Lernpfad Change",
        "Frühjahr 2024",
        "1. Februar 2024 bis 30. Juni 2024",
        "Auftakt online",
        "Werkstatt",
        "8. Februar 2024",
        "Gesamtumfang: 8 Stunden",
        "Veränderung planen",
        "Kolleg:innen gewinnen",
        "Beispiel-Akademie",
        certificate.code,
        "/nachweis/",
    ):
        assert fact in text, fact
    html = client.get(url(setup)).content.decode()
    assert certificate.code in html and "Teilnahmebescheinigung herunterladen" in html


def test_feedback_form_consent_and_errors(client, setup):
    me = setup["me"]
    login(client, me.user)
    page = url(setup, "rueckmeldung/")
    assert "Wie bewerten Sie" in client.get(page).content.decode()
    response = client.post(
        page, {"text": "Sehr hilfreich", "publish_consent": "on", "attribution": "role"}
    )
    html = response.content.decode()
    assert response.status_code == 200 and "Bitte wählen Sie eine Möglichkeit aus." in html
    assert "Sehr hilfreich" in html  # nothing entered is lost
    response = client.post(page, {"rating": "5", "publish_consent": "on", "attribution": "role"})
    assert "ein paar Worte" in response.content.decode()
    client.post(
        page,
        {"rating": "4", "text": "Sehr hilfreich", "publish_consent": "on", "attribution": "role"},
    )
    feedback = Feedback.objects.get(application=me)
    assert (feedback.rating, feedback.publish_consent, feedback.is_published) == (4, True, False)
    assert feedback.attribution_line == "Jugendhilfeplanung, Jugendamt Musterstadt"
    assert "4 von 5 Punkten" in client.get(url(setup)).content.decode()


def test_feedback_not_before_the_end(client, home_page):
    cohort = CohortFactory()
    me = ApplicationFactory(cohort=cohort, status=Status.ACCEPTED)
    client.force_login(me.user)
    page = f"/lernpfade/{cohort.path.slug}/kohorte/{cohort.pk}/rueckmeldung/"
    response = client.post(page, {"rating": "5"}, follow=True)
    assert "erst zum Abschluss" in response.content.decode()
    assert not Feedback.objects.exists()
    with pytest.raises(services.LearningError):
        services.submit_feedback(me, rating=5)


def test_published_quote_needs_consent_and_shows_on_path_page(client, setup):
    me = setup["me"]
    without = services.submit_feedback(me, rating=3, text="Ganz gut")
    with pytest.raises(services.LearningError):
        services.publish_feedback(without)
    feedback = services.submit_feedback(
        me, rating=5, text="Hat mir Mut gemacht", publish_consent=True, attribution="name_role"
    )
    services.publish_feedback(feedback)
    html = client.get("/lernpfade/change/").content.decode()
    assert "Hat mir Mut gemacht" in html and "Paula Teil, Jugendhilfeplanung" in html
    # a new submission takes the quote back until the team looks again
    services.submit_feedback(me, rating=5, text="Anders formuliert", publish_consent=True)
    assert "Mut gemacht" not in client.get("/lernpfade/change/").content.decode()


@pytest.mark.parametrize(
    "role", ["anonymous", "member", "provider", "moderator", "applicant", *sorted(ENTER)]
)
def test_path_page_links_to_the_area_for_those_who_may_enter(client, setup, role):
    if role != "anonymous":
        login(client, setup["people"][role])
    html = client.get("/lernpfade/change/").content.decode()
    assert ("Zum Bereich der Kohorte" in html) == (role in ENTER)
