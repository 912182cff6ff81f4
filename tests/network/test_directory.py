import pytest
from django.db import connection
from django.utils.http import urlencode

from kommune360.network.models import Role, Visibility
from tests.factories.accounts import UserFactory
from tests.factories.core import TopicFactory
from tests.factories.network import MunicipalityFactory, ProfileFactory


def test_the_directory_is_for_members_only(client, db):
    response = client.get("/netzwerk/mitglieder/")
    assert response.status_code == 302
    assert "/konto/login/" in response["Location"]


def test_german_search_finds_inflected_words(member_client):
    ProfileFactory(name="Erika Planerin", offers="Wir führen Sozialraumanalysen durch")
    ProfileFactory(name="Otto Anders", offers="Haushaltsplanung")
    html = member_client.get("/netzwerk/mitglieder/", {"q": "Sozialraumanalyse"}).content.decode()
    assert "Erika Planerin" in html
    assert "Otto Anders" not in html
    assert "1 Mitglied gefunden" in html


def test_every_word_must_match(member_client):
    ProfileFactory(name="Erika Planerin", offers="Sozialraum und Kennzahlen")
    ProfileFactory(name="Otto Anders", offers="Sozialraum")
    html = member_client.get(
        "/netzwerk/mitglieder/", {"q": "Sozialraum Kennzahlen"}
    ).content.decode()
    assert "Erika Planerin" in html and "Otto Anders" not in html


def test_switched_off_profiles_and_those_who_blocked_me_stay_out(member_client, member):
    from kommune360.network.services import contact

    ProfileFactory(name="Unsichtbar Person", is_active=False)
    blocker = ProfileFactory(name="Blockiert Mich")
    contact.block(blocker.user, member)
    ProfileFactory(name="Sichtbar Person")
    html = member_client.get("/netzwerk/mitglieder/").content.decode()
    assert "Sichtbar Person" in html
    assert "Unsichtbar Person" not in html
    assert "Blockiert Mich" not in html
    assert member_client.get(f"/netzwerk/mitglieder/{blocker.pk}/").status_code == 404


def test_facets_count_other_groups_selection_and_ignore_closed_fields(member_client):
    north = MunicipalityFactory(ags="03990001", state="03")
    east = MunicipalityFactory(ags="14990001", state="14")
    topic = TopicFactory(name="Jugendhilfe")
    ProfileFactory(role=Role.YOUTH_PLANNING, municipality=north, topics=[topic])
    ProfileFactory(role=Role.YOUTH_PLANNING, municipality=east)
    ProfileFactory(role=Role.YOUTH_OFFICE_HEAD, municipality=east, is_fellow=True, fellow_year=2024)
    ProfileFactory(role=Role.SOCIAL_PLANNING, role_visibility=Visibility.NOBODY, municipality=east)
    response = member_client.get("/netzwerk/mitglieder/", {"land": "14"})
    html = response.content.decode()
    assert "3 Mitglieder gefunden" in html
    groups = {
        g["facet"].param: {o["value"]: o["count"] for o in g["options"]}
        for g in response.context["groups"]
    }
    # The Land facet counts without its own selection, the others within it.
    assert groups["land"] == {"03": 1, "14": 3}
    assert groups["funktion"] == {Role.YOUTH_PLANNING: 1, Role.YOUTH_OFFICE_HEAD: 1}
    assert groups["fellow"] == {"1": 1}
    assert Role.SOCIAL_PLANNING not in groups["funktion"]
    # A closed role cannot be filtered on.
    html = member_client.get(
        "/netzwerk/mitglieder/", {"funktion": Role.SOCIAL_PLANNING}
    ).content.decode()
    assert "0 Mitglieder gefunden" in html


def test_topic_facets_by_kind(member_client):
    topic = TopicFactory(name="Digitalisierung")
    ProfileFactory(name="Bietet Digital", offers_topics=[topic])
    ProfileFactory(name="Sucht Digital", seeks_topics=[topic])
    html = member_client.get("/netzwerk/mitglieder/", {"biete": topic.pk}).content.decode()
    assert "Bietet Digital" in html and "Sucht Digital" not in html


def test_pagination_and_htmx(member_client):
    for index in range(25):
        ProfileFactory(name=f"Person {index:02d}")
    first = member_client.get("/netzwerk/mitglieder/").content.decode()
    assert "Person 00" in first and "Person 24" not in first
    second = member_client.get("/netzwerk/mitglieder/", {"seite": "2"}).content.decode()
    assert "Person 24" in second and "Person 00" not in second
    partial = member_client.get("/netzwerk/mitglieder/", {"seite": "2"}, HTTP_HX_REQUEST="true")
    html = partial.content.decode()
    assert "<html" not in html
    assert 'hx-swap-oob="true"' in html and "Person 24" in html


@pytest.mark.parametrize(
    "params", [{"seite": "x"}, {"thema": "abc"}, {"land": "99"}, {"seite": "99999999"}]
)
def test_bad_parameters_are_ignored(member_client, params):
    ProfileFactory()
    assert member_client.get("/netzwerk/mitglieder/?" + urlencode(params)).status_code == 200


def _fill(count):
    topics = [TopicFactory(name=f"Thema {n}") for n in range(3)]
    for index in range(count):
        ProfileFactory(
            topics=topics[: index % 3 + 1], offers_topics=topics[:1], seeks_topics=topics[1:2]
        )


@pytest.mark.parametrize("count", [3, 30])
def test_the_directory_runs_a_fixed_number_of_queries(
    member_client, django_assert_num_queries, count
):
    _fill(count)
    member_client.get("/netzwerk/mitglieder/")  # session, site and caches warm
    # The same for 3 and 30 profiles; the search runs differently per database.
    with django_assert_num_queries(16 if connection.vendor == "sqlite" else 12):
        member_client.get("/netzwerk/mitglieder/", {"q": "Beispiel", "thema": "1"})


def test_the_fellows_page_runs_a_fixed_number_of_queries(client, db, django_assert_num_queries):
    for _index in range(6):
        ProfileFactory(
            is_fellow=True,
            fellow_year=2024,
            show_as_fellow=True,
            name_visibility=Visibility.EVERYBODY,
        )
    client.get("/netzwerk/fellows/")
    UserFactory()  # nothing
    with django_assert_num_queries(7):
        client.get("/netzwerk/fellows/?x=1")
