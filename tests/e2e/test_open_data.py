"""Browser checks of the open data: the API's reference page, the dataset page and a
provider's API keys (created, shown once, revoked), each with axe."""

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def test_reference_and_dataset_pages_are_accessible(page, axe_check, e2e_db):
    page.goto("/api/")
    expect(page.get_by_role("heading", name="Schnittstelle für offene Daten")).to_be_visible()
    axe_check(page)
    page.goto("/offene-daten/")
    expect(page.get_by_role("link", name="Katalog in DCAT-AP.de (Turtle)")).to_be_visible()
    axe_check(page)


def test_a_provider_creates_and_revokes_an_api_key(page, axe_check, login, make_user):
    from tests.factories.atlas import ProviderFactory

    user = make_user(email="anbieterin@beispiel.example")
    user.groups.add(Group.objects.get(name="Anbieter:in"))
    ProviderFactory(name="Muster-Verein Nord", type="verein", maintainers=[user])
    login(page, "anbieterin@beispiel.example")
    page.goto("/konto/api-schluessel/")
    axe_check(page)

    page.get_by_label("Name").fill("Kursverwaltung")
    page.get_by_role("button", name="Schlüssel anlegen").click()
    secret = page.locator("main .kern-alert code").inner_text()
    assert secret.startswith("k360_")
    axe_check(page)

    page.goto("/konto/api-schluessel/")
    assert secret not in page.content()
    page.get_by_role("button", name="Widerrufen").click()
    expect(page.get_by_text("widerrufen", exact=True)).to_be_visible()
    axe_check(page)
