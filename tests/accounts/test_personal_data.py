"""Personal-data export and account deletion, through the registry."""

import json

import pytest
from allauth.account.models import EmailAddress

from kommune360.accounts import roles
from kommune360.accounts.models import User
from kommune360.core.models import AuditEntry
from kommune360.core.registry import PersonalData, registry
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def probe(monkeypatch):
    """A made-up app in the registry that records what the account services ask of it."""
    monkeypatch.setattr(registry, "_entries", {k: list(v) for k, v in registry._entries.items()})
    calls = []

    def export(user):
        calls.append(("export", user.pk))
        return {"notiz": f"Beispieldaten von {user.email}"}

    def erase(user):
        calls.append(("erase", user.pk))

    registry.add(PersonalData("probe", "Beispiel-App", export, erase))
    return calls


def test_personal_data_page_needs_a_login(client):
    response = client.get("/konto/meine-daten/")

    assert response.status_code == 302
    assert response.url.startswith("/konto/login/?next=")


def test_personal_data_page_lists_every_section(client, probe):
    user = UserFactory()
    client.force_login(user)

    response = client.get("/konto/meine-daten/")

    assert response.status_code == 200
    html = response.content.decode()
    for entry in registry.personal_data():
        assert f"<li>{entry.label}</li>" in html
    assert "<li>Beispiel-App</li>" in html


def test_download_needs_a_login_and_a_post(client):
    user = UserFactory()

    assert client.post("/konto/meine-daten/herunterladen/").status_code == 302
    client.force_login(user)
    assert client.get("/konto/meine-daten/herunterladen/").status_code == 405


def test_download_holds_the_account_and_every_registered_app(client, probe):
    user = UserFactory(
        email="erika@beispiel.example",
        first_name="Erika",
        last_name="Beispiel",
        roles=[roles.MEMBER],
    )
    EmailAddress.objects.create(user=user, email="erika.zweit@beispiel.example", verified=False)
    client.force_login(user)

    response = client.post("/konto/meine-daten/herunterladen/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="kommune360-daten-')
    assert response["Cache-Control"] == "no-store"
    data = json.loads(response.content)
    assert data["account"] == "erika@beispiel.example"
    assert set(data["sections"]) == {entry.app_label for entry in registry.personal_data()}
    account = data["sections"]["accounts"]["data"]
    assert account["email"] == "erika@beispiel.example"
    assert (account["first_name"], account["last_name"]) == ("Erika", "Beispiel")
    assert account["roles"] == [roles.MEMBER]
    assert sorted(a["email"] for a in account["email_addresses"]) == [
        "erika.zweit@beispiel.example",
        "erika@beispiel.example",
    ]
    assert data["sections"]["probe"] == {
        "label": "Beispiel-App",
        "data": {"notiz": "Beispieldaten von erika@beispiel.example"},
    }
    assert ("export", user.pk) in probe
    assert AuditEntry.objects.filter(action="accounts.data_exported", actor=user).exists()


def test_delete_page_needs_a_login(client):
    assert client.get("/konto/loeschen/").status_code == 302


def test_a_wrong_confirmation_keeps_the_account(client, probe):
    user = UserFactory(email="erika@beispiel.example")
    client.force_login(user)

    response = client.post("/konto/loeschen/", {"confirm_email": "jemand@anders.example"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "Die Adresse stimmt nicht mit der Ihres Kontos überein." in html
    # The message sits next to the field and the entry stays in it.
    field_start = html.index('name="confirm_email"')
    assert 'value="jemand@anders.example"' in html[field_start - 400 : field_start + 400]
    assert 'aria-invalid="true"' in html
    assert User.objects.filter(pk=user.pk).exists()
    assert ("erase", user.pk) not in probe
    assert client.get("/konto/").status_code == 200


def test_the_right_confirmation_erases_everything_and_logs_out(client, probe):
    user = UserFactory(email="erika@beispiel.example")
    user_pk = user.pk
    client.force_login(user)

    response = client.post("/konto/loeschen/", {"confirm_email": " Erika@Beispiel.example "})

    assert response.status_code == 302
    assert response.url == "/"
    assert not User.objects.filter(pk=user_pk).exists()
    assert not EmailAddress.objects.filter(email="erika@beispiel.example").exists()
    assert ("erase", user_pk) in probe
    entry = AuditEntry.objects.get(action="accounts.deleted")
    assert entry.actor is None
    assert entry.data == {"user_id": user_pk}
    assert "_auth_user_id" not in client.session
    assert client.get("/konto/").status_code == 302


def test_deletion_calls_every_registered_erase(probe, rf):
    from kommune360.accounts.services import delete_account

    user = UserFactory()
    user_pk = user.pk

    assert delete_account(user) == user_pk

    assert ("erase", user_pk) in probe
    assert not User.objects.filter(pk=user_pk).exists()


def test_a_failing_erase_deletes_nothing(monkeypatch):
    from kommune360.accounts.services import delete_account

    monkeypatch.setattr(registry, "_entries", {k: list(v) for k, v in registry._entries.items()})

    def broken_erase(user):
        raise RuntimeError("Beispiel-App kaputt")

    registry.add(PersonalData("broken", "Kaputte App", lambda user: None, broken_erase))
    user = UserFactory()

    with pytest.raises(RuntimeError):
        delete_account(user)

    assert User.objects.filter(pk=user.pk).exists()
    assert not AuditEntry.objects.filter(action="accounts.deleted").exists()


def test_a_failed_deletion_keeps_the_person_logged_in(client):
    """The view logs out only after the deletion committed: when it fails, the account
    and the login both stay (no half state of an existing account without a session)."""
    from django.db.models.signals import pre_delete

    user = UserFactory(email="erika@beispiel.example")
    client.force_login(user)

    def refuse(sender, instance, **kwargs):
        raise RuntimeError("Löschen verweigert")

    pre_delete.connect(refuse, sender=User, dispatch_uid="test-refuse-deletion")
    client.raise_request_exception = False
    try:
        response = client.post("/konto/loeschen/", {"confirm_email": "erika@beispiel.example"})
    finally:
        pre_delete.disconnect(sender=User, dispatch_uid="test-refuse-deletion")

    assert response.status_code == 500
    assert User.objects.filter(pk=user.pk).exists()
    assert client.get("/konto/").status_code == 200


def test_the_export_holds_certificates_audit_entries_and_waiting_mails(client):
    from kommune360.core.certificates import issue_certificate
    from kommune360.core.mail import queue_email
    from tests.factories.core import TopicFactory

    user = UserFactory(email="erika@beispiel.example", first_name="Erika", last_name="Beispiel")
    other = UserFactory(email="jemand@anders.example")
    certificate = issue_certificate(
        TopicFactory(), holder_name="Erika Beispiel", holder=user, title="Lernpfad Wandel"
    )
    issue_certificate(TopicFactory(), holder_name="Jemand", holder=other, title="Fremd")
    queue_email("Ihre Anmeldung", ["erika@beispiel.example"], "Guten Tag Erika Beispiel")
    queue_email("Etwas anderes", ["jemand@anders.example"], "Guten Tag")
    client.force_login(user)

    response = client.post("/konto/meine-daten/herunterladen/")

    core = json.loads(response.content)["sections"]["core"]
    assert core["label"] == "Teilnahmebescheinigungen, Protokoll und ausgehende E-Mails"
    (exported,) = core["data"]["certificates"]
    assert exported["code"] == certificate.code
    assert (exported["name"], exported["title"], exported["valid"]) == (
        "Erika Beispiel",
        "Lernpfad Wandel",
        True,
    )
    assert exported["verification_url"].endswith(f"/nachweis/{certificate.code}/")
    assert [m["subject"] for m in core["data"]["outbox"]] == ["Ihre Anmeldung"]
    assert "accounts.data_exported" in [e["action"] for e in core["data"]["audit_log"]]
