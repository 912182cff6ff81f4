"""The editors' screens in the Wagtail admin."""

import pytest

from kommune360.atlas.models import Offer
from tests.factories.accounts import UserFactory
from tests.factories.atlas import OfferFactory

pytestmark = pytest.mark.django_db


def test_editors_see_the_offer_listing_with_filters(client, home_page, editor):
    OfferFactory(title="Prüffall", status=Offer.Status.SUBMITTED)
    client.force_login(editor)
    response = client.get("/admin/snippets/atlas/offer/", {"status": "eingereicht"})
    assert response.status_code == 200
    assert "Prüffall" in response.content.decode()
    assert client.get("/admin/snippets/atlas/provider/").status_code == 200


def test_editor_approves_and_rejects_in_the_admin(
    client, home_page, editor, provider, mailoutbox, django_capture_on_commit_callbacks
):
    first = OfferFactory(provider=provider, status=Offer.Status.SUBMITTED)
    second = OfferFactory(provider=provider, status=Offer.Status.SUBMITTED)
    client.force_login(editor)
    queue = client.get("/admin/angebotsatlas/pruefen/").content.decode()
    assert first.title in queue and second.title in queue
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/admin/angebotsatlas/pruefen/{first.pk}/", {"action": "approve"})
    response = client.post(
        f"/admin/angebotsatlas/pruefen/{second.pk}/", {"action": "reject", "reason": ""}
    )
    assert "Bitte geben Sie einen Grund" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/admin/angebotsatlas/pruefen/{second.pk}/",
            {"action": "reject", "reason": "Zielgruppe fehlt"},
        )
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == Offer.Status.PUBLISHED
    assert second.status == Offer.Status.DRAFT
    assert len(mailoutbox) == 2


@pytest.mark.parametrize("roles", [["Anbieter:in"], ["Mitglied"], ["Jury"]])
def test_other_roles_cannot_review(client, home_page, roles):
    offer = OfferFactory(status=Offer.Status.SUBMITTED)
    client.force_login(UserFactory(roles=roles))
    response = client.post(f"/admin/angebotsatlas/pruefen/{offer.pk}/", {"action": "approve"})
    assert response.status_code in (302, 403)
    offer.refresh_from_db()
    assert offer.status == Offer.Status.SUBMITTED
