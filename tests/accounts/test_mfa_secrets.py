"""TOTP secrets and recovery-code seeds are stored encrypted (accounts.mfa_secrets)."""

import base64
import importlib

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.apps import apps

from kommune360.accounts import mfa_secrets, roles
from tests.factories.accounts import UserFactory

from .conftest import log_in
from .test_mfa import current_code

pytestmark = pytest.mark.django_db


def stored(user, kind):
    return Authenticator.objects.get(user=user, type=kind).data


def test_the_stored_totp_secret_is_not_the_secret_and_login_still_works(client):
    user = UserFactory(roles=[roles.EDITOR])
    secret = generate_totp_secret()
    TOTP.activate(user, secret)

    data = stored(user, Authenticator.Type.TOTP)
    assert secret not in data["secret"]
    with pytest.raises(ValueError):
        base64.b32decode(data["secret"])
    assert mfa_secrets.decrypt(data["secret"]) == secret

    assert log_in(client, user).url == "/konto/2fa/authenticate/"
    assert (
        client.post("/konto/2fa/authenticate/", {"code": current_code(secret)}).status_code == 302
    )
    assert client.get("/admin/").status_code == 200


def test_recovery_code_seeds_are_encrypted_and_the_codes_still_work():
    user = UserFactory(roles=[roles.EDITOR])
    TOTP.activate(user, generate_totp_secret())
    codes = RecoveryCodes.activate(user)

    seed = stored(user, Authenticator.Type.RECOVERY_CODES)["seed"]
    assert len(mfa_secrets.decrypt(seed)) == 80 and mfa_secrets.decrypt(seed) not in seed
    assert codes.validate_code(codes.generate_codes()[0])


def test_a_new_key_put_first_still_reads_secrets_of_the_old_one(settings):
    settings.MFA_ENCRYPTION_KEYS = ["alter-schluessel"]
    token = mfa_secrets.encrypt("JBSWY3DPEHPK3PXP")

    settings.MFA_ENCRYPTION_KEYS = ["neuer-schluessel", "alter-schluessel"]
    assert mfa_secrets.decrypt(token) == "JBSWY3DPEHPK3PXP"
    settings.MFA_ENCRYPTION_KEYS = ["neuer-schluessel"]
    with pytest.raises(Exception, match="MFA_ENCRYPTION_KEYS"):
        mfa_secrets.decrypt(token)


def test_the_migration_encrypts_secrets_stored_in_plain_text():
    migration = importlib.import_module("kommune360.accounts.migrations.0004_encrypt_mfa_secrets")
    user = UserFactory(roles=[roles.EDITOR])
    secret = generate_totp_secret()
    plain = Authenticator.objects.create(
        user=user, type=Authenticator.Type.TOTP, data={"secret": secret}
    )

    migration.encrypt_secrets(apps, None)

    plain.refresh_from_db()
    assert plain.data["secret"] != secret
    assert TOTP(plain).validate_code(current_code(secret))
    migration.decrypt_secrets(apps, None)
    plain.refresh_from_db()
    assert plain.data["secret"] == secret
