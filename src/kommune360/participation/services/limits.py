"""Rate limits of contributions and reports, and the keyed hashes of addresses.

Three limits (``core.ratelimit``), each overridable in ``PARTICIPATION_RATE_LIMITS``:

- ``address``: contributions per account, or per e-mail address once that address is
  confirmed. An unconfirmed contribution does not count for the address it names (anybody
  can type anybody's address); it counts for the visitor who sent it;
- ``client``: contributions per visitor (their address behind the trusted proxies);
- ``report``: reports per account or visitor.
"""

from django.conf import settings
from django.utils import timezone

from kommune360.core import ratelimit
from kommune360.core.hashing import keyed_hash, unprefixed_keyed_hash

DEFAULT_RATE_LIMITS = {
    # name: (how many, per seconds)
    "address": (5, 3600),
    "client": (10, 3600),
    "report": (20, 3600),
}
_PER = {"address": ratelimit.VALUE, "client": ratelimit.VISITOR, "report": ratelimit.VISITOR}
LIMITS = {
    name: ratelimit.Limit(f"participation:{name}", count, period, per=_PER[name])
    for name, (count, period) in DEFAULT_RATE_LIMITS.items()
}


def rate_limited(name: str, identity: str) -> bool:
    """Count one attempt; true if ``identity`` went over the limit ``name``."""
    limits = {**DEFAULT_RATE_LIMITS, **getattr(settings, "PARTICIPATION_RATE_LIMITS", {})}
    count_max, period = limits[name]
    return LIMITS[name].exceeded_for(identity, limit=count_max, period=period)


def address_identity(email: str) -> str:
    return "email:" + email.strip().lower()


def email_hash(email: str) -> str:
    """The keyed hash that stands for an address (a blocked author's after erasure)."""
    return keyed_hash("participation:email", email.strip().lower())


def email_hashes(email: str) -> list[str]:
    """``email_hash`` and the form hashes were stored in before (recognised, not written)."""
    return [email_hash(email), unprefixed_keyed_hash(email.strip().lower())]


def report_hash(identity: str) -> str:
    """Who reported: per account for good, per visitor for the day (not linkable later)."""
    if not identity.startswith("user:"):
        identity = f"{timezone.localdate().isoformat()}:{identity}"
    return keyed_hash("participation:report", identity)
