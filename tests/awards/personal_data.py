"""The awards' part of a person's data for the erasure test: a submitted application
naming the person as contact, and a draft."""

from datetime import timedelta

from django.utils import timezone

from kommune360.awards.models import Criterion, Question, Round
from kommune360.awards.services import applications as services
from kommune360.core.models import Municipality


def fill(person, client, name, email):
    place = Municipality.objects.get_or_create(
        ags="03999001", defaults={"name": "Musterstadt", "kind": "stadt", "state": "03"}
    )[0]
    other = Municipality.objects.get_or_create(
        ags="03999002", defaults={"name": "Beispielhausen", "kind": "gemeinde", "state": "03"}
    )[0]
    round_ = Round.objects.create(
        title="Löschtest-Runde",
        phase=Round.Phase.OPEN,
        closes_at=timezone.now() + timedelta(days=3),
    )
    Criterion.objects.create(round=round_, name="Wirkung")
    Question.objects.create(round=round_, label="Ergebnisse?", required=False)
    details = services.Details(
        municipality=place,
        applicant_kind="municipality",
        organisation="Jugendamt Ostermoor",
        contact_name=name,
        contact_email=email,
        title="Löschtest-Lösung",
        summary="Eine Lösung.",
        answers={},
        consent=True,
    )
    application = services.start_application(round_, person, details)
    services.submit_application(application, person)
    details.municipality = other
    services.start_application(round_, person, details)
