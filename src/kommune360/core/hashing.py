"""The one keyed hash of the platform: HMAC-SHA256 with ``SECRET_KEY``.

Whatever identifies a person but must not be stored or shown as it is (a visitor's
address in a rate-limit key, a blocked address after the account was erased, the
reporter of a contribution) goes through ``keyed_hash``. The purpose is part of the
hashed text, so the same value hashed for two purposes gives two unrelated hashes::

    keyed_hash("participation:report", identity)

A key rotation (a new ``SECRET_KEY``) changes every keyed hash. A list that must survive
it (the newsletter's suppression list, decision 0042) uses no key on purpose.
"""

import hashlib
import hmac

from django.conf import settings

LENGTH = 32  # hex characters, 128 bits


def keyed_hash(purpose: str, value: str, *, length: int = LENGTH) -> str:
    """A keyed hash of ``value`` for ``purpose``; the same pair always gives the same hash."""
    return _hmac(f"{purpose}:{value}", length)


def unprefixed_keyed_hash(value: str, *, length: int = LENGTH) -> str:
    """The keyed hash as it was written before purposes existed (the bare value).

    Only for recognising hashes stored in that form (participation's blocked addresses of
    erased accounts and confirmation links sent before); never for new values.
    """
    return _hmac(value, length)


def _hmac(text: str, length: int) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, text.encode(), hashlib.sha256).hexdigest()[:length]
