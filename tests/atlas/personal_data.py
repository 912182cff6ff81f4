"""The atlas's part of a person's data for the erasure test: an offer created and
submitted by the person as maintainer of a provider, and a request to become the
provider of another organisation, sent through the form with a note that names the
person and declined by an editor with a message that names them too."""

from kommune360.accounts import roles
from kommune360.atlas import provider_requests, services
from kommune360.atlas.models import Offer, ProviderRequest
from tests.factories.accounts import UserFactory
from tests.factories.atlas import ProviderFactory
from tests.factories.core import FormatFactory


def fill(person, client, name, email):
    from django.contrib.auth.models import Group

    person.groups.add(Group.objects.get(name=roles.PROVIDER))
    provider = ProviderFactory(name="Beratungsbüro Nordlicht", maintainers=[person])
    offer = services.create_offer(
        person,
        provider,
        {
            "title": "Werkstatt Jugendhilfeplanung",
            "summary": "Zwei Tage Praxis",
            "format": FormatFactory(name="Workshop/Seminar"),
            "cost": Offer.Cost.AMOUNT,
            "cost_amount": 250,
        },
    )
    services.submit_offer(person, offer)

    response = client.post(
        "/angebote/anbieter-werden/",
        {
            "provider": "",
            "name": "Fortbildungswerk Nordheide",
            "website": "https://fortbildungswerk-nordheide.example",
            "note": f"Ich bin {name} ({email}) und leite dort die Fortbildung.",
        },
    )
    assert response.status_code == 302, response.content.decode()[:500]
    request = ProviderRequest.objects.get(user=person, name="Fortbildungswerk Nordheide")
    provider_requests.decline_request(
        UserFactory(roles=[roles.EDITOR]),
        request,
        message=f"Guten Tag {name}, bitte schreiben Sie uns von Ihrer Dienstadresse.",
    )
