"""Sign-up with mandatory e-mail verification, login by password and by one-time code,
password reset: the allauth flows as kommune360 configures them."""

import re

import pytest
from allauth.account.models import EmailAddress

from kommune360.accounts import roles
from kommune360.accounts.models import User
from kommune360.core.models import OutgoingMail
from tests.factories.accounts import PASSWORD, UserFactory

from .conftest import link_in, log_in

pytestmark = pytest.mark.django_db

SIGNUP = {
    "first_name": "Erika",
    "last_name": "Beispiel",
    "email": "Erika.Beispiel@Jugendamt-Musterstadt.example",
    "organisation": "Jugendamt Musterstadt",
    "password1": "ein-langes-passwort-42",
    "password2": "ein-langes-passwort-42",
}


def test_signup_page_is_german_and_formal(client):
    response = client.get("/konto/signup/")

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="de"' in html
    assert "Vorname" in html
    for informal in ("Du ", "Dein", " dich", " dir ", "Hast du", "hast du"):
        assert informal not in html, informal


def test_signup_sends_the_confirmation_through_the_outbox(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/konto/signup/", SIGNUP)

    assert response.status_code == 302
    assert response.url == "/konto/confirm-email/"
    user = User.objects.get()
    assert user.email == "erika.beispiel@jugendamt-musterstadt.example"
    assert (user.first_name, user.last_name, user.organisation) == (
        "Erika",
        "Beispiel",
        "Jugendamt Musterstadt",
    )
    assert list(user.groups.values_list("name", flat=True)) == [roles.MEMBER]
    assert not EmailAddress.objects.get(user=user).verified
    # The mail went through the outbox (the task sent it and deleted the row).
    assert not OutgoingMail.objects.exists()
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["erika.beispiel@jugendamt-musterstadt.example"]
    assert "E-Mail-Adresse" in mail.subject
    assert "Sie" in mail.body
    assert not re.search(r"\b(Du|Dein|dich|dir)\b", mail.body)
    # Not logged in before the address is confirmed.
    assert client.get("/konto/").status_code == 302


def test_confirming_the_address_logs_the_person_in(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/konto/signup/", SIGNUP)
    confirm_path = link_in(mailoutbox[0].body, "/konto/confirm-email/")

    page = client.get(confirm_path)
    assert page.status_code == 200
    assert "Bestätigen" in page.content.decode()
    response = client.post(confirm_path)

    assert response.status_code == 302
    assert EmailAddress.objects.get().verified
    assert client.get("/konto/").status_code == 200


def test_an_unconfirmed_person_cannot_log_in_with_the_password(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/konto/signup/", SIGNUP)
    client.logout()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/konto/login/", {"login": SIGNUP["email"], "password": SIGNUP["password1"]}
        )

    assert response.status_code == 302
    assert response.url == "/konto/confirm-email/"
    assert client.get("/konto/").status_code == 302


def test_login_with_password(client):
    user = UserFactory()

    response = log_in(client, user)

    assert response.url == "/konto/"
    assert client.get("/konto/").context["user"] == user


def test_a_wrong_password_gives_a_german_error(client):
    user = UserFactory()

    response = client.post("/konto/login/", {"login": user.email, "password": "falsch"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "E-Mail-Adresse und/oder das Passwort" in html
    assert "kern-alert" in html or "kern-error" in html


def test_login_by_one_time_code(client, mailoutbox, django_capture_on_commit_callbacks):
    user = UserFactory()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/konto/login/code/", {"email": user.email})

    assert response.status_code == 302
    assert response.url == "/konto/login/code/confirm/"
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == [user.email]
    code = re.search(r"^\s*([A-Z0-9]{3,}(?:-[A-Z0-9]+)*)\s*$", mail.body, re.M).group(1)

    response = client.post("/konto/login/code/confirm/", {"code": code})

    assert response.status_code == 302
    assert client.get("/konto/").context["user"] == user


def test_a_wrong_login_code_is_refused(client, mailoutbox, django_capture_on_commit_callbacks):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/konto/login/code/", {"email": user.email})

    response = client.post("/konto/login/code/confirm/", {"code": "FALSCH"})

    assert response.status_code == 200
    assert "Falscher Code" in response.content.decode()
    assert client.get("/konto/").status_code == 302


def test_password_reset_mail(client, mailoutbox, django_capture_on_commit_callbacks):
    user = UserFactory()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/konto/password/reset/", {"email": user.email})

    assert response.status_code == 302
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == [user.email]
    assert "Passwort" in mail.subject
    reset_path = link_in(mail.body, "/konto/password/reset/key/")

    page = client.get(reset_path, follow=True)
    assert page.status_code == 200
    form_path = page.redirect_chain[-1][0] if page.redirect_chain else reset_path
    response = client.post(
        form_path, {"password1": "neues-langes-passwort-7", "password2": "neues-langes-passwort-7"}
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("neues-langes-passwort-7")
    assert not user.check_password(PASSWORD)


def test_password_reset_for_an_unknown_address_sends_no_reset_link(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/konto/password/reset/", {"email": "niemand@beispiel.example"})

    assert response.status_code == 302
    assert all("/konto/password/reset/key/" not in m.body for m in mailoutbox)


def test_logout_ends_the_session(client):
    user = UserFactory()
    log_in(client, user)

    response = client.post("/konto/logout/")

    assert response.status_code == 302
    assert client.get("/konto/").status_code == 302
