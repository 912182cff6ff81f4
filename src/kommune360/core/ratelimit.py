"""Rate limits of public forms: a fixed window per scope and identity, counted in the cache.

Each limit is declared once, at module level, where it is used; declaring registers it
by its scope, so tests can run over every limit of the site::

    REGISTRATIONS = ratelimit.Limit("events:register", 10, per=ratelimit.VISITOR)

    if REGISTRATIONS.exceeded(request):
        form.add_error(None, _("Zu viele Anmeldungen …"))

A limit counts per visitor (their address as ``core.visitor`` finds it behind the
trusted proxies), per logged-in account, or per value the caller names (an e-mail
address, say: ``limit.exceeded_for(identity)``).

The cache key holds the scope, the window and a keyed hash (``core.hashing``) of the
identity, never the address itself. The counter lives in the default cache, which all
web processes share (Redis, or files in the data folder). Windows are fixed slices of
the clock (``period`` seconds each); a new slice starts a new count. The clock is
``now`` of this module (tests replace it).

Caches without an ``incr`` of their own (the file-based one) write the counter back
with the default timeout of five minutes; the counter's expiry is therefore set again
after each attempt when the window lasts longer than that, or a quiet pause of five
minutes would end an hour's window early.

A limit declared with ``lease=True`` (the API's reads, counted on every request) takes
its attempts from the shared counter in leases of ``lease_size(limit)`` (a fiftieth of
the limit, at most 20, 1 below 100: then it counts exactly as above): a process adds a
whole lease to the counter at once and passes that many attempts of the identity from
memory, one cache write in up to 20 requests instead of one in each. The limit holds
across processes and servers as before: the counter only grows by leases, and no lease
gives more attempts than the window has left, so never more than ``limit`` attempts of
an identity pass in a window. An identity whose requests are spread over ``P``
processes may be refused up to ``P × (lease − 1)`` attempts early (attempts leased by
one process and not used there; 19 per process at the API's 600 a minute); a lease
ends with its window.
"""

import threading
import time

from django.core.cache import cache

from .hashing import keyed_hash
from .visitor import visitor_address

HOUR = 3600
VISITOR, USER, VALUE = "visitor", "user", "value"

LIMITS: dict[str, "Limit"] = {}


def now() -> float:
    """The clock of the windows (seconds since the epoch)."""
    return time.time()


def hashed(identity: str) -> str:
    """A keyed hash of ``identity``; the same identity gives the same hash."""
    return keyed_hash("ratelimit", identity)


def cache_key(scope: str, identity: str, period: int = HOUR, at: float | None = None) -> str:
    window = int((now() if at is None else at) // period)
    return f"ratelimit:{scope}:{period}:{window}:{hashed(identity)}"


def limited(scope: str, identity: str, limit: int, period: int = HOUR) -> bool:
    """Count one attempt of ``identity`` in ``scope``; true if it is over ``limit`` per ``period``.

    The first ``limit`` attempts of a window pass; every further one is limited and
    counts as well.
    """
    at = now()
    key = cache_key(scope, identity, period, at)
    remaining = max(1, int(period - at % period) + 1)
    try:
        # Counting first: an existing counter (every attempt but the window's first)
        # costs one read and one write of the file cache, not two reads and a write.
        count = cache.incr(key)  # atomic on Redis
    except ValueError:  # the window's first attempt (or the counter expired)
        if cache.add(key, 1, timeout=remaining):
            return limit < 1
        try:
            count = cache.incr(key)  # another process added it in between
        except ValueError:  # and it expired again
            cache.add(key, 1, timeout=remaining)
            return limit < 1
    if cache.default_timeout is not None and remaining > cache.default_timeout:
        # Only a window longer than the cache's default needs its expiry set again
        # (a file-based incr wrote the counter with the default); a shorter one
        # lives long enough and is spared a second write (the API counts every
        # request).
        cache.touch(key, timeout=remaining)
    return count > limit


def lease_size(limit: int) -> int:
    """Attempts a process takes from the shared counter at once (see the module)."""
    return 1 if limit < 100 else min(20, limit // 50)


# Leases of this process: cache key → (limit, attempts left, refused).
_leases: dict[str, tuple[int, int, bool]] = {}
_leases_lock = threading.Lock()
MAX_LEASES = 10_000


def forget_leases():
    """Drop this process's leases (when the shared counters are cleared)."""
    with _leases_lock:
        _leases.clear()


def limited_leased(scope: str, identity: str, limit: int, period: int = HOUR) -> bool:
    """As ``limited``, counting in leases of ``lease_size(limit)`` attempts."""
    size = lease_size(limit)
    if size == 1:
        return limited(scope, identity, limit, period)
    at = now()
    key = cache_key(scope, identity, period, at)
    with _leases_lock:
        held = _leases.get(key)
        if held is not None and held[0] == limit:
            if held[2]:
                return True
            if held[1] > 0:
                _leases[key] = (limit, held[1] - 1, False)
                return False
    remaining = max(1, int(period - at % period) + 1)
    try:
        count = cache.incr(key, size)
    except ValueError:
        if cache.add(key, size, timeout=remaining):
            count = size
        else:
            try:
                count = cache.incr(key, size)
            except ValueError:
                cache.add(key, size, timeout=remaining)
                count = size
    if cache.default_timeout is not None and remaining > cache.default_timeout:
        cache.touch(key, timeout=remaining)
    granted = max(0, min(size, limit - (count - size)))
    with _leases_lock:
        if len(_leases) >= MAX_LEASES:
            _leases.clear()  # unused attempts are lost: stricter, never looser
        _leases[key] = (limit, max(0, granted - 1), granted == 0)
    return granted == 0


def seconds_left(period: int = HOUR) -> int:
    """Seconds until the current window of ``period`` ends (for ``Retry-After``)."""
    return max(1, int(period - now() % period) + 1)


def visitor_identity(request) -> str:
    """The identity of the visitor behind ``request`` (their address, hashed in the key)."""
    return "client:" + visitor_address(request)


def user_identity(user) -> str:
    return f"user:{user.pk}"


class Limit:
    """A named limit: at most ``limit`` attempts per ``period`` seconds and identity."""

    def __init__(
        self, scope: str, limit: int, period: int = HOUR, *, per: str = VISITOR, lease=False
    ):
        if per not in (VISITOR, USER, VALUE):
            raise ValueError(f"unknown kind of identity {per!r}")
        known = LIMITS.get(scope)
        if known is not None and (known.limit, known.period, known.per) != (limit, period, per):
            raise ValueError(f"rate limit {scope!r} is declared twice")
        self.scope, self.limit, self.period, self.per = scope, limit, period, per
        self.lease = lease
        LIMITS[scope] = self

    def __repr__(self):
        return f"Limit({self.scope!r}, {self.limit}, {self.period}, per={self.per!r})"

    def identity(self, request) -> str:
        """Whom an attempt in ``request`` counts for (per visitor or per account)."""
        if self.per == USER:
            return user_identity(request.user)
        if self.per == VISITOR:
            return visitor_identity(request)
        raise TypeError(f"{self.scope}: counts per value; call exceeded_for(identity)")

    def exceeded(self, request) -> bool:
        """Count one attempt of the visitor or account behind ``request``."""
        return self.exceeded_for(self.identity(request))

    def exceeded_for(self, identity: str, *, limit: int | None = None, period: int | None = None):
        """Count one attempt of ``identity``; ``limit``/``period`` override the declared ones."""
        count = limited_leased if self.lease else limited
        return count(
            self.scope,
            identity,
            self.limit if limit is None else limit,
            self.period if period is None else period,
        )
