"""Rate limits of public forms: a fixed window per scope and identity, counted in the cache.

Every public form that accepts input without an account calls ``limited`` (for an
identity of its own choosing, e.g. an e-mail address) or ``client_limited`` (for the
client's network address) before it does anything::

    if ratelimit.client_limited(request, "events:register", 10):
        form.add_error(None, _("Zu viele Anmeldungen …"))

The cache key holds the scope, the window and a keyed hash (HMAC with ``SECRET_KEY``)
of the identity, never the address itself. The counter lives in the default cache,
which all web processes share (Redis, or files in the data folder). Windows are fixed
slices of the clock (``period`` seconds each); a new slice starts a new count.

Caches without an ``incr`` of their own (the file-based one) write the counter back
with the default timeout of five minutes; the counter's expiry is therefore set again
after each attempt, or a quiet pause of five minutes would end an hour's window early.
"""

import hashlib
import hmac
import time

from django.conf import settings
from django.core.cache import cache

HOUR = 3600


def hashed(identity: str) -> str:
    """A keyed hash of ``identity``; the same identity gives the same hash."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, identity.encode(), hashlib.sha256).hexdigest()[:32]


def cache_key(scope: str, identity: str, period: int = HOUR, now: float | None = None) -> str:
    window = int((time.time() if now is None else now) // period)
    return f"ratelimit:{scope}:{period}:{window}:{hashed(identity)}"


def limited(scope: str, identity: str, limit: int, period: int = HOUR) -> bool:
    """Count one attempt of ``identity`` in ``scope``; true if it is over ``limit`` per ``period``.

    The first ``limit`` attempts of a window pass; every further one is limited and
    counts as well.
    """
    now = time.time()
    key = cache_key(scope, identity, period, now)
    remaining = max(1, int(period - now % period) + 1)
    if cache.add(key, 1, timeout=remaining):
        count = 1
    else:
        try:
            count = cache.incr(key)  # atomic on Redis
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=remaining)
            count = 1
        cache.touch(key, timeout=remaining)
    return count > limit


def client_identity(request) -> str:
    """The client's network address as the proxy set-up delivers it (``REMOTE_ADDR``)."""
    return "client:" + request.META.get("REMOTE_ADDR", "")


def client_limited(request, scope: str, limit: int, period: int = HOUR) -> bool:
    """``limited`` for the client's address (hashed; the address is not kept)."""
    return limited(scope, client_identity(request), limit, period)
