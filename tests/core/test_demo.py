import pytest
from django.apps import apps
from django.core.management import call_command

from kommune360.accounts.models import User
from kommune360.core.models import Method, Municipality, Person, SiteSettings, Supporter, Topic

pytestmark = pytest.mark.django_db


def counts():
    return {
        f"{model._meta.app_label}.{model.__name__}": model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label not in {"sessions", "admin", "django_tasks_database"}
        and not model._meta.proxy
    }


def test_load_demo_fills_the_instance(capsys):
    call_command("load_demo")

    assert "Demo-Inhalte geladen: core" in capsys.readouterr().out
    assert Topic.objects.exists()
    assert Method.objects.filter(name="Design Thinking", is_innovative=True).exists()
    assert Supporter.objects.count() >= 3
    assert Municipality.objects.filter(ags="09772", kind=Municipality.Kind.LANDKREIS).exists()
    assert Person.objects.filter(municipality__ags="05124000").exists()
    assert User.objects.filter(email="redaktion@kommune360.example").exists()
    assert SiteSettings.objects.get().network_name == "Kommune 360°"


def test_load_demo_twice_gives_the_same_counts():
    call_command("load_demo")
    first = counts()

    call_command("load_demo")

    assert counts() == first


def test_load_demo_if_empty_loads_into_an_empty_database(capsys):
    call_command("load_demo", "--if-empty")

    assert User.objects.exists()
    assert "Demo-Inhalte geladen" in capsys.readouterr().out


def test_load_demo_if_empty_leaves_a_used_database_alone(capsys):
    User.objects.create_user("erika@beispiel.example", "ein-langes-passwort-42")

    call_command("load_demo", "--if-empty")

    assert "keine Demo-Inhalte geladen" in capsys.readouterr().out
    assert User.objects.count() == 1
    assert not Supporter.objects.exists()


def test_demo_accounts_can_log_in(client, settings):
    settings.STAFF_REQUIRE_MFA = False  # as `make run` sets it: the demo has no second factor
    call_command("load_demo", "--only", "core", "accounts")

    response = client.post(
        "/konto/login/",
        {"login": "redaktion@kommune360.example", "password": "kommune360-demo"},
    )

    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_every_printed_demo_login_logs_in_with_the_demo_password(client, capsys):
    from django.contrib.auth import authenticate

    from kommune360.core.demo import DEMO_PASSWORD
    from kommune360.core.registry import registry

    call_command("load_demo")
    call_command("demo_logins")
    printed = capsys.readouterr().out

    logins = [email for step in registry.demo_steps() for email, _label in step.logins]
    assert {"redaktion@kommune360.example", "anbieterin@kommune360.example"} <= set(logins)
    for email in logins:
        assert email in printed
        assert authenticate(username=email, password=DEMO_PASSWORD) is not None, email
    assert f"Passwort: {DEMO_PASSWORD}" in printed


def test_a_demo_instance_says_so_on_every_page_until_the_operator_empties_it(client):
    from kommune360.core.demo import DEMO_NOTICE

    call_command("load_demo", "--only", "core", "accounts", "editorial", "atlas")

    for path in ("/", "/angebote/", "/angebote/analyse/"):
        assert DEMO_NOTICE in client.get(path).content.decode(), path
    site_settings = SiteSettings.objects.get()
    site_settings.notice = ""
    site_settings.save()
    call_command("load_demo", "--only", "core")
    assert SiteSettings.objects.get().notice == ""  # emptied on purpose, not refilled
    assert DEMO_NOTICE not in client.get("/angebote/").content.decode()
