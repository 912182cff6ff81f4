import pytest
from django.contrib.auth.models import Group

from kommune360.accounts import roles
from tests.factories.accounts import UserFactory
from tests.factories.core import TopicFactory

pytestmark = pytest.mark.django_db


def test_all_six_roles_exist_after_migrate():
    assert set(Group.objects.values_list("name", flat=True)) >= set(roles.ALL)
    assert len(roles.ALL) == 6


@pytest.mark.parametrize("role", roles.STAFF)
def test_staff_roles_may_enter_the_admin(role, client):
    group = Group.objects.get(name=role)
    assert group.permissions.filter(
        content_type__app_label="wagtailadmin", codename="access_admin"
    ).exists()
    client.force_login(UserFactory(roles=[role]))

    assert client.get("/admin/").status_code == 200


@pytest.mark.parametrize("role", [roles.MEMBER, roles.PROVIDER])
def test_members_and_providers_stay_out_of_the_admin(role, client):
    assert not Group.objects.get(name=role).permissions.filter(codename="access_admin").exists()
    client.force_login(UserFactory(roles=[role]))

    response = client.get("/admin/")

    assert response.status_code in (302, 403)
    assert client.get("/admin/snippets/core/topic/").status_code in (302, 403)


def test_has_role():
    editor = UserFactory(roles=[roles.EDITOR])
    member = UserFactory(roles=[roles.MEMBER])

    assert roles.has_role(editor, roles.EDITOR)
    assert not roles.has_role(member, roles.EDITOR)


def test_the_admin_login_is_allauths(client):
    response = client.get("/admin/login/?next=/admin/")

    assert response.status_code == 302
    assert response.url == "/konto/login/?next=/admin/"


@pytest.mark.parametrize(
    "model",
    [
        "topic",
        "method",
        "targetgroup",
        "format",
        "municipality",
        "supporter",
        "person",
        "synonymgroup",
    ],
)
def test_editors_keep_the_taxonomy_snippets(model, client):
    client.force_login(UserFactory(roles=[roles.EDITOR]))

    assert client.get(f"/admin/snippets/core/{model}/").status_code == 200
    assert client.get(f"/admin/snippets/core/{model}/add/").status_code == 200


def test_editors_edit_a_topic(client):
    topic = TopicFactory(name="Beispielthema")
    client.force_login(UserFactory(roles=[roles.EDITOR]))
    url = f"/admin/snippets/core/topic/edit/{topic.pk}/"

    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "name": "Beispielthema neu",
            "slug": "beispielthema-neu",
            "description": "",
            "sort_order": 5,
        },
    )

    assert response.status_code == 302
    topic.refresh_from_db()
    assert (topic.name, topic.sort_order) == ("Beispielthema neu", 5)


def test_members_cannot_edit_a_topic(client):
    topic = TopicFactory()
    client.force_login(UserFactory(roles=[roles.MEMBER]))

    response = client.get(f"/admin/snippets/core/topic/edit/{topic.pk}/")

    assert response.status_code in (302, 403)
