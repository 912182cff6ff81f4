"""Values carried in links, signed so that nobody can forge or change them.

Every kind of link the platform mails (confirm a registration, a contribution or a
newsletter sign-up; check a participant in; manage or end a subscription; count a
click) is one ``SignedLink``: its ``salt`` names the purpose, so a link of one kind is
worthless as another. ``max_age`` (seconds or a ``timedelta``) makes links expire;
without it a link holds as long as the secret key. Links that must never expire
(unsubscribing has to work for as long as a mail sits in an inbox) are not
timestamped (``timestamped=False``).

``sign`` writes anything JSON can (compressed where that is shorter), ``sign_text``
a text as it is, readable in the link. ``read`` and ``read_text`` return the value,
or ``None`` for a link that is forged, damaged or expired, never an exception;
``is_expired`` tells an expired link from a broken one where the person should be
told which. A link's format depends only on salt and kind, so links already sent keep
working.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.core import signing


@dataclass(frozen=True)
class SignedLink:
    salt: str
    max_age: int | timedelta | None = None
    timestamped: bool = True

    def _signer(self):
        if self.timestamped:
            return signing.TimestampSigner(salt=self.salt)
        return signing.Signer(salt=self.salt)

    def _unsign(self, method, token):
        arguments = {"max_age": self.max_age} if self.timestamped else {}
        try:
            return getattr(self._signer(), method)(token, **arguments)
        except (signing.BadSignature, ValueError):
            return None

    def sign(self, value) -> str:
        return self._signer().sign_object(value, compress=True)

    def read(self, token):
        return self._unsign("unsign_object", token)

    def sign_text(self, text: str) -> str:
        return self._signer().sign(text)

    def read_text(self, token) -> str | None:
        return self._unsign("unsign", token)

    def is_expired(self, token) -> bool:
        """Whether ``token`` is genuine but older than ``max_age``."""
        if not (self.timestamped and self.max_age is not None):
            return False
        try:
            self._signer().unsign(token, max_age=self.max_age)
        except signing.SignatureExpired:
            return True
        except (signing.BadSignature, ValueError):
            return False
        return False
