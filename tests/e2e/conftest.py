"""Browser tests: Playwright (sync API) drives Debian's Chromium against the live server.

Fixtures for every app's browser tests:

- ``page``: a fresh browser context and page per test; relative URLs go to the live
  server. After the test it fails if any page loaded something from another host,
  violated the Content-Security-Policy, raised a script error or got an HTTP 5xx
  answer (``page_log``).
- ``axe_check``: ``axe_check(page)`` fails with a readable list of WCAG 2.0/2.1 A+AA
  violations found by axe-core.
- ``make_user``: a member with a confirmed e-mail address (password ``PASSWORD``).
- ``login``: ``login(page, email)`` logs in through the form.
- ``demo``: the demo content of all apps (``kommune360 load_demo``).

Mark tests with ``@pytest.mark.e2e``. The database is transactional (the live server
runs in another thread) and is restored after each test (serialized rollback).
"""

import os
from pathlib import Path

import pytest

from . import browser as helpers

# Playwright's sync API keeps an event loop in this thread; Django's ORM would refuse
# to run next to it without this.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    if not Path(helpers.CHROMIUM).exists():
        pytest.fail(f"{helpers.CHROMIUM} fehlt: `make chromium` installiert Debians Chromium.")
    playwright = sync_playwright().start()
    _keep_database_connections(playwright)
    browser = playwright.chromium.launch(
        executable_path=helpers.CHROMIUM, args=helpers.CHROMIUM_ARGS
    )
    yield browser
    browser.close()
    playwright.stop()


def _keep_database_connections(playwright):
    """Let this thread keep its database connections while Playwright runs.

    Playwright's sync API leaves its event loop running in this thread; Django then
    looks connections up per async context instead of per thread and would open new
    ones, without the test database's serialized contents (so the data of the
    migrations would not come back after a transactional test). Point the async
    context at the thread's existing connections.
    """
    from django.db import connections

    local = connections._connections
    for alias in connections:
        wrapper = getattr(local._storage, alias, None)  # the thread-local storage
        if wrapper is not None:
            setattr(local, alias, wrapper)  # the storage used while a loop runs


@pytest.fixture(scope="session")
def live_server(django_db_setup, django_db_blocker):
    """pytest-django's live server; single-threaded on SQLite.

    With SQLite the test database lives in memory and the server shares this thread's
    connection. Several request threads on one sqlite3 connection deadlock as soon as
    a query calls a Python function (the search's stemmer, Django's date functions):
    the thread holding SQLite's mutex waits for the GIL that another thread, waiting
    for the mutex, holds. One request at a time avoids that; Django closes each
    connection after the response, so Chromium does not keep one open.
    """
    from django.core.servers.basehttp import WSGIServer
    from pytest_django.live_server_helper import LiveServer

    class SingleThreadedWSGIServer(WSGIServer):
        def __init__(self, *args, connections_override=None, **kwargs):
            super().__init__(*args, **kwargs)

    with django_db_blocker.unblock():
        server = LiveServer("localhost", start=False)
        if server.thread.connections_override:
            server.thread.server_class = SingleThreadedWSGIServer
        server.start()
    yield server
    server.stop()


@pytest.fixture
def e2e_db(transactional_db, django_db_serialized_rollback, live_server, settings):
    """Transactional database for the live server, with the site's base data kept."""
    from django.core.cache import cache

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # A fast hasher: demo accounts, sign-up and log-in hash passwords many times.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Journeys log staff in through the form like the demo does; the second factor has
    # its own tests (tests/accounts/test_second_factor.py).
    settings.STAFF_REQUIRE_MFA = False
    cache.clear()  # rate limits and cached site settings of earlier tests
    yield
    cache.clear()


@pytest.fixture
def live_url(live_server):
    return live_server.url


@pytest.fixture
def page_log(live_server):
    return helpers.PageLog(origin=live_server.url)


@pytest.fixture
def browser_context(chromium, live_url, page_log, e2e_db):
    context = chromium.new_context(
        base_url=live_url,
        locale="de-DE",
        timezone_id="Europe/Berlin",
        accept_downloads=True,
        viewport={"width": 1280, "height": 900},
    )
    context.set_default_timeout(10_000)
    context.on("request", page_log.on_request)
    context.on("response", page_log.on_response)
    context.on("console", page_log.on_console)
    context.on("weberror", lambda error: page_log.on_page_error(error.error))
    yield context
    context.close()


@pytest.fixture
def page(browser_context, page_log):
    page = browser_context.new_page()
    yield page
    problems = page_log.problems()
    assert not problems, "The browser saw:\n" + "\n".join(problems)


@pytest.fixture
def axe_check():
    return helpers.axe_check


@pytest.fixture
def login():
    return helpers.login


@pytest.fixture
def demo(e2e_db):
    from django.core.management import call_command

    call_command("load_demo", verbosity=0)


@pytest.fixture
def make_user(e2e_db):
    def make_user(email="mitglied@example.org", first_name="Maria", last_name="Muster", **extra):
        from allauth.account.models import EmailAddress
        from django.contrib.auth import get_user_model

        user = get_user_model().objects.create_user(
            email=email,
            password=helpers.PASSWORD,
            first_name=first_name,
            last_name=last_name,
            **extra,
        )
        EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
        return user

    return make_user
