"""Personal access tokens of providers and the answers kept for ``Idempotency-Key``."""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

SCOPE_OFFERS_WRITE = "offers:write"
SCOPES = [(SCOPE_OFFERS_WRITE, _("Eigene Angebote anlegen und ändern"))]
PREFIX = "k360_"


def digest(token: str) -> str:
    """SHA-256 of the whole token. No key: the token is 256 random bits, and tokens
    must survive a new ``SECRET_KEY`` (``core.hashing``'s rotation)."""
    return hashlib.sha256(token.encode()).hexdigest()


class ApiToken(models.Model):
    """A provider's personal access token; only its hash is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Konto"),
        on_delete=models.CASCADE,
        related_name="personal_access_tokens",
    )
    name = models.CharField(_("Name"), max_length=100)
    scope = models.CharField(
        _("Berechtigung"), max_length=30, choices=SCOPES, default=SCOPE_OFFERS_WRITE
    )
    lookup = models.CharField(max_length=12, unique=True, editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("angelegt am"), default=timezone.now)
    expires_at = models.DateTimeField(_("gültig bis"))
    revoked_at = models.DateTimeField(_("widerrufen am"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("zuletzt benutzt"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "pk"]
        verbose_name = _("API-Schlüssel")
        verbose_name_plural = _("API-Schlüssel")

    def __str__(self):
        # Not the name: it may name the person, and the audit log keeps this text.
        return self.shown

    @property
    def shown(self):
        """What lists show of the token: its first characters."""
        return f"{PREFIX}{self.lookup}…"

    def is_active(self, now=None):
        now = now or timezone.now()
        return self.revoked_at is None and now < self.expires_at

    @staticmethod
    def new_secret() -> tuple[str, str]:
        """(lookup, the whole token): shown once, never stored."""
        lookup = secrets.token_hex(4)
        return lookup, f"{PREFIX}{lookup}_{secrets.token_urlsafe(32)}"


class IdempotentRequest(models.Model):
    """The answer to a write sent with ``Idempotency-Key``, kept a day for retries."""

    token = models.ForeignKey(ApiToken, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    fingerprint = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField()
    body = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["token", "key"], name="api_idempotency_once_per_token")
        ]

    def __str__(self):
        return self.key
