"""Staff reach the admin only with a second factor (accounts.second_factor, ASVS V4.3.1).

These tests log in through allauth's form, as a person would (force_login would log
them in as having passed the second factor, tests/conftest.py).
"""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from kommune360.accounts import roles
from tests.factories.accounts import UserFactory

from .conftest import log_in
from .test_mfa import current_code

pytestmark = pytest.mark.django_db

STAFF_ROLES = [roles.MODERATOR, roles.EDITOR, roles.ADMINISTRATION, roles.JURY]
ADMIN_URLS = ["/admin/", "/django-admin/"]


def person(role):
    if role == "superuser":
        return UserFactory(is_superuser=True, is_staff=True)
    return UserFactory(roles=[role])


def with_totp(user):
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


@pytest.mark.parametrize("url", ADMIN_URLS)
@pytest.mark.parametrize("role", [*STAFF_ROLES, "superuser"])
def test_staff_without_an_authenticator_are_sent_to_set_one_up(role, url, client):
    log_in(client, person(role))

    response = client.get(url)

    assert response.status_code == 302
    assert response.url == f"/konto/zweiter-faktor/?next={url.replace('/', '%2F')}"
    page = client.get(response.url).content.decode()
    assert "Zweiter Faktor erforderlich" in page
    assert 'href="/konto/2fa/totp/activate/"' in page


@pytest.mark.parametrize("role", [*STAFF_ROLES, "superuser"])
def test_staff_who_logged_in_with_the_second_factor_enter_the_admin(role, client):
    user = person(role)
    secret = with_totp(user)

    assert log_in(client, user).url == "/konto/2fa/authenticate/"
    assert client.get("/admin/").status_code == 302  # not logged in yet
    client.post("/konto/2fa/authenticate/", {"code": current_code(secret)})

    assert client.get("/admin/").status_code == 200
    expected = 200 if role == "superuser" else 302  # only superusers use /django-admin/
    response = client.get("/django-admin/")
    assert response.status_code == expected
    if expected == 302:
        assert "zweiter-faktor" not in response.url and "2fa" not in response.url


@pytest.mark.parametrize("role", [roles.EDITOR, "superuser"])
def test_staff_with_an_authenticator_but_a_session_without_it_confirm_it(role, client):
    user = person(role)
    log_in(client, user)  # no authenticator yet: a password was enough to log in
    secret = with_totp(user)  # e.g. activated in another session

    response = client.get("/admin/pages/")

    assert response.status_code == 302
    assert response.url == "/konto/2fa/reauthenticate/?next=%2Fadmin%2Fpages%2F"
    confirmed = client.post(response.url, {"code": current_code(secret)})
    assert confirmed.status_code == 302
    assert confirmed.url == "/admin/pages/"
    assert client.get("/admin/pages/").status_code == 200


@pytest.mark.parametrize("with_second_factor", [False, True])
@pytest.mark.parametrize("role", [roles.MEMBER, roles.PROVIDER])
def test_members_and_providers_never_reach_the_admin(role, with_second_factor, client):
    user = person(role)
    if with_second_factor:
        secret = with_totp(user)
        log_in(client, user)
        client.post("/konto/2fa/authenticate/", {"code": current_code(secret)})
    else:
        log_in(client, user)

    for url in ADMIN_URLS:
        response = client.get(url)
        assert response.status_code in (302, 403)
        if response.status_code == 302:
            assert "zweiter-faktor" not in response.url and "2fa" not in response.url


def test_public_pages_need_no_second_factor(client):
    log_in(client, person(roles.EDITOR))

    assert client.get("/konto/").status_code == 200
    assert client.get("/konto/2fa/totp/activate/").status_code == 302  # reauthenticate first


def test_operators_may_switch_it_off_for_development(client, settings):
    settings.STAFF_REQUIRE_MFA = False
    log_in(client, person(roles.EDITOR))

    assert client.get("/admin/").status_code == 200
    assert not Authenticator.objects.exists()


def test_check_deploy_warns_when_it_is_off_without_debug(settings):
    settings.STAFF_REQUIRE_MFA = False
    settings.DEBUG = False
    with pytest.raises(SystemCheckError, match="STAFF_REQUIRE_MFA"):
        call_command("check", "--deploy", "--fail-level", "WARNING", "--tag", "security")

    settings.STAFF_REQUIRE_MFA = True
    from kommune360.accounts.second_factor import check_staff_second_factor

    assert check_staff_second_factor(None) == []


@pytest.mark.parametrize("role", [*STAFF_ROLES, "superuser"])
def test_staff_use_no_right_anywhere_before_the_second_factor(role, client, home_page):
    # Staff rights reach beyond the admin: a draft offer, a cohort's attendance list.
    from tests.factories.atlas import OfferFactory

    draft = OfferFactory(status="entwurf")
    log_in(client, person(role))

    for url in (draft.get_absolute_url(), "/angebote/", "/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith("/konto/zweiter-faktor/"), url
    assert client.get("/konto/").status_code == 200  # their account, to set it up
    assert client.get("/konto/zweiter-faktor/").status_code == 200


def test_members_and_providers_browse_without_a_second_factor(client, home_page):
    for role in (roles.MEMBER, roles.PROVIDER):
        log_in(client, person(role))
        assert client.get("/angebote/").status_code == 200
        assert client.get("/").status_code == 200
        client.logout()
