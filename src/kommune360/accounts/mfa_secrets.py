"""Second-factor secrets (TOTP keys, recovery-code seeds) encrypted at rest.

allauth stores them through its MFA adapter's ``encrypt``/``decrypt`` hooks
(``adapter.MFAAdapter``); here they become Fernet tokens (AES-128-CBC with an
HMAC-SHA256), so a copy of the database alone does not reveal them.

The key comes from ``MFA_ENCRYPTION_KEYS`` (comma-separated, the first encrypts, all
decrypt: rotate by putting a new key first) or, when that is unset, from ``SECRET_KEY``.
Each key is stretched to a Fernet key with SHA-256 under a purpose of its own.
Migration ``accounts.0004`` encrypted the secrets stored before.
"""

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

_PURPOSE = b"kommune360.accounts.mfa-secrets:"


def _fernet(key):
    digest = hashlib.sha256(_PURPOSE + key.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def _keys():
    return [key for key in settings.MFA_ENCRYPTION_KEYS if key] or [settings.SECRET_KEY]


def encrypt(text):
    return MultiFernet([_fernet(key) for key in _keys()]).encrypt(text.encode()).decode()


def decrypt(token):
    try:
        return MultiFernet([_fernet(key) for key in _keys()]).decrypt(token.encode()).decode()
    except InvalidToken:
        raise ImproperlyConfigured(
            "A second-factor secret cannot be decrypted: was MFA_ENCRYPTION_KEYS or "
            "SECRET_KEY changed without keeping the old key (README, 'Konfiguration')?"
        ) from None
