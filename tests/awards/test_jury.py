"""The jury: conflicts (detected and declared), assignment by the solver, reviewing
with pretalx's rule, calibration, exports and the dossier."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from kommune360.awards.models import Assignment, Conflict, Review, Round
from kommune360.awards.services import calibration, jury, rounds
from tests.factories.accounts import UserFactory

from .conftest import submitted

pytestmark = pytest.mark.django_db
Source = Conflict.Source


def juror_at(place, email):
    return UserFactory(roles=["Jury"], email=email, municipality=place)


def test_detected_conflicts(open_round, places):
    application = submitted(
        open_round,
        places["musterstadt"],
        contact_email="team@musterstadt.example",
    )
    same_place = juror_at(places["musterstadt"], "a@irgendwo.example")
    same_kreis = juror_at(places["beispielhausen"], "b@irgendwo.example")
    same_domain = juror_at(places["probstadt"], "c@musterstadt.example")
    free_mail = juror_at(places["probstadt"], "d@web.de")
    co = juror_at(places["probstadt"], "co@andere.example")
    application.co_applicants.create(email="co@andere.example")
    far = juror_at(places["neustadt"], "e@neustadt.example")

    def sources(user):
        return jury.detected(user, application, open_round)

    assert Source.MUNICIPALITY in sources(same_place)
    assert sources(same_kreis) == [Source.DISTRICT]
    assert sources(same_domain) == [Source.DOMAIN]
    assert sources(free_mail) == []
    assert Source.CO_APPLICANT in sources(co)
    assert sources(far) == []
    open_round.conflict_same_state = True
    same_land = juror_at(places["probstadt"], "f@irgendwo.example")
    places["probstadt"].state = "03"
    assert Source.STATE in jury.detected(same_land, application, open_round)


def _review_round(places, jurors, count=6):
    from .conftest import make_round

    round_ = make_round(title="Jury-Runde", reviews_per_application=3)
    round_.jurors.set(jurors)
    round_.save()
    spots = [places["musterstadt"], places["neustadt"], places["beispielhausen"]]
    apps = [submitted(round_, spots[n % 3], title=f"Lösung {n}") for n in range(count)]
    rounds.change_phase(round_, Round.Phase.REVIEW, None)
    return round_, apps


def test_assignment_balances_and_never_assigns_a_conflict(places, home_page):
    jurors = [juror_at(places["probstadt"], f"j{n}@jury{n}.example") for n in range(4)]
    jurors.append(juror_at(places["musterstadt"], "konflikt@jury.example"))
    round_, apps = _review_round(places, jurors)

    assert jury.assign(round_, None) == 18
    pairs = set(Assignment.objects.values_list("application_id", "juror_id"))
    conflicts = jury.conflict_pairs(round_)
    assert not pairs & conflicts
    loads = [Assignment.objects.filter(juror=j).count() for j in jurors]
    assert max(loads) - min(loads[:4]) <= 1
    for application in apps:
        assert application.assignments.count() == 3
    # Again: nothing new, nothing twice.
    assert jury.assign(round_, None) == 0


def test_assignment_by_hand_keeps_the_conflict_rules(client, editor, places, home_page):
    conflicted = juror_at(places["musterstadt"], "k@jury.example")
    round_, apps = _review_round(places, [conflicted], count=1)
    client.force_login(editor)
    response = client.post(
        reverse("awards_assignment", args=[round_.pk, apps[0].pk]),
        {"juror": conflicted.pk},
        follow=True,
    )
    assert "befangen" in response.content.decode()
    assert not Assignment.objects.exists()


def _review(client, round_, application, values, submit=True):
    data = {"recommendation": "award", "comment": "Stark.", "meeting_note": ""}
    for criterion, value in zip(round_.criteria.all(), values, strict=True):
        data[f"score_{criterion.pk}"] = value
        data[f"note_{criterion.pk}"] = "ok"
    if submit:
        data["submit"] = "1"
    return client.post(reverse("awards_review", args=[round_.pk, application.pk]), data)


def test_others_reviews_only_after_own_and_conflicted_jurors_get_404(client, places, home_page):
    first = juror_at(places["probstadt"], "eins@jury1.example")
    second = juror_at(places["neustadt"], "zwei@jury2.example")
    conflicted = juror_at(places["musterstadt"], "drei@jury3.example")
    round_, apps = _review_round(places, [first, second, conflicted], count=1)
    application = apps[0]  # from Musterstadt
    jury.assign(round_, None)
    client.force_login(second)
    _review(client, round_, application, [5, 4])
    client.force_login(first)
    page = client.get(reverse("awards_review", args=[round_.pk, application.pk])).content.decode()
    assert "sobald Sie Ihr eigenes abgegeben haben" in page
    assert "Stark." not in page
    response = _review(client, round_, application, [2, 3])
    assert response.status_code == 302
    page = client.get(reverse("awards_review", args=[round_.pk, application.pk])).content.decode()
    assert "Stark." in page
    review = Review.objects.get(juror=first)
    assert review.version.number == application.version

    client.force_login(conflicted)
    for name in ("awards_review", "awards_juror_dossier", "awards_declare_conflict"):
        url = reverse(name, args=[round_.pk, application.pk])
        assert client.get(url).status_code in (404, 405), name
        assert client.post(url).status_code == 404, name
    shortlist = client.get(reverse("awards_shortlist", args=[round_.pk])).content.decode()
    assert application.title not in shortlist


def test_declared_conflict_hides_the_application(client, places, home_page):
    juror = juror_at(places["probstadt"], "j@jury.example")
    round_, apps = _review_round(places, [juror], count=1)
    jury.assign(round_, None)
    client.force_login(juror)
    url = reverse("awards_review", args=[round_.pk, apps[0].pk])
    assert client.get(url).status_code == 200
    client.post(
        reverse("awards_declare_conflict", args=[round_.pk, apps[0].pk]),
        {"reason": "Ich habe beraten."},
    )
    assert client.get(url).status_code == 404
    assert not Assignment.objects.filter(juror=juror).exists()
    # The solver does not assign it again.
    jury.assign(round_, None)
    assert not Assignment.objects.filter(juror=juror).exists()


def test_calibration_normalises_each_juror_and_flags_disagreement(places, home_page):
    jurors = [juror_at(places["probstadt"], f"k{n}@jury{n}.example") for n in range(3)]
    round_, apps = _review_round(places, jurors, count=3)
    jury.assign(round_, None)
    criteria = list(round_.criteria.all())
    # A strict juror, a mild one, and one who disagrees on the last application.
    marks = {0: [1, 2, 3], 1: [3, 4, 5], 2: [5, 5, 1]}
    for j, juror in enumerate(jurors):
        for a, application in enumerate(apps):
            jury.save_review(
                application,
                juror,
                scores={c.pk: (marks[j][a], "") for c in criteria},
                recommendation="award" if marks[j][a] >= 3 else "not",
                comment="",
                meeting_note="",
                submit=True,
            )
    figures = calibration.calibrate(round_)
    last = figures[apps[2].pk]
    assert last.disagreement
    assert not figures[apps[1].pk].disagreement or figures[apps[1].pk].sd >= 1
    assert round(figures[apps[0].pk].weighted, 2) == round((1 + 3 + 5) / 3, 2)
    assert {f.rank for f in figures.values()} == {1, 2, 3}
    for f in figures.values():
        assert 1 <= f.rank_low <= f.rank <= f.rank_high <= 3 or f.rank_low <= f.rank_high


def test_exports_neutralise_formulas_and_the_dossier_escapes(client, editor, places, home_page):
    juror = juror_at(places["probstadt"], "x@jury.example")
    round_, apps = _review_round(places, [juror], count=1)
    application = apps[0]
    application.title = '=HYPERLINK("http://böse.example")'
    application.organisation = "<script>alert(1)</script>"
    application.save()
    jury.assign(round_, None)
    client.force_login(editor)
    text = client.get(reverse("awards_export", args=[round_.pk, "csv"])).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[2][1].startswith("'=")
    workbook = load_workbook(
        io.BytesIO(client.get(reverse("awards_export", args=[round_.pk, "xlsx"])).content)
    )
    assert str(workbook.active["B3"].value).startswith("'=")
    page = client.get(reverse("awards_application", args=[round_.pk, application.pk]))
    assert "<script>alert(1)</script>" not in page.content.decode()
    pdf = client.get(reverse("awards_dossier", args=[round_.pk, application.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    pdf_text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "<script>alert(1)</script>" in pdf_text  # shown as text, never run
