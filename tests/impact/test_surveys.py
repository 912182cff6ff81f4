"""Follow-up surveys: mailed once per person and survey, never after the opt-out,
answered anonymously with a token that is used up; results only from five answers."""

import datetime
import re

import pytest
from django.core import mail

from kommune360.core.models import OutgoingMail
from kommune360.impact import surveys
from kommune360.impact.models import Answer, Invitation, OptOut, Question, Response, Survey

pytestmark = pytest.mark.django_db
ENDED = datetime.date(2025, 5, 1)
DUE = datetime.date(2025, 8, 5)  # three months and a few days after the event


@pytest.fixture
def survey(year_data):
    survey = Survey.objects.create(
        title="Drei Monate danach",
        subject_key="events.event",
        subject_id=year_data["event"].pk,
        months=3,
        is_active=True,
    )
    Question.objects.create(survey=survey, text="Angewendet?", kind="scale", order=0)
    Question.objects.create(survey=survey, text="Zusammengearbeitet?", kind="yes_no", order=1)
    Question.objects.create(survey=survey, text="Wie viele?", kind="number", order=2)
    Question.objects.create(survey=survey, text="Was noch?", kind="text", order=3)
    return survey


def outbox_links(pattern):
    return [
        m for mail_row in OutgoingMail.objects.all() for m in re.findall(pattern, mail_row.text)
    ]


def test_mails_go_out_once_per_person_and_survey(survey):
    assert surveys.send_due(datetime.date(2025, 7, 31)) == 0  # not yet three months
    assert surveys.send_due(DUE) == 6
    assert surveys.send_due(DUE) == 0
    assert surveys.send_due(DUE + datetime.timedelta(days=3)) == 0
    assert OutgoingMail.objects.count() == 6
    assert Invitation.objects.filter(survey=survey).count() == 6
    recipients = sorted(row.to[0] for row in OutgoingMail.objects.all())
    assert recipients == sorted(f"p{n}@beispiel.example" for n in range(6))
    first = OutgoingMail.objects.first()
    assert first.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/wirkung/umfrage/" in first.text and "Keine Nachbefragungen mehr" in first.text


def test_too_late_or_inactive_surveys_send_nothing(survey):
    assert surveys.send_due(DUE + datetime.timedelta(days=120)) == 0
    survey.is_active = False
    survey.save()
    assert surveys.send_due(DUE) == 0


def test_no_mail_after_the_one_click_opt_out_without_login(client, survey, year_data):
    from kommune360.core.registry import SurveyParticipant

    person = SurveyParticipant.of("p0@beispiel.example", None).person
    signed = surveys.OPT_OUT.sign_text(person)
    url = f"/wirkung/umfrage/abmelden/{signed}/"
    assert client.get(url).status_code == 200
    assert not OptOut.objects.exists()  # looking is not opting out (link scanners)
    response = client.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert OptOut.objects.filter(person=person).exists()
    assert surveys.send_due(DUE) == 5
    assert "p0@beispiel.example" not in [row.to[0] for row in OutgoingMail.objects.all()]
    assert client.post("/wirkung/umfrage/abmelden/kaputt/").status_code == 404


def test_answers_hold_no_person_and_the_token_is_used_up(client, survey):
    surveys.send_due(DUE)
    token = outbox_links(r"/wirkung/umfrage/([A-Za-z0-9_\-]+)/")[0]
    url = f"/wirkung/umfrage/{token}/"
    assert client.get(url).status_code == 200
    questions = {q.kind: q for q in survey.questions.all()}
    data = {
        f"q{questions['scale'].pk}": "4",
        f"q{questions['yes_no'].pk}": "1",
        f"q{questions['number'].pk}": "3",
        f"q{questions['text'].pk}": "Mehr Mut.",
    }
    bad = client.post(url, {**data, f"q{questions['number'].pk}": "viele"})
    assert bad.status_code == 400 and "Bitte geben Sie eine Zahl ein." in bad.content.decode()
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 404  # used up
    assert client.get(url).status_code == 404
    assert Response.objects.count() == 1 and Answer.objects.count() == 4
    invitation = Invitation.objects.get(answered=True)
    assert invitation.token_hash == ""
    # No column of an answer refers to a person, an address or the invitation.
    for model in (Response, Answer):
        names = {field.name for field in model._meta.get_fields()}
        assert not names & {"person", "email", "user", "invitation", "token", "created_at"}
    response = Response.objects.get()
    assert response.month.day == 1


def test_results_only_for_groups_of_five(survey):
    from kommune360.impact.anonymity import breakdown, shown
    from kommune360.impact.results import question_results

    scale = survey.questions.get(kind="scale")
    yes_no = survey.questions.get(kind="yes_no")

    def answer(value_scale, value_yes):
        surveys.store_response(
            survey.pk, datetime.date(2025, 9, 1), {scale: value_scale, yes_no: value_yes}
        )

    for _n in range(4):
        answer(5, 1)
    results = question_results([scale, yes_no], 2025)
    assert not results[scale.pk].shown and results[scale.pk].distribution == []
    assert results[scale.pk].actual is None
    answer(4, 0)
    answer(4, 0)
    results = question_results([scale, yes_no], 2025)
    assert results[scale.pk].shown and results[scale.pk].count == 6
    cells = dict(results[scale.pk].distribution)
    assert all(value == "weniger als 5" or value >= 5 for value in cells.values())
    # 4 yes, 2 no: both below five, and no share that would reveal them.
    assert dict(results[yes_no.pk].distribution) == {"ja": shown(0), "nein": shown(0)}
    assert results[yes_no.pk].agreement is None
    # A single hidden cell would follow from the total: a second one is hidden too.
    assert breakdown([7, 2, 9]) == [shown(0), shown(0), 9]
    assert breakdown([5, 5]) == [5, 5]


def test_the_public_page_shows_results_without_free_text(client, survey, year_data):
    from kommune360.impact.figures import refresh

    refresh(2025)
    scale = survey.questions.get(kind="scale")
    text = survey.questions.get(kind="text")
    for n in range(5):
        surveys.store_response(
            survey.pk, datetime.date(2025, 9, 1), {scale: 5, text: f"Geheimer Text {n}"}
        )
    html = client.get("/wirkung/2025/").content.decode()
    assert "Drei Monate danach" in html and "5 Antworten" in html
    assert "Geheimer Text" not in html
    editor_html = _editor_results(client, survey)
    assert "Geheimer Text 3" in editor_html


def _editor_results(client, survey):
    from tests.factories.accounts import UserFactory

    client.force_login(UserFactory(roles=["Redaktion"]))
    response = client.get(f"/admin/impact/umfrage/{survey.pk}/ergebnisse/")
    assert response.status_code == 200
    return response.content.decode()


def test_free_text_is_for_editors_only(client, survey):
    from tests.factories.accounts import UserFactory

    url = f"/admin/impact/umfrage/{survey.pk}/ergebnisse/"
    client.force_login(UserFactory(roles=["Mitglied"]))
    assert client.get(url).status_code in (302, 403)
    assert len(mail.outbox) == 0
