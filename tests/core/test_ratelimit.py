"""The shared rate limit of public forms (core/ratelimit.py), on the real cache."""

from pathlib import Path

import pytest
from django.core.cache import cache
from django.test import RequestFactory

from kommune360.core import ratelimit


def test_first_attempts_pass_then_limited():
    results = [ratelimit.limited("test:form", "someone@example.org", 3) for _ in range(5)]
    assert results == [False, False, False, True, True]


def test_scopes_and_identities_count_apart():
    for _ in range(2):
        assert not ratelimit.limited("test:a", "one", 2)
    assert ratelimit.limited("test:a", "one", 2)
    assert not ratelimit.limited("test:b", "one", 2)
    assert not ratelimit.limited("test:a", "two", 2)


def test_limit_zero_refuses_everything():
    assert ratelimit.limited("test:closed", "anyone", 0)


def test_window_ends_after_the_period(clock):
    assert not ratelimit.limited("test:window", "x", 1, period=60)
    assert ratelimit.limited("test:window", "x", 1, period=60)
    clock.advance(59)
    assert ratelimit.limited("test:window", "x", 1, period=60)
    clock.advance(1)
    assert not ratelimit.limited("test:window", "x", 1, period=60)


def test_a_pause_does_not_end_the_window_early(settings, tmp_path, clock):
    """The file-based cache's ``incr`` stores with the default timeout; the window holds."""
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "cache"),
            "TIMEOUT": 1,
        },
    }
    assert not ratelimit.limited("test:pause", "x", 1)
    assert ratelimit.limited("test:pause", "x", 1)
    clock.advance(30 * 60)  # far beyond the cache's default timeout, within the hour
    assert ratelimit.limited("test:pause", "x", 1)
    clock.advance(30 * 60)  # the next hour
    assert not ratelimit.limited("test:pause", "x", 1)


def test_limited_attempts_count_too():
    """Hammering past the limit keeps the counter going (nobody gets in by retrying)."""
    for _ in range(5):
        ratelimit.limited("test:count", "x", 2)
    assert cache.get(ratelimit.cache_key("test:count", "x")) == 5


@pytest.fixture
def own_registry(monkeypatch):
    """Limits a test declares stay out of the site's registry."""
    monkeypatch.setattr(ratelimit, "LIMITS", {})


def test_visitor_limit_per_address_and_no_address_in_the_cache(settings, own_registry):
    limit = ratelimit.Limit("test:client", 1)
    factory = RequestFactory()
    first = factory.post("/", REMOTE_ADDR="203.0.113.7")
    second = factory.post("/", REMOTE_ADDR="198.51.100.2")
    assert not limit.exceeded(first)
    assert limit.exceeded(first)
    assert not limit.exceeded(second)

    key = ratelimit.cache_key("test:client", ratelimit.visitor_identity(first))
    assert "203.0.113.7" not in key
    assert key.startswith("ratelimit:test:client:")
    location = Path(settings.CACHES["default"].get("LOCATION", ""))
    if location.is_dir():  # the file-based cache of a machine without Redis
        for path in location.rglob("*"):
            if path.is_file():
                assert b"203.0.113.7" not in path.read_bytes()


def test_hash_is_keyed_with_the_secret(settings):
    before = ratelimit.hashed("client:203.0.113.7")
    assert before == ratelimit.hashed("client:203.0.113.7")
    settings.SECRET_KEY = "another secret key that is long enough for the test"
    assert ratelimit.hashed("client:203.0.113.7") != before


def test_a_scope_is_declared_once(own_registry):
    ratelimit.Limit("test:once", 3)
    ratelimit.Limit("test:once", 3)  # the same declaration again (a module reloaded)
    with pytest.raises(ValueError, match="declared twice"):
        ratelimit.Limit("test:once", 4)


# --- The public forms that use it -------------------------------------------------------


def test_events_anonymous_registration_stops_at_its_limit(client, home_page):
    from django.urls import reverse

    from kommune360.events.views import ANONYMOUS_REGISTRATIONS_PER_HOUR
    from tests.factories.events import EventFactory

    event = EventFactory(title="Netzwerktreffen Beispielstadt", capacity=50)
    url = reverse("events:register", args=[event.slug])
    for number in range(ANONYMOUS_REGISTRATIONS_PER_HOUR + 1):
        data = {"name": "Max Muster", "email": f"p{number}@beispiel.example", "privacy": "on"}
        html = client.post(url, data).content.decode()
    assert "Zu viele Anmeldungen von Ihrem Anschluss" in html
    assert 'value="p10@beispiel.example"' in html  # what was entered stays
    other = client.post(url, data, REMOTE_ADDR="198.51.100.9").content.decode()
    assert "Zu viele Anmeldungen" not in other


def test_behind_the_proxy_a_visitor_blocks_only_themselves(client, home_page, settings):
    from django.urls import reverse

    from kommune360.events.views import ANONYMOUS_REGISTRATIONS_PER_HOUR
    from tests.factories.events import EventFactory

    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    event = EventFactory(title="Netzwerktreffen Beispielstadt", capacity=50)
    url = reverse("events:register", args=[event.slug])

    def register(number, forwarded):
        data = {"name": "Max Muster", "email": f"p{number}@beispiel.example", "privacy": "on"}
        response = client.post(url, data, REMOTE_ADDR="10.0.0.2", headers=forwarded)
        return "Zu viele Anmeldungen" in response.content.decode()

    first = {"X-Forwarded-For": "192.0.2.1"}
    assert not any(register(n, first) for n in range(ANONYMOUS_REGISTRATIONS_PER_HOUR))
    assert register(98, first)
    assert register(99, {"X-Forwarded-For": "203.0.113.5, 192.0.2.1"})  # forged: no way out
    assert not register(100, {"X-Forwarded-For": "192.0.2.2"})  # somebody else


def test_leased_limit_passes_exactly_the_limit_in_one_process(clock):
    results = [ratelimit.limited_leased("test:lease", "x", 120, 60) for _ in range(125)]
    assert results == [False] * 120 + [True] * 5
    clock.advance(60)
    assert not ratelimit.limited_leased("test:lease", "x", 120, 60)


def test_leased_limit_holds_across_processes(clock, monkeypatch):
    """Three processes (each with its own leases) never pass more than the limit together;
    together they are refused at most a lease less one per process early."""
    processes = [{}, {}, {}]
    passed = 0
    for _ in range(100):
        for leases in processes:
            monkeypatch.setattr(ratelimit, "_leases", leases)
            passed += not ratelimit.limited_leased("test:lease", "y", 150, 60)
    assert 150 - 3 * (ratelimit.lease_size(150) - 1) <= passed <= 150


def test_leased_limit_writes_the_counter_once_a_lease(clock):
    ratelimit.limited_leased("test:lease", "z", 600, 60)
    key = ratelimit.cache_key("test:lease", "z", 60)
    assert cache.get(key) == ratelimit.lease_size(600) == 12
    for _ in range(11):
        ratelimit.limited_leased("test:lease", "z", 600, 60)
    assert cache.get(key) == 12
    ratelimit.limited_leased("test:lease", "z", 600, 60)
    assert cache.get(key) == 24


def test_small_leased_limits_count_exactly(clock):
    assert ratelimit.lease_size(99) == 1
    results = [ratelimit.limited_leased("test:lease", "s", 3, 60) for _ in range(4)]
    assert results == [False, False, False, True]
