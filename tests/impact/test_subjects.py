"""The registry's survey subjects: who took part in an event or a Lernpfad cohort."""

from datetime import timedelta

import pytest
from django.utils import timezone

from kommune360.core.registry import SurveyParticipant, registry
from kommune360.events.models import Registration
from kommune360.learning.models import Application
from tests.factories.events import EventFactory, RegistrationFactory
from tests.factories.learning import ApplicationFactory, CohortFactory, FinishedCohortFactory

pytestmark = pytest.mark.django_db


def test_events_and_cohorts_are_subjects():
    keys = [subject.key for subject in registry.survey_subjects()]
    assert {"events.event", "learning.cohort"} <= set(keys)
    assert registry.survey_subject("nichts") is None


def test_the_person_key_is_stable_and_ignores_case():
    one = SurveyParticipant.of(" Erika@Beispiel.example ", None)
    two = SurveyParticipant.of("erika@beispiel.example", None)
    assert one.person == two.person and one.email == "erika@beispiel.example"
    assert "erika" not in one.person


def test_event_participants_are_the_confirmed_after_the_end():
    subject = registry.survey_subject("events.event")
    past = EventFactory(starts_at=timezone.now() - timedelta(days=100))
    RegistrationFactory(event=past, email="eins@beispiel.example")
    RegistrationFactory(event=past, email="zwei@beispiel.example")
    RegistrationFactory(event=past, status=Registration.Status.WAITLISTED)
    RegistrationFactory(event=past, status=Registration.Status.CANCELLED)
    future = EventFactory()
    RegistrationFactory(event=future)

    people = subject.participants(subject.get(past.pk))
    assert sorted(p.email for p in people) == ["eins@beispiel.example", "zwei@beispiel.example"]
    assert {p.ended_on for p in people} == {timezone.localdate(past.ends_at)}
    assert subject.participants(future) == []
    assert past in subject.choices()


def test_cohort_participants_are_the_accepted_after_the_end():
    subject = registry.survey_subject("learning.cohort")
    cohort = FinishedCohortFactory()
    accepted = ApplicationFactory(cohort=cohort, status=Application.Status.ACCEPTED)
    ApplicationFactory(cohort=cohort, status=Application.Status.DECLINED)
    running = CohortFactory()
    ApplicationFactory(cohort=running, status=Application.Status.ACCEPTED)

    people = subject.participants(subject.get(cohort.pk))
    assert [p.email for p in people] == [accepted.user.email.lower()]
    assert people[0].ended_on == cohort.ends_on
    assert subject.participants(running) == []
