from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError

from kommune360.learning.models import Module
from tests.factories.learning import (
    ApplicationFactory,
    CohortFactory,
    LearningPathFactory,
    ModuleFactory,
)

pytestmark = pytest.mark.django_db


def test_total_hours_goals_and_cost():
    path = LearningPathFactory(goals="Erstens\n\n  Zweitens  \n", cost=Decimal("0"))
    ModuleFactory(path=path, hours=Decimal("3"), kind=Module.Kind.PRESENCE)
    ModuleFactory(path=path, hours=Decimal("1.5"), kind=Module.Kind.SELF_STUDY)
    assert path.total_hours() == Decimal("4.5")
    assert path.goal_list == ["Erstens", "Zweitens"]
    assert path.is_free
    path.cost = Decimal("250")
    assert not path.is_free


def test_application_window_includes_both_named_days():
    cohort = CohortFactory(
        applications_open_on=date(2025, 3, 1), applications_close_on=date(2025, 3, 31)
    )
    assert not cohort.applications_open(date(2025, 2, 28))
    assert cohort.applications_open(date(2025, 3, 1))
    assert cohort.applications_open(date(2025, 3, 31))
    assert not cohort.applications_open(date(2025, 4, 1))


def test_one_application_per_cohort_and_person():
    application = ApplicationFactory()
    with pytest.raises(IntegrityError):
        ApplicationFactory(cohort=application.cohort, user=application.user)


@pytest.mark.parametrize(
    ("title", "label"),
    [
        ("Kohorte 2027", "Kohorte 2027"),
        ("kohorte Frühjahr", "kohorte Frühjahr"),
        ("Herbst 2027", "Kohorte Herbst 2027"),
    ],
)
def test_a_cohort_is_named_a_cohort_once(title, label):
    cohort = CohortFactory(title=title)

    assert cohort.label == label
