"""The shared rate limit of public forms (core/ratelimit.py), on the real cache."""

import time
from pathlib import Path

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


def _start_of_a_window(period):
    time.sleep(period - time.time() % period + 0.05)


def test_window_ends_after_the_period():
    _start_of_a_window(1)
    assert not ratelimit.limited("test:window", "x", 1, period=1)
    assert ratelimit.limited("test:window", "x", 1, period=1)
    time.sleep(1.1)
    assert not ratelimit.limited("test:window", "x", 1, period=1)


def test_a_pause_does_not_end_the_window_early(settings, tmp_path):
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
    time.sleep(1.5)
    assert ratelimit.limited("test:pause", "x", 1)


def test_limited_attempts_count_too():
    """Hammering past the limit keeps the counter going (nobody gets in by retrying)."""
    for _ in range(5):
        ratelimit.limited("test:count", "x", 2)
    assert cache.get(ratelimit.cache_key("test:count", "x")) == 5


def test_client_limit_per_address_and_no_address_in_the_cache(settings):
    factory = RequestFactory()
    first = factory.post("/", REMOTE_ADDR="203.0.113.7")
    second = factory.post("/", REMOTE_ADDR="198.51.100.2")
    assert not ratelimit.client_limited(first, "test:client", 1)
    assert ratelimit.client_limited(first, "test:client", 1)
    assert not ratelimit.client_limited(second, "test:client", 1)

    key = ratelimit.cache_key("test:client", ratelimit.client_identity(first))
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
