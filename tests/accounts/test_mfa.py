"""Two-factor authentication (TOTP) for staff accounts, with allauth's own helpers."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    SECRET_SESSION_KEY,
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)

from kommune360.accounts import roles
from tests.factories.accounts import PASSWORD, UserFactory

from .conftest import log_in

pytestmark = pytest.mark.django_db


def current_code(secret):
    counters = list(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(secret, counters[len(counters) // 2]))


def reauthenticate(client, next_url):
    response = client.post("/konto/reauthenticate/", {"password": PASSWORD, "next": next_url})
    assert response.status_code == 302, response.content.decode()[:2000]


def test_staff_open_the_mfa_pages(client):
    user = UserFactory(roles=[roles.EDITOR])
    log_in(client, user)

    index = client.get("/konto/2fa/")
    assert index.status_code == 200
    assert "Authenticator" in index.content.decode()
    # Turning it on asks for the password once more.
    response = client.get("/konto/2fa/totp/activate/")
    assert response.status_code == 302
    assert response.url.startswith("/konto/reauthenticate/")
    reauthenticate(client, "/konto/2fa/totp/activate/")
    activate = client.get("/konto/2fa/totp/activate/")
    assert activate.status_code == 200
    assert "QR" in activate.content.decode() or "<svg" in activate.content.decode()


def test_staff_activate_totp_and_are_asked_for_it_at_the_next_login(client):
    user = UserFactory(roles=[roles.EDITOR])
    log_in(client, user)
    reauthenticate(client, "/konto/2fa/totp/activate/")
    client.get("/konto/2fa/totp/activate/")
    secret = client.session[SECRET_SESSION_KEY]

    response = client.post("/konto/2fa/totp/activate/", {"code": current_code(secret)})

    assert response.status_code == 302
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()

    client.logout()
    response = log_in(client, user)
    assert response.url == "/konto/2fa/authenticate/"
    assert client.get("/konto/").status_code == 302  # not logged in without the code
    response = client.post("/konto/2fa/authenticate/", {"code": current_code(secret)})
    assert response.status_code == 302
    assert client.get("/konto/").status_code == 200


def test_a_wrong_totp_code_activates_nothing(client):
    user = UserFactory(roles=[roles.EDITOR])
    log_in(client, user)
    reauthenticate(client, "/konto/2fa/totp/activate/")
    client.get("/konto/2fa/totp/activate/")

    response = client.post("/konto/2fa/totp/activate/", {"code": "000000"})

    assert response.status_code == 200
    assert "Falscher Code" in response.content.decode()
    assert not Authenticator.objects.filter(user=user).exists()
