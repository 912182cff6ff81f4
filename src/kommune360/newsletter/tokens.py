"""Signed tokens in newsletter links (``core.signed_links``).

Links in mails carry the subscriber's random token, signed, plus the campaign the
mail belonged to (so unsubscribes can be counted per issue). Confirmation links carry
the sign-up request itself, are timestamped and expire; preference and unsubscribe
links do not expire, because RFC 8058 one-click unsubscribe must work for as long as
a mail sits in an inbox.
"""

from datetime import timedelta

from kommune360.core.signed_links import SignedLink

CONFIRM_MAX_AGE = timedelta(days=7)
_LINK = SignedLink("kommune360.newsletter.link", timestamped=False)
_CONFIRM = SignedLink("kommune360.newsletter.signup", max_age=CONFIRM_MAX_AGE)
_CLICK = SignedLink("kommune360.newsletter.click", timestamped=False)


def link_token(subscriber_token: str, campaign_id: int | None = None) -> str:
    return _LINK.sign_text(f"{subscriber_token}.{campaign_id or 0}")


def read_link_token(value: str) -> tuple[str, int | None] | None:
    raw = _LINK.read_text(value)
    if raw is None:
        return None
    token, _sep, campaign = raw.rpartition(".")
    if not token or not campaign.isdigit():
        return None
    return token, (int(campaign) or None)


def confirm_token(request: dict) -> str:
    """The whole sign-up request (address, topics, form, time) in the confirmation link.

    Nothing is stored before the link is followed (docs/decisions/0045).
    """
    return _CONFIRM.sign(request)


def read_confirm_token(value: str) -> dict | None:
    data = _CONFIRM.read(value)
    return data if isinstance(data, dict) and isinstance(data.get("m"), str) else None


def click_token(campaign_id: int, url: str) -> str:
    """The same for every recipient: the click counter cannot tell who clicked."""
    return _CLICK.sign({"c": campaign_id, "u": url})


def read_click_token(value: str):
    data = _CLICK.read(value)
    if not isinstance(data, dict):
        return None
    return data.get("c"), data.get("u")
