"""The awards in the registry's newer kinds: the public API and follow-up surveys."""

import pytest
from django.utils import timezone

from kommune360.awards.models import Round
from kommune360.core.registry import registry
from tests.factories.awards import ApplicationFactory, SolutionFactory

pytestmark = pytest.mark.django_db


def test_published_solutions_in_the_api(client, home_page):
    shown = SolutionFactory(title="Öffentliche Lösung")
    SolutionFactory(title="Ohne Einverständnis", application__showcase_consent_at=None)
    data = client.get("/api/v1/ausgezeichnete-loesungen/").json()
    items = data["daten"]
    titles = [item["titel"] for item in items]
    assert titles == ["Öffentliche Lösung"]
    detail = client.get(f"/api/v1/ausgezeichnete-loesungen/{shown.pk}/")
    assert detail.status_code == 200
    assert detail.json()["siegel"].endswith("/siegel.svg")


def test_decided_applicants_of_a_published_round_are_survey_participants(home_page):
    subject = registry.survey_subject("awards.round")
    decided = ApplicationFactory(
        round__phase=Round.Phase.PUBLISHED,
        decision="awarded",
        decided_at=timezone.now(),
        contact_email="Team@Musterstadt.example",
    )
    ApplicationFactory(round=decided.round, decision="", state="draft")
    people = subject.participants(subject.get(decided.round.pk))
    assert [p.email for p in people] == [decided.applicant.email.lower()]
    assert subject.get(ApplicationFactory().round.pk) is None
