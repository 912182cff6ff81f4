"""Decision with notifications exactly once, the showcase with its filters, JSON-LD and
seal, "Nachnutzen" requests, and the demo content."""

import json
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from kommune360.awards.models import AdoptionRequest, Application, Round, Solution
from kommune360.awards.services import rounds
from kommune360.core.models import OutgoingMail
from tests.factories.accounts import UserFactory

from .conftest import make_round, submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def decided(home_page, places):
    round_ = make_round(title="Siegel 2026", seal_name="Bewährt 2026")
    juror = UserFactory(roles=["Jury"], email="j@jury.example")
    round_.jurors.set([juror])
    round_.save()
    apps = [
        submitted(round_, places["musterstadt"], title="<script>alert(1)</script>"),
        submitted(round_, places["neustadt"], title="Zweite Lösung"),
        submitted(round_, places["probstadt"], title="Dritte"),
    ]
    for phase in (Round.Phase.REVIEW, Round.Phase.DECISION):
        rounds.change_phase(round_, phase, None)
    rounds.decide(apps[0], "awarded", "Stark.", None)
    rounds.decide(apps[1], "seal", "Gut.", None)
    rounds.decide(apps[2], "not", "Noch nicht.", None)
    return round_, apps


def test_everyone_is_notified_exactly_once_even_after_a_crash(
    decided, monkeypatch, django_capture_on_commit_callbacks
):
    round_, apps = decided
    mail.outbox.clear()
    OutgoingMail.objects.all().delete()
    from kommune360.awards import mail as awards_mail

    real = awards_mail.send
    calls = {"n": 0}

    def dying(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise SystemExit("worker died")
        return real(*args, **kwargs)

    monkeypatch.setattr(awards_mail, "send", dying)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(SystemExit):
        rounds.notify_decisions(round_.pk)
    monkeypatch.setattr(awards_mail, "send", real)
    with django_capture_on_commit_callbacks(execute=True):
        assert rounds.notify_decisions(round_.pk) == 2
        assert rounds.notify_decisions(round_.pk) == 0
    assert Application.objects.filter(notified_at__isnull=False).count() == 3
    decision_mails = [m for m in mail.outbox if "Entscheidung der Jury" in m.subject]
    per_application = {}
    for message in decision_mails:
        for application in apps:
            if application.title in message.body:
                per_application[application.pk] = per_application.get(application.pk, 0) + 1
    assert per_application == {a.pk: 1 for a in apps}


def test_publishing_needs_every_decision_and_the_showcase_needs_consent(client, decided):
    round_, apps = decided
    rounds.change_phase(round_, Round.Phase.PUBLISHED, None)
    first = rounds.solution_profile(apps[0], None)
    second = rounds.solution_profile(apps[1], None)
    first.is_published = True
    first.save()  # no consent: not shown
    second.is_published = True
    second.save()
    # The consent is the application's (given in its form), not the profile's.
    Application.objects.filter(pk=apps[1].pk).update(
        showcase_consent_at=timezone.now(), showcase_consent_version="test"
    )
    html = client.get(reverse("awards:solutions", args=[round_.slug])).content.decode()
    assert "Zweite Lösung" in html
    assert "alert(1)" not in html
    assert client.get(first.get_absolute_url()).status_code == 404
    page = client.get(second.get_absolute_url()).content.decode()
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1)
    )
    assert data["name"] == "Zweite Lösung" and data["award"] == "Bewährt 2026"
    assert "siegel.svg" in page and "&lt;a href=" in page  # the embed snippet, as text
    seal = client.get(second.seal_url())
    assert seal["Content-Type"].startswith("image/svg+xml")
    assert "Bewährt 2026" in seal.content.decode()
    filtered = client.get(reverse("awards:solutions", args=[round_.slug]) + "?land=08")
    assert "Zweite Lösung" not in filtered.content.decode()


def test_adoption_request_reveals_addresses_only_after_acceptance(
    client, decided, django_capture_on_commit_callbacks
):
    round_, apps = decided
    rounds.change_phase(round_, Round.Phase.PUBLISHED, None)
    solution = rounds.solution_profile(apps[1], None)
    Solution.objects.filter(pk=solution.pk).update(is_published=True)
    Application.objects.filter(pk=apps[1].pk).update(showcase_consent_at=timezone.now())
    asking = UserFactory(email="frager@anderswo.example")
    client.force_login(asking)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("awards:adopt", args=[round_.slug, solution.slug]),
            {"organisation": "Anderswo", "message": "Wie habt ihr das gemacht?"},
        )
    adoption = AdoptionRequest.objects.get()
    team_mail = mail.outbox[-1]
    assert "frager@anderswo.example" not in team_mail.body
    client.force_login(apps[1].applicant)
    page = client.get(reverse("awards:requests", args=[round_.slug, solution.slug]))
    assert "frager@anderswo.example" not in page.content.decode()
    answer_url = reverse("awards:answer_request", args=[round_.slug, solution.slug, adoption.pk])
    for odd in ({}, {"answer": ""}, {"answer": "vielleicht"}):
        assert client.post(answer_url, odd).status_code == 400  # neither button decides
    adoption.refresh_from_db()
    assert adoption.state == AdoptionRequest.State.OPEN
    with django_capture_on_commit_callbacks(execute=True):
        client.post(answer_url, {"answer": "annehmen"})
    adoption.refresh_from_db()
    assert adoption.state == AdoptionRequest.State.ACCEPTED
    page = client.get(reverse("awards:requests", args=[round_.slug, solution.slug]))
    assert "frager@anderswo.example" in page.content.decode()
    assert any("frager@anderswo.example" in m.body for m in mail.outbox)


def test_demo_content(home_page):
    from kommune360.awards.demo import load_awards_demo

    load_awards_demo()
    load_awards_demo()  # idempotent
    decided = Round.objects.get(slug="bewaehrt-digital-2025")
    assert Solution.objects.published().filter(application__round=decided).count() >= 5
    open_round = Round.objects.get(slug="kommunaler-innovationspreis")
    assert open_round.accepts_applications()
    external = Round.objects.get(slug="bewaehrt-vor-ort")
    assert external.is_external and external.closes_at < timezone.now()


def test_erasure_clears_the_solution_contact_as_it_clears_the_application_contact(
    open_round, places
):
    """The profile starts with the application's contact; erasure clears both by the
    same rule (the person's address or name), also when the address typed is not the
    account's."""
    from kommune360.awards.personal_data import erase_personal_data

    person = UserFactory(first_name="Erika", last_name="Beispiel", email="erika@privat.example")
    application = submitted(
        open_round,
        places["musterstadt"],
        user=person,
        contact_name="Erika Beispiel",
        contact_email="e.beispiel@stadt-a.example",
    )
    solution = rounds.solution_profile(application, None)
    assert solution.contact_name == "Erika Beispiel"
    erase_personal_data(person)
    application.refresh_from_db()
    solution.refresh_from_db()
    assert application.contact_name == ""
    assert (solution.contact_name, solution.contact_email) == ("", "")
