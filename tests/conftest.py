import pytest
from django.db.backends.base.creation import BaseDatabaseCreation


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    # Static files straight from the finders (no collectstatic needed for tests);
    # mail to Django's in-memory outbox unless a test starts a real SMTP server.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        "private": {**settings.STORAGES["private"], "OPTIONS": {"location": tmp_path / "private"}},
    }
    settings.EMAIL_FILE_PATH = tmp_path / "mail"
    settings.MEDIA_ROOT = tmp_path / "media"
    # Hashing is deliberately slow in production; tests need no protection.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _clear_cache():
    # Rate-limit counters and cached pages must not leak from one test into the next.
    from django.contrib.contenttypes.models import ContentType
    from django.core.cache import caches

    from kommune360.core import ratelimit

    for alias in caches:
        caches[alias].clear()
    ratelimit.forget_leases()
    # Transactional tests flush the tables and content types come back with new ids;
    # a stale cached id would break foreign keys (e.g. of the audit log) in later tests.
    ContentType.objects.clear_cache()
    yield


@pytest.fixture(autouse=True)
def _german_by_default():
    # A request under /en/ or a test that activates English leaves the language on in
    # its thread; the next test on the same worker must start in German again.
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


class Clock:
    """A clock that stands still until the test moves it."""

    def __init__(self, start: float):
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds

    def time(self) -> float:  # stands in for the ``time`` module of cache backends
        return self.now


@pytest.fixture
def clock(monkeypatch):
    """The clock of rate-limit windows (``core.ratelimit.now``) and of cache expiry in
    Django's local cache backends, at the start of an hour; tests move it instead of
    sleeping."""
    import time

    from django.core.cache.backends import base, filebased, locmem

    from kommune360.core import ratelimit

    fake = Clock(time.time() // 3600 * 3600 + 3600)
    monkeypatch.setattr(ratelimit, "now", fake)
    monkeypatch.setattr(base, "time", fake)
    monkeypatch.setattr(filebased, "time", fake)
    monkeypatch.setattr(locmem, "time", fake)
    return fake


@pytest.fixture(scope="session", autouse=True)
def _urls_loaded_before_any_frozen_clock():
    """Import every view module once, before a test freezes the clock (freezegun):
    pydantic builds the API's schemas when ``api`` is imported and cannot handle
    freezegun's ``FakeDate``, so a test that was first to resolve a URL inside
    ``freeze_time`` failed, depending on the order the tests ran in."""
    from django.urls import get_resolver

    assert get_resolver().url_patterns


@pytest.fixture
def home_page(db):
    from wagtail.models import Site

    return Site.objects.get(is_default_site=True).root_page.specific


# After "Guten Tag …," a German letter goes on in lower case unless the word is a noun or
# the polite "Sie/Ihr": these words start a sentence, never the line after the greeting.
_LOWER_AFTER_GREETING = {
    "Am", "Auf", "Bitte", "Danke", "Das", "Dem", "Den", "Der", "Des", "Die", "Ein",
    "Eine", "Einen", "Es", "Für", "Gern", "Gerne", "Hier", "Im", "Leider", "Mit",
    "Vielen", "Wir", "Zu",
}  # fmt: skip


@pytest.fixture(autouse=True)
def _mails_read_as_german_letters(request):
    """Every mail any test sends: a one-line subject, and after the greeting the letter
    goes on as German letters do ("Guten Tag,\\n\\ndas Team hat …")."""
    import re

    from django.core import mail

    yield
    for message in getattr(mail, "outbox", []):
        assert "\n" not in message.subject and "\r" not in message.subject, message.subject
        found = re.search(r"^Guten Tag[^\n]*,\s*\n\s*(\S+)", message.body, re.MULTILINE)
        if found:
            assert found.group(1) not in _LOWER_AFTER_GREETING, message.body[:200]


@pytest.fixture(autouse=True)
def _staff_passed_second_factor(monkeypatch):
    # Staff need a second factor for the admin (accounts.second_factor). A test that
    # logs somebody in with force_login (admin_client too) logs them in as having
    # passed it; tests/accounts/test_second_factor.py logs in as a person would.
    from allauth.account.internal.flows.login import record_authentication
    from django.test import Client
    from django.test.client import RequestFactory

    original = Client.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        request = RequestFactory().get("/")
        request.session = self.session
        record_authentication(request, user, "mfa", type="totp")
        request.session.save()

    monkeypatch.setattr(Client, "force_login", force_login)


# Tests with a serialized rollback (the browser tests, the migration tests) get the
# site's base data back in empty tables, whatever transactional tests ran before them.
def _deserialize_into_empty_tables(self, data):
    """Restore the base data into empty tables, then move the id sequences past it.

    A transactional test before (its flush runs post_migrate) or a late request of a
    browser between two browser tests recreates content types; restoring the serialized
    base data on top of them would collide.
    So: empty every table (without post_migrate), restore, and reset the sequences as
    loaddata does (PostgreSQL).
    """
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.core.management.color import no_style

    call_command(
        "flush",
        database=self.connection.alias,
        interactive=False,
        inhibit_post_migrate=True,
        verbosity=0,
    )
    ContentType.objects.clear_cache()
    result = _deserialize(self, data)
    statements = self.connection.ops.sequence_reset_sql(
        no_style(), apps.get_models(include_auto_created=True)
    )
    with self.connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
    return result


_deserialize = BaseDatabaseCreation.deserialize_db_from_string
BaseDatabaseCreation.deserialize_db_from_string = _deserialize_into_empty_tables
