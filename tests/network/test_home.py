from kommune360.network.models import Role, Visibility
from kommune360.network.views import network_counts
from tests.factories.network import MunicipalityFactory, ProfileFactory


def test_counts_below_five_are_not_shown_exactly(client, db):
    north = MunicipalityFactory(ags="03990001", state="03")
    for _index in range(6):
        ProfileFactory(role=Role.YOUTH_PLANNING, municipality=north)
    for _index in range(2):
        ProfileFactory(role=Role.YOUTH_OFFICE_HEAD, municipality=north)
    ProfileFactory(role=Role.SOCIAL_PLANNING, role_visibility=Visibility.NOBODY)
    counts = network_counts()
    roles = dict(counts["roles"])
    assert roles["Jugendhilfeplanung"] == "6"
    assert roles["Jugendamtsleitung"] == "weniger als 5"
    assert "Sozialplanung" not in roles
    assert dict(counts["states"])["Niedersachsen"] == "9"
    html = client.get("/netzwerk/").content.decode()
    assert "weniger als 5" in html
    assert "Das Netzwerk in Zahlen" in html


def test_only_fellows_who_agreed_are_shown(client, db):
    ProfileFactory(
        name="Gezeigte Fellow",
        is_fellow=True,
        fellow_year=2025,
        show_as_fellow=True,
        name_visibility=Visibility.EVERYBODY,
    )
    ProfileFactory(
        name="Stille Fellow",
        is_fellow=True,
        fellow_year=2025,
        show_as_fellow=False,
        name_visibility=Visibility.EVERYBODY,
    )
    html = client.get("/netzwerk/fellows/").content.decode()
    assert "Gezeigte Fellow" in html and "Stille Fellow" not in html
    assert "Jahrgang 2025" in html
