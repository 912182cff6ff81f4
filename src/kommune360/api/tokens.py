"""Personal access tokens: made in "Mein Konto", shown once, stored as a hash, revocable
and expiring. Every change is audited; so is every write done with a token (``writes``)."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from kommune360.atlas.provider_requests import maintains_offers
from kommune360.core.audit import log_action

from .models import PREFIX, SCOPE_OFFERS_WRITE, ApiToken, digest

LIFETIMES = (30, 90, 365)  # days a provider may choose
MAX_ACTIVE = 10
# Writing down when a token was used costs a write per request; once a minute is enough.
USE_RESOLUTION = timedelta(minutes=1)


class TooManyTokens(Exception):
    """The account has ``MAX_ACTIVE`` valid keys already."""


def may_have_tokens(user) -> bool:
    return user.is_authenticated and maintains_offers(user)


def tokens_of(user):
    return ApiToken.objects.filter(user=user)


def valid_tokens_of(user):
    """Keys that still open the API: neither revoked nor expired."""
    return tokens_of(user).filter(revoked_at=None, expires_at__gt=timezone.now())


@transaction.atomic
def create_token(user, name: str, days: int) -> tuple[ApiToken, str]:
    """A new token of ``user``; returns it and the secret, which is never shown again."""
    if not may_have_tokens(user):
        raise PermissionDenied
    if days not in LIFETIMES:
        raise ValueError(days)
    # The account's row is the lock: two requests at once cannot both pass the limit.
    get_user_model().objects.select_for_update().only("pk").get(pk=user.pk)
    if valid_tokens_of(user).count() >= MAX_ACTIVE:
        raise TooManyTokens
    lookup, secret = ApiToken.new_secret()
    token = ApiToken.objects.create(
        user=user,
        name=name.strip()[:100],
        scope=SCOPE_OFFERS_WRITE,
        lookup=lookup,
        digest=digest(secret),
        expires_at=timezone.now() + timedelta(days=days),
    )
    log_action(user, "api.token_created", token, days=days)
    return token, secret


@transaction.atomic
def revoke_token(user, token: ApiToken) -> ApiToken:
    token = ApiToken.objects.select_for_update().get(pk=token.pk, user=user)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        log_action(user, "api.token_revoked", token)
    return token


def authenticate(secret: str) -> ApiToken | None:
    """The active token for ``secret``, or ``None`` (unknown, expired or revoked)."""
    if not secret.startswith(PREFIX) or len(secret) > 100:
        return None
    token = ApiToken.objects.select_related("user").filter(digest=digest(secret)).first()
    now = timezone.now()
    if token is None or not token.is_active(now) or not token.user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at > USE_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token
