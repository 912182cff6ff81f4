from decimal import Decimal

import pytest
from django.core import mail

from kommune360.accounts.services import delete_account, export_personal_data
from kommune360.learning import services
from kommune360.learning.models import Application
from tests.factories.accounts import PASSWORD, UserFactory
from tests.factories.learning import (
    ApplicationFactory,
    CohortFactory,
    FinishedCohortFactory,
    LearningPathFactory,
    ModuleFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def path(home_page):
    path = LearningPathFactory(title="Lernpfad Change", slug="change", cost=Decimal("0"))
    ModuleFactory(path=path, title="Auftakt online", hours=Decimal("3"))
    ModuleFactory(path=path, title="Werkstatt in Musterstadt", hours=Decimal("6"))
    return path


def test_list_shows_published_paths_in_constant_queries(client, path, django_assert_num_queries):
    LearningPathFactory(title="Entwurf", is_published=False)
    for _n in range(5):
        other = LearningPathFactory()
        ModuleFactory(path=other)
    client.get("/lernpfade/")  # warms the layout's per-process caches (site, settings)
    # count, paths, modules, target groups + the layout's 3: whatever the number of paths
    with django_assert_num_queries(7):
        response = client.get("/lernpfade/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Lernpfad Change" in html and "Entwurf" not in html
    assert "9 Stunden" in html and "kostenfrei" in html
    for _n in range(5):
        ModuleFactory(path=LearningPathFactory())
    with django_assert_num_queries(7):
        client.get("/lernpfade/")


def test_detail_anonymous_open_and_closed_cohorts(client, path, django_assert_num_queries):
    CohortFactory(path=path, title="Herbst 2026")
    FinishedCohortFactory(path=path, title="Frühjahr 2024")
    client.get("/lernpfade/change/")  # warms the layout's per-process caches
    # path, modules, target groups, cohorts, published quotes + the layout's 3
    with django_assert_num_queries(8):
        response = client.get("/lernpfade/change/")
    html = response.content.decode()
    assert "Auftakt online" in html and "Herbst 2026" in html and "Frühjahr 2024" in html
    assert html.count("Jetzt bewerben") == 1
    assert "mindestens 80 % der Modulstunden" in html
    assert client.get("/lernpfade/gibt-es-nicht/").status_code == 404


def test_apply_needs_login_then_applies_once(client, path, django_capture_on_commit_callbacks):
    cohort = CohortFactory(path=path)
    url = f"/lernpfade/change/kohorte/{cohort.pk}/bewerben/"
    assert client.get(url).status_code == 302  # to the login
    user = UserFactory(organisation="Jugendamt Musterstadt")
    client.login(email=user.email, password=PASSWORD)
    response = client.get(url)
    assert "Jugendamt Musterstadt" in response.content.decode()  # prefilled
    response = client.post(url, {"role": "", "employer": "Jugendamt Musterstadt"})
    assert response.status_code == 200  # errors next to the fields, nothing lost
    assert "Jugendamt Musterstadt" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {"role": "Jugendhilfeplanung", "employer": "Jugendamt Musterstadt", "motivation": "Ja"},
            follow=True,
        )
    assert "Ihre Bewerbung ist eingegangen" in response.content.decode()
    assert "Ihre Bewerbung ist eingegangen." in response.content.decode()
    assert "Ihre Bewerbung: beworben" not in response.content.decode()
    application = Application.objects.get(cohort=cohort, user=user)
    assert application.role == "Jugendhilfeplanung"
    assert len(mail.outbox) == 1
    response = client.post(url, {"role": "x", "employer": "y", "motivation": "z"}, follow=True)
    assert "bereits beworben" in response.content.decode()
    assert Application.objects.filter(cohort=cohort).count() == 1


def test_closed_cohort_refuses_application(client, path):
    cohort = FinishedCohortFactory(path=path)
    user = UserFactory()
    client.login(email=user.email, password=PASSWORD)
    response = client.post(
        f"/lernpfade/change/kohorte/{cohort.pk}/bewerben/",
        {"role": "x", "employer": "y", "motivation": "z"},
        follow=True,
    )
    assert "keine Bewerbung möglich" in response.content.decode()
    assert not Application.objects.exists()


def test_personal_data_export_and_erase(path):
    application = ApplicationFactory(
        cohort=CohortFactory(path=path), motivation="Mein Grund", status=Application.Status.ACCEPTED
    )
    services.record_attendance(application, path.modules.first())
    exported = export_personal_data(application.user)["sections"]["learning"]
    assert exported["label"] == "Lernpfade"
    assert exported["data"][0]["motivation"] == "Mein Grund"
    assert exported["data"][0]["attended_modules"][0]["module"] == "Auftakt online"
    delete_account(application.user)
    assert not Application.objects.exists()
