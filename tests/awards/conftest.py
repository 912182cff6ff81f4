import itertools
from datetime import timedelta

import pytest
from django.utils import timezone

from kommune360.awards.models import Application, Criterion, Question, Round
from kommune360.awards.services import applications as services
from kommune360.core.models import Municipality
from tests.factories.accounts import UserFactory


def municipality(ags, name, kind="stadt", state="03", district=None):
    return Municipality.objects.get_or_create(
        ags=ags, defaults={"name": name, "kind": kind, "state": state, "district": district}
    )[0]


@pytest.fixture
def places(db):
    kreis = municipality("03999", "Landkreis Musterland", "landkreis")
    return {
        "kreis": kreis,
        "musterstadt": municipality("03999001", "Musterstadt", district=kreis),
        "beispielhausen": municipality("03999002", "Beispielhausen", "gemeinde", district=kreis),
        "neustadt": municipality("05999001", "Neustadt am Muster", state="05"),
        "probstadt": municipality("08999001", "Probstadt", state="08"),
    }


def make_round(**extra):
    now = timezone.now()
    values = {
        "title": "Innovationspreis Test",
        "phase": Round.Phase.OPEN,
        "opens_at": now - timedelta(days=1),
        "closes_at": now + timedelta(days=10),
        "reviews_per_application": 2,
    }
    values.update(extra)
    round_ = Round.objects.create(**values)
    Criterion.objects.create(round=round_, name="Wirkung", weight=3, levels="schwach\n\n\n\nstark")
    Criterion.objects.create(round=round_, name="Übertragbarkeit", weight=1)
    Question.objects.create(round=round_, label="Ergebnisse?", kind="long", max_chars=500)
    return round_


@pytest.fixture
def open_round(home_page, places):
    return make_round()


def details(place, **extra):
    values = {
        "municipality": place,
        "applicant_kind": Application.ApplicantKind.MUNICIPALITY,
        "organisation": "Stadtverwaltung",
        "contact_name": "Erika Beispiel",
        "contact_email": "erika@stadt-a.example",
        "title": "Digitaler Bauantrag",
        "summary": "Schneller bauen.",
        "answers": {},
        "consent": True,
    }
    values.update(extra)
    return services.Details(**values)


_numbers = itertools.count()


def submitted(round_, place, user=None, **extra):
    user = user or UserFactory(email=f"bewerbung-{next(_numbers)}@stadt-{place.ags}.example")
    application = services.start_application(round_, user, details(place, **extra))
    question = round_.questions.first()
    if question:
        application.answers = {str(question.pk): "Viel erreicht."}
        application.save()
    return services.submit_application(application, user)


@pytest.fixture
def member(home_page):
    return UserFactory(roles=["Mitglied"])


@pytest.fixture
def editor(home_page):
    return UserFactory(roles=["Redaktion"], is_staff=True)


@pytest.fixture
def juror(home_page, places):
    return UserFactory(
        roles=["Jury"], email="juror@jury-a.example", municipality=places["probstadt"]
    )
