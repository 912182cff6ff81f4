import pytest

from kommune360.core.models import AuditEntry
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db


def test_profile_needs_a_login(client):
    assert client.get("/konto/").status_code == 302


def test_profile_shows_the_current_details(client):
    user = UserFactory(first_name="Erika", organisation="Jugendamt Musterstadt")
    client.force_login(user)

    response = client.get("/konto/")

    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="Erika"' in html
    assert 'value="Jugendamt Musterstadt"' in html
    assert f"Sie sind angemeldet als {user.email}." in html


def test_profile_edit_saves_and_logs(client):
    user = UserFactory()
    client.force_login(user)

    response = client.post(
        "/konto/",
        {
            "first_name": "Erika",
            "last_name": "Beispiel",
            "organisation": "Landkreis Musterkreis",
            "position": "Jugendhilfeplanung",
        },
    )

    assert response.status_code == 302
    assert response.url == "/konto/"
    user.refresh_from_db()
    assert (user.first_name, user.last_name, user.organisation, user.position) == (
        "Erika",
        "Beispiel",
        "Landkreis Musterkreis",
        "Jugendhilfeplanung",
    )
    assert AuditEntry.objects.filter(action="accounts.profile_updated", actor=user).exists()
    page = client.get(response.url)
    assert "Ihre Angaben wurden gespeichert." in page.content.decode()


def test_a_missing_name_keeps_the_entries_and_shows_a_german_error(client):
    user = UserFactory(last_name="Alt")
    client.force_login(user)

    response = client.post(
        "/konto/", {"first_name": "", "last_name": "Neu", "organisation": "Beispielamt"}
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "Bitte füllen Sie dieses Feld aus." in html
    assert 'id="id_first_name-error"' in html
    assert 'value="Neu"' in html
    assert 'value="Beispielamt"' in html
    user.refresh_from_db()
    assert user.last_name == "Alt"


@pytest.mark.parametrize("path", ["/konto/", "/konto/meine-daten/", "/konto/loeschen/"])
def test_account_pages_run_a_fixed_number_of_queries(
    path, client, home_page, django_assert_num_queries
):
    client.force_login(UserFactory())
    client.get(path)  # warm the site and settings caches

    # session, user and what the layout needs (site, settings, navigation, footer), and
    # whether the person maintains offers and has award applications (the atlas's and
    # the awards' entries of the account navigation)
    with django_assert_num_queries(7):
        assert client.get(path).status_code == 200
