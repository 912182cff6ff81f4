"""Every profile field × every visibility × every kind of viewer: a field shows up on
no page (fellows, directory, search, profile) for a viewer its owner did not open it to."""

import pytest

from kommune360.network.models import FIELDS, Role, Visibility
from kommune360.network.visibility import ANONYMOUS, MEMBER, OPEN_TO, OWNER, card
from tests.factories.accounts import UserFactory
from tests.factories.core import TopicFactory
from tests.factories.network import MunicipalityFactory, ProfileFactory

MARKERS = {
    "name": "Zephyrin Quastenflosser",
    "role": "Personal-/Organisationsentwicklung",
    "municipality": "Quastenhausen",
    "topics": "Quastenthema Allgemein",
    "offers": "Quastenangebot",
    "seeks": "Quastengesuch",
    "languages": "Quastisch",
    "photo": "/foto/?v=quaste",
    "links": "https://quaste.example/link",
}
# Topics of "Das biete ich" and "Das suche ich" go with their field.
EXTRA_MARKERS = {"offers": "Quastenthema Biete", "seeks": "Quastenthema Suche"}
SEARCH_WORDS = {
    "name": "Quastenflosser",
    "municipality": "Quastenhausen",
    "topics": "Allgemein",
    "offers": "Quastenangebot",
    "seeks": "Quastengesuch",
    "languages": "Quastisch",
}


def make_profile(field, visibility):
    owner = UserFactory(first_name="Konto", last_name="Inhaberin")
    others = {f"{name}_visibility": Visibility.NOBODY for name in FIELDS}
    others[f"{field}_visibility"] = visibility
    profile = ProfileFactory(
        user=owner,
        name=MARKERS["name"],
        role=Role.ORGANISATION,
        municipality=MunicipalityFactory(ags="03997001", name="Quastenhausen"),
        offers="Quastenangebot",
        seeks="Quastengesuch",
        languages="Quastisch",
        links="https://quaste.example/link",
        is_fellow=True,
        fellow_year=2024,
        show_as_fellow=True,
        topics=[TopicFactory(name="Quastenthema Allgemein")],
        offers_topics=[TopicFactory(name="Quastenthema Biete")],
        seeks_topics=[TopicFactory(name="Quastenthema Suche")],
        **others,
    )
    profile.photo.name = "network/photos/quaste.jpg"
    profile.save(update_fields=["photo"])
    return profile


def pages_for(client, level, profile):
    """The HTML of every page the viewer can reach that shows the profile."""
    pages = [client.get("/netzwerk/fellows/")]
    if level == ANONYMOUS:
        assert client.get(f"/netzwerk/mitglieder/{profile.pk}/").status_code == 302
        assert client.get("/netzwerk/mitglieder/").status_code == 302
    else:
        pages += [
            client.get("/netzwerk/mitglieder/"),
            client.get(f"/netzwerk/mitglieder/{profile.pk}/"),
        ]
    for page in pages:
        assert page.status_code == 200
    return [page.content.decode() for page in pages]


@pytest.mark.parametrize("level", [ANONYMOUS, MEMBER, OWNER])
@pytest.mark.parametrize("visibility", list(Visibility))
@pytest.mark.parametrize("field", FIELDS)
def test_a_field_shows_only_to_whom_its_owner_opened_it(client, db, field, visibility, level):
    profile = make_profile(field, visibility)
    if level == MEMBER:
        client.force_login(UserFactory())
    elif level == OWNER:
        client.force_login(profile.user)
    allowed = visibility in OPEN_TO[level]

    shown = card(profile, level)
    assert (field not in shown.hidden) is allowed

    markers = [MARKERS[field]] + ([EXTRA_MARKERS[field]] if field in EXTRA_MARKERS else [])
    for html in pages_for(client, level, profile):
        for marker in markers:
            assert (marker in html) is allowed, (field, visibility, level, marker)

    if level == MEMBER and field in SEARCH_WORDS:
        response = client.get("/netzwerk/mitglieder/", {"q": SEARCH_WORDS[field]})
        found = "1 Mitglied gefunden" in response.content.decode()
        assert found is allowed, (field, visibility)


@pytest.mark.parametrize("visibility", list(Visibility))
@pytest.mark.parametrize("field", FIELDS)
def test_the_owner_previews_what_guests_and_members_see(client, db, field, visibility):
    profile = make_profile(field, visibility)
    client.force_login(profile.user)
    html = client.get("/netzwerk/profil/").content.decode()
    guests = html.split("So sehen Gäste ohne Anmeldung Ihr Profil", 1)[1].split(
        "So sehen Mitglieder Ihr Profil"
    )[0]
    members = html.split("So sehen Mitglieder Ihr Profil", 1)[1].split("</main>")[0]
    markers = [MARKERS[field]] + ([EXTRA_MARKERS[field]] if field in EXTRA_MARKERS else [])
    for marker in markers:
        assert (marker in guests) is (visibility in OPEN_TO[ANONYMOUS])
        assert (marker in members) is (visibility in OPEN_TO[MEMBER])


@pytest.mark.parametrize("visibility", list(Visibility))
def test_the_photo_itself_is_served_only_to_whom_it_is_open(
    client, db, settings, tmp_path, visibility
):
    from django.core.files.base import ContentFile

    settings.STORAGES = {
        **settings.STORAGES,
        "private": {**settings.STORAGES["private"], "OPTIONS": {"location": tmp_path}},
    }
    profile = make_profile("photo", visibility)
    profile.photo.save("quaste.jpg", ContentFile(b"\xff\xd8\xff foto"), save=True)
    address = f"/netzwerk/mitglieder/{profile.pk}/foto/"
    with pytest.raises(Exception, match="no address|served by a view"):
        profile.photo.url  # noqa: B018  (no public address in the media folder)
    viewers = {ANONYMOUS: None, MEMBER: UserFactory(), OWNER: profile.user}
    for level, viewer in viewers.items():
        client.logout()
        if viewer is not None:
            client.force_login(viewer)
        response = client.get(address)
        allowed = visibility in OPEN_TO[level]
        assert response.status_code == (200 if allowed else 404), (level, visibility)
        if allowed:
            assert b"".join(response.streaming_content) == b"\xff\xd8\xff foto"
            assert "private" in response["Cache-Control"]
