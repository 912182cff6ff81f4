"""Provider self-service at /angebote/verwalten/, for every role."""

import pytest

from kommune360.atlas.models import Offer
from tests.factories.accounts import UserFactory
from tests.factories.atlas import OfferFactory, ProviderFactory
from tests.factories.core import FormatFactory, TargetGroupFactory

pytestmark = pytest.mark.django_db
MANAGE = "/angebote/verwalten/"


@pytest.mark.parametrize(
    "roles",
    [
        ["Mitglied"],
        ["Redaktion"],
        ["Moderation"],
        ["Jury"],
        ["Administration"],
        ["Anbieter:in"],  # the role alone is not enough: no provider linked
    ],
)
def test_roles_without_a_provider_are_sent_to_the_request(client, home_page, roles):
    user = UserFactory(roles=roles)
    client.force_login(user)
    for address in (MANAGE, MANAGE + "neu/"):
        response = client.get(address)
        assert (response.status_code, response["Location"]) == (302, "/angebote/anbieter-werden/")
    page = client.get(MANAGE, follow=True).content.decode()
    assert "Sie pflegen noch keine Angebote." in page
    # Posting a new offer is refused all the same.
    assert client.post(MANAGE + "neu/", {"title": "x"}).status_code == 302


def test_anonymous_visitors_are_sent_to_login(client, home_page):
    response = client.get(MANAGE)
    assert response.status_code == 302
    assert "/konto/login/" in response["Location"]


def test_maintainer_without_the_role_is_refused(client, home_page):
    user = UserFactory(roles=["Mitglied"])
    offer = OfferFactory(provider=ProviderFactory(maintainers=[user]))
    client.force_login(user)
    assert client.get(MANAGE)["Location"] == "/angebote/anbieter-werden/"
    assert client.get(f"{MANAGE}{offer.pk}/").status_code == 403


def test_provider_creates_edits_and_submits(client, home_page, provider, provider_user):
    fmt = FormatFactory(name="Workshop/Seminar")
    group = TargetGroupFactory(name="Jugendhilfeplanung")
    client.force_login(provider_user)
    assert "Beispiel-Akademie Musterstadt" in client.get(MANAGE).content.decode()
    form = {
        "provider": provider.pk,
        "title": "Planungswerkstatt",
        "summary": "Zwei Tage Praxis",
        "format": fmt.pk,
        "target_groups": [group.pk],
        "delivery": "online",
        "region": "bundesweit",
        "cost": "betrag",
        "cost_amount": "",
        "language": "de",
    }
    response = client.post(MANAGE + "neu/", form)
    assert response.status_code == 200
    assert "Bitte geben Sie den Betrag in Euro an." in response.content.decode()
    assert 'value="Planungswerkstatt"' in response.content.decode()  # nothing entered is lost

    form["cost_amount"] = "120"
    response = client.post(MANAGE + "neu/", form)
    offer = Offer.objects.get(title="Planungswerkstatt")
    assert response.status_code == 302
    assert offer.status == Offer.Status.DRAFT and offer.cost_band == "bis-500"

    form["title"] = "Planungswerkstatt kompakt"
    client.post(f"{MANAGE}{offer.pk}/", form)
    offer.refresh_from_db()
    assert offer.title == "Planungswerkstatt kompakt"

    client.post(f"{MANAGE}{offer.pk}/einreichen/")
    offer.refresh_from_db()
    assert offer.status == Offer.Status.SUBMITTED
    # A draft is visible to its provider as a preview, not to the public.
    assert client.get(offer.get_absolute_url()).status_code == 200
    client.logout()
    assert client.get(offer.get_absolute_url()).status_code == 404


def test_provider_cannot_reach_other_providers_offers(client, home_page, provider_user, provider):
    other = OfferFactory(provider=ProviderFactory(), status=Offer.Status.DRAFT)
    client.force_login(provider_user)
    assert client.get(f"{MANAGE}{other.pk}/").status_code == 404
    assert client.post(f"{MANAGE}{other.pk}/einreichen/").status_code == 404
    assert client.post(f"{MANAGE}{other.pk}/archivieren/").status_code == 404
    other.refresh_from_db()
    assert other.status == Offer.Status.DRAFT


def test_provider_confirms_a_stale_offer(client, home_page, provider, provider_user):
    offer = OfferFactory(provider=provider, last_checked=None)
    client.force_login(provider_user)
    assert "bitte bestätigen" in client.get(MANAGE).content.decode()
    client.post(f"{MANAGE}{offer.pk}/bestaetigen/")
    offer.refresh_from_db()
    assert not offer.is_stale


def test_submit_is_post_only(client, home_page, provider, provider_user):
    offer = OfferFactory(provider=provider, status=Offer.Status.DRAFT)
    client.force_login(provider_user)
    assert client.get(f"{MANAGE}{offer.pk}/einreichen/").status_code == 405


MANAGE_LIST_QUERIES = 8  # the providers are read once: they decide, fill the list and name it


@pytest.mark.parametrize("rows", [1, 30])
def test_the_offer_list_runs_a_fixed_number_of_queries(
    client, home_page, rows, django_assert_num_queries
):
    user = UserFactory(roles=["Anbieter:in"])
    for provider in (ProviderFactory(maintainers=[user]), ProviderFactory(maintainers=[user])):
        OfferFactory.create_batch(rows, provider=provider)
    client.force_login(user)
    client.get(MANAGE)

    with django_assert_num_queries(MANAGE_LIST_QUERIES):
        assert client.get(MANAGE).status_code == 200
