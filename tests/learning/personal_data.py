"""The learning app's part of a person's data for the erasure test: an application to a
cohort, attendance, feedback and the certificate."""

from datetime import datetime, timedelta

from django.utils import timezone

from kommune360.learning import services
from kommune360.learning.models import Application
from tests.factories.learning import FinishedCohortFactory, ModuleFactory


def fill(person, client, name, email):
    cohort = FinishedCohortFactory()
    module = ModuleFactory(path=cohort.path)
    applied = timezone.make_aware(
        datetime.combine(cohort.applications_open_on, datetime.min.time())
    )
    application = services.apply_to_cohort(
        cohort,
        user=person,
        role="Jugendhilfeplanerin",
        motivation=f"Ich bin {name} und plane den Wandel.",
        employer="Jugendamt Ostermoor",
        now=applied + timedelta(hours=12),
    )
    application = services.decide_application(
        application, Application.Status.ACCEPTED, now=applied + timedelta(days=2)
    )
    services.record_attendance(application, module)
    services.submit_feedback(application, rating=5, text="Sehr hilfreich.", publish_consent=True)
    assert services.issue_learning_certificate(application).holder_name == name
