"""The API's part of a person's data for the erasure test: a provider's API key named
after the person, used once for a write with an Idempotency-Key."""

from kommune360.accounts import roles
from kommune360.api import tokens
from tests.factories.atlas import ProviderFactory
from tests.factories.core import FormatFactory


def fill(person, client, name, email):
    from django.contrib.auth.models import Group

    person.groups.add(Group.objects.get(name=roles.PROVIDER))
    provider = ProviderFactory(name="Kursschmiede Nordlicht", maintainers=[person])
    _token, secret = tokens.create_token(person, f"Schlüssel von {name}", 30)
    response = client.post(
        "/api/v1/angebote/",
        {
            "titel": "Werkstatt Beteiligung",
            "kurzbeschreibung": "Ein Tag Praxis",
            "anbieterin_id": provider.pk,
            "format": FormatFactory(name="Workshop/Seminar").slug,
            "zielgruppen": [],
        },
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
        HTTP_IDEMPOTENCY_KEY="erasure-1",
    )
    assert response.status_code in (201, 400), response.content.decode()[:500]
