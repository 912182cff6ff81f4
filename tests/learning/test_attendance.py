"""The facilitators' attendance list: who may use it, idempotent toggles with and
without htmx, constant queries."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kommune360.core.models import AuditEntry
from kommune360.learning.models import Application, Attendance
from tests.factories.accounts import UserFactory
from tests.factories.learning import (
    ApplicationFactory,
    CohortFactory,
    LearningPathFactory,
    ModuleFactory,
)

pytestmark = pytest.mark.django_db
Status = Application.Status


@pytest.fixture
def setup(home_page):
    path = LearningPathFactory(slug="fuehrung", title="Lernpfad Führung")
    module = ModuleFactory(path=path, title="Führen im Wandel", hours=Decimal("8"))
    cohort = CohortFactory(path=path)
    facilitator = UserFactory(first_name="Fiona", last_name="Begleit")
    cohort.facilitators.add(facilitator)
    other_facilitator = UserFactory()
    CohortFactory(path=path).facilitators.add(other_facilitator)
    participant = ApplicationFactory(
        cohort=cohort, status=Status.ACCEPTED, user=UserFactory(first_name="Anna", last_name="A")
    )
    applicant = ApplicationFactory(cohort=cohort, status=Status.APPLIED)
    return {
        "module": module,
        "cohort": cohort,
        "participant": participant,
        "url": f"/lernpfade/fuehrung/kohorte/{cohort.pk}/anwesenheit/{module.pk}/",
        "people": {
            "member": UserFactory(roles=["Mitglied"]),
            "applicant": applicant.user,
            "participant": participant.user,
            "other_facilitator": other_facilitator,
            "facilitator": facilitator,
            "editor": UserFactory(roles=["Redaktion"]),
            "moderator": UserFactory(roles=["Moderation"]),
        },
    }


@pytest.mark.parametrize(
    "role",
    [
        "anonymous",
        "member",
        "applicant",
        "participant",
        "other_facilitator",
        "moderator",
        "facilitator",
        "editor",
    ],
)
def test_attendance_list_per_role(client, setup, role):
    if role != "anonymous":
        client.force_login(setup["people"][role])
    page = setup["url"]
    data = {"application": setup["participant"].pk, "present": "1"}
    get, post = client.get(page), client.post(page, data)
    if role == "anonymous":
        assert get.status_code == post.status_code == 302
    elif role in ("facilitator", "editor"):
        assert get.status_code == 200 and "Anna A" in get.content.decode()
        assert post.status_code == 302
        assert Attendance.objects.filter(application=setup["participant"]).exists()
        return
    else:
        assert get.status_code == post.status_code == 403
    assert not Attendance.objects.exists()


def test_toggle_is_idempotent_and_audited(client, setup):
    client.force_login(setup["people"]["facilitator"])
    page, me = setup["url"], setup["participant"]
    for _twice in range(2):
        response = client.post(page, {"application": me.pk, "present": "1"}, follow=True)
        assert response.status_code == 200
    attendance = Attendance.objects.get(application=me)
    assert attendance.recorded_by == setup["people"]["facilitator"]
    html = response.content.decode()
    assert "1 von 1 anwesend" in html and "Abwesend" in html
    for _twice in range(2):
        client.post(page, {"application": me.pk, "present": "0"})
    assert not Attendance.objects.exists()
    assert AuditEntry.objects.filter(action="learning.attendance_recorded").count() == 4


def test_htmx_swaps_only_the_row(client, setup):
    client.force_login(setup["people"]["editor"])
    me = setup["participant"]
    response = client.post(
        setup["url"], {"application": me.pk, "present": "1"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.startswith("<li") and f'id="person-{me.pk}"' in html and "<html" not in html
    assert 'role="status"' in html and "anwesend" in html and 'value="0"' in html


def test_refuses_people_not_accepted_or_of_another_cohort(client, setup):
    client.force_login(setup["people"]["facilitator"])
    applicant = Application.objects.get(status=Status.APPLIED)
    response = client.post(setup["url"], {"application": applicant.pk, "present": "1"}, follow=True)
    assert "Nur aufgenommene Teilnehmer:innen" in response.content.decode()
    stranger = ApplicationFactory(status=Status.ACCEPTED)  # another cohort
    assert (
        client.post(setup["url"], {"application": stranger.pk, "present": "1"}).status_code == 404
    )
    foreign_module = ModuleFactory()
    page = f"/lernpfade/fuehrung/kohorte/{setup['cohort'].pk}/anwesenheit/{foreign_module.pk}/"
    assert client.get(page).status_code == 404
    assert not Attendance.objects.exists()


def test_list_queries_independent_of_participants(client, setup, django_assert_num_queries):
    client.force_login(setup["people"]["facilitator"])
    client.get(setup["url"])  # warms the layout's per-process caches

    def count():
        with CaptureQueriesContext(connection) as queries:
            client.get(setup["url"])
        return len(queries)

    before = count()
    # session, user, cohort, own application, 2 × permissions, facilitator?, module,
    # participants, attendance, dates + the layout's 3
    assert before == 14
    for _n in range(20):
        ApplicationFactory(cohort=setup["cohort"], status=Status.ACCEPTED)
    with django_assert_num_queries(before):
        html = client.get(setup["url"]).content.decode()
    assert html.count('name="application"') == 21
