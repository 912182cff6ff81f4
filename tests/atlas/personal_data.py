"""The atlas's part of a person's data for the erasure test: an offer created and
submitted by the person as maintainer of a provider."""

from kommune360.accounts import roles
from kommune360.atlas import services
from kommune360.atlas.models import Offer
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
