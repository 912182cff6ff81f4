"""The network's part of a person's data for the erasure test: a profile made through
the form (with the person's name), a contact request naming them sent to a colleague
and one received and accepted, a block, and a report they filed."""

from kommune360.network.models import Profile, Visibility
from kommune360.network.services import contact
from tests.factories.network import ProfileFactory


def fill(person, client, name, email):
    data = {
        "name": name,
        "role": "jugendhilfeplanung",
        "is_active": "on",
        "offers": f"Fragen Sie {name}",
    }
    for field in (
        "name",
        "role",
        "municipality",
        "topics",
        "offers",
        "seeks",
        "languages",
        "photo",
        "links",
    ):
        data[f"{field}_visibility"] = Visibility.MEMBERS
    response = client.post("/netzwerk/profil/", data)
    assert response.status_code == 302, response.content.decode()[:500]
    profile = Profile.objects.get(user=person)
    colleague = ProfileFactory(name="Kollegin Nordheide")
    contact.send_request(person, colleague, f"Ich bin {name} ({email}).")
    other = ProfileFactory(name="Kollege Südheide")
    request = contact.send_request(other.user, profile, f"Guten Tag {name}!")
    contact.accept_request(person, request.pk)
    contact.block(person, ProfileFactory().user)
    contact.report(person, colleague, f"Gemeldet von {name}")
