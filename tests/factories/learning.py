from datetime import date, timedelta
from decimal import Decimal

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from kommune360.learning.models import Application, Cohort, Feedback, LearningPath, Module
from tests.factories.accounts import UserFactory


class LearningPathFactory(DjangoModelFactory):
    class Meta:
        model = LearningPath
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Lernpfad Beispiel {n}")
    slug = factory.Sequence(lambda n: f"lernpfad-beispiel-{n}")
    summary = "Ein Lernpfad der Beispiel-Akademie für Jugendämter."
    goals = "Veränderung im eigenen Amt anstoßen\nKolleg:innen mitnehmen"
    cost = Decimal("0")
    certificate_min_percent = 80
    is_published = True


class ModuleFactory(DjangoModelFactory):
    class Meta:
        model = Module

    path = factory.SubFactory(LearningPathFactory)
    order = factory.Sequence(lambda n: n)
    title = factory.Sequence(lambda n: f"Modul {n}")
    kind = Module.Kind.ONLINE
    hours = Decimal("2")


class CohortFactory(DjangoModelFactory):
    """A cohort open for applications today, running in a month."""

    class Meta:
        model = Cohort
        skip_postgeneration_save = True

    path = factory.SubFactory(LearningPathFactory)
    title = factory.Sequence(lambda n: f"Kohorte {n}")
    starts_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=30))
    ends_on = factory.LazyAttribute(lambda o: o.starts_on + timedelta(days=90))
    place = "Beispiel-Akademie, Musterstadt"
    capacity = 20
    applications_open_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=5))
    applications_close_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=10))


class FinishedCohortFactory(CohortFactory):
    starts_on = date(2024, 2, 1)
    ends_on = date(2024, 6, 30)
    applications_open_on = date(2023, 11, 1)
    applications_close_on = date(2023, 12, 31)


class ApplicationFactory(DjangoModelFactory):
    """An application written directly (fixtures); tests of the rules use services."""

    class Meta:
        model = Application

    cohort = factory.SubFactory(CohortFactory)
    user = factory.SubFactory(UserFactory)
    role = "Jugendhilfeplaner:in"
    employer = "Jugendamt Musterstadt"
    motivation = "Ich möchte Veränderung im Amt begleiten."
    status = Application.Status.APPLIED
    created_at = factory.LazyFunction(timezone.now)


class FeedbackFactory(DjangoModelFactory):
    """A published quote on the Lernpfad page."""

    class Meta:
        model = Feedback

    cohort = factory.SubFactory(CohortFactory)
    rating = 5
    text = "Hat unsere Planung verändert."
    publish_consent = True
    is_published = True
    published_at = factory.LazyFunction(timezone.now)
    author_name = "Erika Beispiel"
    author_role = "Jugendhilfeplanerin, Musterstadt"
