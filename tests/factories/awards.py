from datetime import timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from kommune360.awards.models import Application, Criterion, Question, Round, Solution
from tests.factories.accounts import UserFactory
from tests.factories.core import MunicipalityFactory


class RoundFactory(DjangoModelFactory):
    """An own round open for applications."""

    class Meta:
        model = Round
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Innovationspreis {n}")
    summary = "Preis für bewährte kommunale Lösungen."
    text = "Bewerben Sie Ihre Lösung."
    seal_name = "Bewährt vor Ort"
    phase = Round.Phase.OPEN
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))


class CriterionFactory(DjangoModelFactory):
    class Meta:
        model = Criterion

    round = factory.SubFactory(RoundFactory)
    name = factory.Sequence(lambda n: f"Kriterium {n}")
    description = "Was zählt."
    weight = 1


class QuestionFactory(DjangoModelFactory):
    class Meta:
        model = Question

    round = factory.SubFactory(RoundFactory)
    label = factory.Sequence(lambda n: f"Frage {n}")
    kind = Question.Kind.LONG


class ApplicationFactory(DjangoModelFactory):
    """A submitted application."""

    class Meta:
        model = Application

    round = factory.SubFactory(RoundFactory)
    applicant = factory.SubFactory(UserFactory)
    municipality = factory.SubFactory(MunicipalityFactory)
    applicant_kind = Application.ApplicantKind.MUNICIPALITY
    organisation = "Stadtverwaltung Musterstadt"
    contact_name = "Erika Beispiel"
    contact_email = factory.Sequence(lambda n: f"kontakt{n}@musterstadt.example")
    title = factory.Sequence(lambda n: f"Lösung {n}")
    summary = "Eine bewährte Lösung."
    state = Application.State.SUBMITTED
    submitted_at = factory.LazyFunction(timezone.now)
    consent_at = factory.LazyFunction(timezone.now)
    consent_version = "test"
    showcase_consent_at = factory.LazyFunction(timezone.now)
    showcase_consent_version = "test"
    version = 1


class SolutionFactory(DjangoModelFactory):
    """A public solution profile of an awarded application in a published round."""

    class Meta:
        model = Solution

    application = factory.SubFactory(
        ApplicationFactory,
        round__phase=Round.Phase.PUBLISHED,
        decision=Application.Decision.AWARDED,
    )
    title = factory.Sequence(lambda n: f"Ausgezeichnete Lösung {n}")
    municipality_name = "Musterstadt"
    state = "03"
    problem = "Anträge dauerten lange."
    solution = "Ein digitaler Antrag."
    results = "Drei Wochen statt vier Monaten."
    is_published = True
