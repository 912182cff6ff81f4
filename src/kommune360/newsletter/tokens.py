"""Signed tokens in newsletter links.

Links in mails carry the subscriber's random token, signed, plus the campaign the
mail belonged to (so unsubscribes can be counted per issue). Confirmation links carry
the sign-up request itself, are timestamped and expire; preference and unsubscribe
links do not expire, because RFC 8058 one-click unsubscribe must work for as long as
a mail sits in an inbox.
"""

from datetime import timedelta

from django.core import signing

CONFIRM_MAX_AGE = timedelta(days=7)
_LINK = signing.Signer(salt="kommune360.newsletter.link")
_CONFIRM = signing.TimestampSigner(salt="kommune360.newsletter.signup")


def link_token(subscriber_token: str, campaign_id: int | None = None) -> str:
    return _LINK.sign(f"{subscriber_token}.{campaign_id or 0}")


def read_link_token(value: str) -> tuple[str, int | None] | None:
    try:
        raw = _LINK.unsign(value)
    except signing.BadSignature:
        return None
    token, _sep, campaign = raw.rpartition(".")
    if not token or not campaign.isdigit():
        return None
    return token, (int(campaign) or None)


def confirm_token(request: dict) -> str:
    """The whole sign-up request (address, topics, form, time) in the confirmation link.

    Nothing is stored before the link is followed (docs/decisions/0045).
    """
    return _CONFIRM.sign_object(request, compress=True)


def read_confirm_token(value: str) -> dict | None:
    try:
        data = _CONFIRM.unsign_object(value, max_age=CONFIRM_MAX_AGE)
    except (signing.BadSignature, ValueError):
        return None
    return data if isinstance(data, dict) and isinstance(data.get("m"), str) else None


_CLICK = signing.Signer(salt="kommune360.newsletter.click")


def click_token(campaign_id: int, url: str) -> str:
    """The same for every recipient: the click counter cannot tell who clicked."""
    return _CLICK.sign_object({"c": campaign_id, "u": url}, compress=True)


def read_click_token(value: str):
    try:
        data = _CLICK.unsign_object(value)
    except (signing.BadSignature, ValueError):
        return None
    return data.get("c"), data.get("u")
