"""The applicant's consent (required to submit, stored with time and wording version) and
co-applicants by signed invitation (accepted only by the invited, confirmed address)."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from kommune360.awards import consent
from kommune360.awards.models import Application, CoApplicant
from kommune360.awards.personal_data import erase_personal_data, export_personal_data
from kommune360.awards.services import applications as services
from kommune360.awards.services import invitations
from kommune360.core.forms import REQUIRED_CHECKBOX
from kommune360.core.signed_links import SignedLink
from tests.factories.accounts import UserFactory

from .conftest import details

pytestmark = pytest.mark.django_db


def _form(application, **extra):
    question = application.round.questions.first()
    data = {
        "ags": application.municipality.ags,
        "applicant_kind": application.applicant_kind,
        "organisation": application.organisation,
        "contact_name": application.contact_name,
        "contact_email": application.contact_email,
        "title": application.title,
        "summary": application.summary,
        f"q{question.pk}": "Viel erreicht.",
    }
    data.update(extra)
    return data


@pytest.fixture
def draft(open_round, places):
    owner = UserFactory(email="anna@musterstadt.example")
    return services.start_application(
        open_round, owner, details(places["musterstadt"], consent=None)
    )


def test_a_draft_saves_without_consent_but_does_not_submit(client, draft):
    client.force_login(draft.applicant)
    url = draft.get_absolute_url()
    assert client.post(url, _form(draft, save="")).status_code == 302
    response = client.post(url, _form(draft, submit=""))
    assert response.status_code == 200
    assert str(REQUIRED_CHECKBOX) in response.content.decode()
    draft.refresh_from_db()
    assert draft.state == Application.State.DRAFT and draft.consent_at is None
    with pytest.raises(services.ApplicationError) as refused:
        services.submit_application(draft, draft.applicant)
    assert refused.value.messages == [str(consent.MISSING)]


def test_consent_is_stored_with_time_and_version_shown_and_exported(client, draft):
    client.force_login(draft.applicant)
    url = draft.get_absolute_url()
    response = client.post(url, _form(draft, submit="", consent="on", showcase_consent="on"))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.state == Application.State.SUBMITTED
    assert draft.consent_at and draft.consent_version == consent.VERSION
    assert draft.showcase_consent_at and draft.showcase_consent_version == consent.VERSION
    page = client.get(url).content.decode()
    assert f"(Fassung {consent.VERSION})" in page and "zugestimmt am" in page
    exported = export_personal_data(draft.applicant)["applications"][0]
    assert exported["consent_version"] == consent.VERSION
    assert exported["consent_at"] == draft.consent_at.isoformat()
    assert exported["showcase_consent_at"] == draft.showcase_consent_at.isoformat()
    # After submitting, the review's consent stays; the publication's can be taken back.
    client.post(url, _form(draft, save=""))
    draft.refresh_from_db()
    assert draft.consent_at is not None and draft.showcase_consent_at is None


@pytest.fixture
def invited(client, draft, django_capture_on_commit_callbacks):
    """Anna invites Carla; the link from the mail."""
    client.force_login(draft.applicant)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("awards:invite", args=[draft.round.slug, draft.pk]),
            {"email": "Carla@Beispielhausen.example"},
        )
    (message,) = [m for m in mail.outbox if "Einladung zur Bewerbung" in m.subject]
    assert message.to == ["carla@beispielhausen.example"]
    link = re.search(r"https?://\S+/auszeichnungen/einladung/\S+/", message.body).group(0)
    client.logout()
    return draft, link[link.index("/auszeichnungen/") :]


def test_only_the_invited_confirmed_account_accepts_and_only_once(client, invited):
    application, link = invited
    carla = UserFactory(email="carla@beispielhausen.example")
    client.force_login(carla)
    # Invited is not yet a co-applicant.
    assert client.get(application.get_absolute_url()).status_code == 404
    assert client.get(link).status_code == 200
    assert client.post(link).status_code == 302
    co = CoApplicant.objects.get()
    assert co.user == carla and co.accepted_at is not None
    assert client.get(application.get_absolute_url()).status_code == 200
    assert application in services.applications_of(carla)
    again = client.post(link)
    assert again.status_code == 410
    assert "schon angenommen" in again.content.decode()
    assert CoApplicant.objects.get().accepted_at == co.accepted_at


def test_wrong_or_unconfirmed_account_and_broken_or_expired_links(client, invited, monkeypatch):
    application, link = invited
    client.force_login(UserFactory(email="mallory@anderswo.example"))
    wrong = client.post(link)
    assert wrong.status_code == 403 and "andere E-Mail-Adresse" in wrong.content.decode()
    client.force_login(UserFactory(email="carla@beispielhausen.example", verified=False))
    unconfirmed = client.post(link)
    assert unconfirmed.status_code == 403 and "bestätigen" in unconfirmed.content.decode()
    client.force_login(UserFactory(email="carla2@beispielhausen.example"))
    forged = client.get(link.replace("einladung/", "einladung/x"))
    assert forged.status_code == 400 and "verändert" in forged.content.decode()
    monkeypatch.setattr(invitations, "LINK", SignedLink(invitations.LINK.salt, max_age=-1))
    expired = client.get(link)
    assert expired.status_code == 410 and "abgelaufen" in expired.content.decode()
    assert not CoApplicant.objects.filter(accepted_at__isnull=False).exists()


def test_anonymous_visitors_log_in_first(client, invited):
    response = client.get(invited[1])
    assert response.status_code == 302 and "login" in response["Location"]


def test_only_the_applicant_invites_and_at_a_limited_rate(client, invited):
    application, link = invited
    carla = UserFactory(email="carla@beispielhausen.example")
    client.force_login(carla)
    client.post(link)
    invite = reverse("awards:invite", args=[application.round.slug, application.pk])
    assert client.post(invite, {"email": "dora@beispielhausen.example"}).status_code == 403
    client.force_login(application.applicant)
    for number in range(invitations.MAX_CO_APPLICANTS + 12):
        client.post(invite, {"email": f"p{number}@beispielhausen.example"})
    response = client.post(invite, {"email": "spaet@beispielhausen.example"}, follow=True)
    assert "sehr viele Einladungen" in response.content.decode()
    assert not CoApplicant.objects.filter(email="spaet@beispielhausen.example").exists()
    assert CoApplicant.objects.count() <= invitations.MAX_CO_APPLICANTS


def test_erasure_of_either_side_removes_pending_invitations(client, invited, places):
    application, _link = invited
    question = application.round.questions.first()
    Application.objects.filter(pk=application.pk).update(
        consent_at=application.created_at, answers={str(question.pk): "Viel."}
    )
    services.submit_application(application, application.applicant)
    accepted = CoApplicant.objects.create(
        application=application,
        email="eva@beispielhausen.example",
        user=UserFactory(email="eva@beispielhausen.example"),
        accepted_at=application.created_at,
    )
    carla = UserFactory(email="carla@beispielhausen.example")
    export = export_personal_data(carla)["co_applicant_of"]
    assert export[0]["application"] == application.title and export[0]["accepted_at"] is None
    erase_personal_data(carla)
    assert not CoApplicant.objects.filter(email="carla@beispielhausen.example").exists()
    invitations.invite(application, application.applicant, "fritz@beispielhausen.example")
    erase_personal_data(application.applicant)
    assert list(CoApplicant.objects.all()) == [accepted]
