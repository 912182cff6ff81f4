import datetime
from decimal import Decimal

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from kommune360.impact.models import (
    FigureValue,
    Indicator,
    ManualFigure,
    Question,
    Response,
    Survey,
    Target,
    YearReport,
)


class FigureValueFactory(DjangoModelFactory):
    class Meta:
        model = FigureValue

    key = factory.Sequence(lambda n: f"kennzahl-{n}")
    year = 2025
    value = 42
    computed_at = factory.LazyFunction(timezone.now)


class ManualFigureFactory(DjangoModelFactory):
    class Meta:
        model = ManualFigure

    key = factory.Sequence(lambda n: f"handzahl-{n}")
    year = 2025
    label = factory.Sequence(lambda n: f"Verteilte Aufkleber {n}")
    value = Decimal("1200")
    stage = 1
    source = "Lagerliste"


class YearReportFactory(DjangoModelFactory):
    class Meta:
        model = YearReport
        django_get_or_create = ("year",)

    year = 2025
    situation = "Viele Jugendämter suchen Austausch."


class IndicatorFactory(DjangoModelFactory):
    class Meta:
        model = Indicator

    name = factory.Sequence(lambda n: f"Indikator {n}")
    stage = 1
    source = Indicator.Source.FIGURE
    figure_key = "podcast_streams"


class TargetFactory(DjangoModelFactory):
    class Meta:
        model = Target

    indicator = factory.SubFactory(IndicatorFactory)
    year = 2025
    value = Decimal("100")


class SurveyFactory(DjangoModelFactory):
    class Meta:
        model = Survey

    title = factory.Sequence(lambda n: f"Nachbefragung {n}")
    subject_key = "events.event"
    subject_id = 1
    is_active = True


class QuestionFactory(DjangoModelFactory):
    class Meta:
        model = Question

    survey = factory.SubFactory(SurveyFactory)
    text = "Hat Ihnen die Veranstaltung geholfen?"
    kind = Question.Kind.SCALE
    stage = 4


class ResponseFactory(DjangoModelFactory):
    class Meta:
        model = Response

    survey = factory.SubFactory(SurveyFactory)
    month = datetime.date(2025, 6, 1)
