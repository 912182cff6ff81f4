"""Bad values in every parameter of every list: a 4xx problem in German, never a 5xx.

The classes of input a database may refuse (a NUL character, which PostgreSQL can
neither store nor compare; a number beyond 64 bits; a forged cursor) are sent to every
documented query parameter of every list of the API, and to the atlas's own search.
"""

import pytest

from kommune360.api.schemas import PageParams
from kommune360.core.registry import registry

pytestmark = pytest.mark.django_db

FORGED_CURSOR = "djE6OTk5OTk5OTk5OTk5OTk5OTk5OTk5"  # "v1:" and 21 digits
BAD_VALUES = ["Verwaltung\x00", "\x00", "9" * 30, "-" + "9" * 30, FORGED_CURSOR]


def _parameters(resource):
    names = set(PageParams.model_fields)
    if resource.params is not None:
        names |= set(resource.params.model_fields)
    return sorted(names)


def _lists():
    return [
        (resource.name, name)
        for resource in registry.api_resources()
        for name in _parameters(resource)
    ]


@pytest.mark.parametrize(("resource", "parameter"), _lists())
def test_bad_values_are_a_german_problem(client, offers, resource, parameter):
    for value in BAD_VALUES:
        response = client.get(f"/api/v1/{resource}/", {parameter: value})
        assert response.status_code < 500, (parameter, value)
        if response.status_code >= 400:
            assert response["Content-Type"] == "application/problem+json", (parameter, value)
            assert response.json()["title"] == "Die Anfrage enthält ungültige Werte."


def test_bad_values_in_a_detail_address(client, offers):
    for resource in registry.api_resources():
        for key in ("%00", "9" * 30, "-1", "x" * 300):
            response = client.get(f"/api/v1/{resource.name}/{key}/")
            assert response.status_code in (400, 404), (resource.name, key)
            assert response["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize("parameter", ["q", "methode", "zielgruppe", "seite", "sortierung"])
def test_the_atlas_search_takes_the_same_values(client, offers, parameter):
    for value in BAD_VALUES:
        response = client.get("/angebote/", {parameter: value})
        assert response.status_code in (200, 400), (parameter, value)


def _write_fields():
    from kommune360.api.writes import OfferCreate

    return sorted(OfferCreate.model_fields)


@pytest.mark.parametrize("field", _write_fields())
def test_a_nul_in_any_field_of_a_write_is_a_problem(client, field):
    """A NUL in a JSON string reaches no query (PostgreSQL refuses it): 400 as a problem,
    whether the field is text, a slug, a list of slugs or not text at all."""
    from kommune360.api import tokens
    from tests.factories.accounts import UserFactory
    from tests.factories.atlas import OfferFactory, ProviderFactory

    user = UserFactory(roles=["Anbieter:in"])
    provider = ProviderFactory(maintainers=[user])
    offer = OfferFactory(provider=provider)
    _token, secret = tokens.create_token(user, "Kursverwaltung", 30)
    for value in ("Werkstatt\x00", ["\x00"]):
        for method, path in (
            ("post", "/api/v1/angebote/"),
            ("patch", f"/api/v1/angebote/{offer.slug}/"),
        ):
            data = (
                {"anbieterin_id": provider.pk, field: value} if method == "post" else {field: value}
            )
            response = getattr(client, method)(
                path, data, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {secret}"
            )
            assert response.status_code == 400, (method, field, value, response.content[:200])
            assert response["Content-Type"] == "application/problem+json"
