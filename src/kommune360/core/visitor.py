"""The visitor's network address, as the proxies in front of the site report it.

Rate limits and counters ask ``visitor_address(request)``; no other module reads
``REMOTE_ADDR`` or ``X-Forwarded-For`` (a test greps for it).

Behind ``TRUSTED_PROXY_COUNT`` reverse proxies (settings: ``ALLAUTH_TRUSTED_PROXY_COUNT``,
the one value allauth's own login limits use as well) each proxy appends the address it
received the request from to ``X-Forwarded-For``. The visitor's address is therefore
the entry that many places from the right, exactly as allauth counts. Entries further
left come from the visitor and are ignored: a forged entry gives nobody a fresh
identity. Without proxies, or when the header is missing, too short or not an address,
``REMOTE_ADDR`` is the answer.
"""

import ipaddress

from django.conf import settings


def trusted_proxy_count() -> int:
    return max(0, int(getattr(settings, "ALLAUTH_TRUSTED_PROXY_COUNT", 0) or 0))


def visitor_address(request) -> str:
    """The address of the visitor (normalised), or ``REMOTE_ADDR`` when there is no better one."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    count = trusted_proxy_count()
    header = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if count == 0 or not header:
        return remote
    entries = [entry.strip() for entry in header.split(",")]
    if len(entries) < count:
        return remote
    try:
        return str(ipaddress.ip_address(entries[-count]))
    except ValueError:
        return remote
