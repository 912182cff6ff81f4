import os
import subprocess
import sys

import pytest
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import RequestFactory

from kommune360.core.cache import GENERATION_KEY, AnonymousPageCacheMiddleware, mark_private
from tests.core.conftest import page_cache
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.usefixtures("page_cache_on")


def test_anonymous_get_is_served_from_the_cache_the_second_time(client, home):
    first = client.get("/")
    second = client.get("/")
    assert first.status_code == second.status_code == 200
    assert page_cache(first) == "miss"
    assert page_cache(second) == "hit"
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    assert second["Content-Language"] == "de"
    # Security headers are set on hits too (the cache sits inside SecurityMiddleware
    # and keeps the CSP of the stored answer).
    assert "script-src 'self'" in second["Content-Security-Policy"]
    assert second["X-Content-Type-Options"] == "nosniff"


def test_english_and_german_pages_are_cached_apart(client, home):
    client.get("/")
    english = client.get("/en/")
    assert page_cache(english) == "miss"
    assert english["Content-Language"] == "en"
    assert b'<html lang="en"' in client.get("/en/").content


def test_publishing_a_page_invalidates_the_cache(client, home):
    client.get("/")
    assert page_cache(client.get("/")) == "hit"

    home.title = "Frisch veröffentlichte Startseite"
    home.save_revision().publish()

    response = client.get("/")
    assert page_cache(response) == "miss"
    assert "Frisch veröffentlichte Startseite" in response.content.decode()
    assert page_cache(client.get("/")) == "hit"


def test_unpublishing_a_page_invalidates_the_cache(client, home):
    client.get("/")
    assert page_cache(client.get("/")) == "hit"
    home.unpublish()
    response = client.get("/")
    assert response.status_code == 404
    assert page_cache(response) is None


def test_logged_in_visitors_are_never_served_from_the_cache(client, home):
    client.get("/")
    assert page_cache(client.get("/")) == "hit"

    client.force_login(UserFactory())
    for _ in range(2):
        response = client.get("/")
        assert response.status_code == 200
        assert page_cache(response) is None
        assert "Mein Konto" in response.content.decode()


def test_a_session_cookie_bypasses_the_cache(client, home):
    client.get("/")
    client.cookies["sessionid"] = "irgendeine-sitzung"
    assert page_cache(client.get("/")) is None
    assert page_cache(client.get("/")) is None


def test_a_messages_cookie_bypasses_the_cache(client, home):
    client.get("/")
    client.cookies["messages"] = "irgendeine-nachricht"
    assert page_cache(client.get("/")) is None


def test_pages_that_use_a_csrf_token_are_not_stored(client, db):
    first = client.get("/konto/login/")
    assert first.status_code == 200
    assert b"csrfmiddlewaretoken" in first.content
    assert page_cache(first) is None
    client.cookies.clear()
    assert page_cache(client.get("/konto/login/")) is None


def test_htmx_requests_are_neither_served_from_nor_stored_in_the_cache(client, home):
    htmx = client.get("/", headers={"HX-Request": "true"})
    assert htmx.status_code == 200
    assert page_cache(htmx) is None
    assert page_cache(client.get("/")) == "miss"
    assert page_cache(client.get("/", headers={"HX-Request": "true"})) is None


def test_not_found_answers_are_not_stored(client, db):
    assert client.get("/gibt-es-nicht/").status_code == 404
    response = client.get("/gibt-es-nicht/")
    assert response.status_code == 404
    assert page_cache(response) is None


def test_the_query_string_is_part_of_the_key(client, home):
    client.get("/")
    assert page_cache(client.get("/?seite=2")) == "miss"
    assert page_cache(client.get("/?seite=2")) == "hit"


def test_losing_the_generation_key_never_brings_back_old_pages(client, home):
    client.get("/")
    cache.delete(GENERATION_KEY)
    assert page_cache(client.get("/")) == "miss"
    assert page_cache(client.get("/")) == "hit"


def test_a_publish_in_another_process_invalidates_the_pages_of_this_one(client, home):
    # gunicorn runs several processes: the generation must be shared between them
    # (files in the data folder, or Redis), even where the pages are kept per process.
    client.get("/")
    assert page_cache(client.get("/")) == "hit"
    bump = (
        "import django; django.setup(); "
        "from kommune360.core.cache import invalidate_pages; invalidate_pages()"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "kommune360.settings"}
    subprocess.run([sys.executable, "-c", bump], env=env, check=True, timeout=120)
    assert page_cache(client.get("/")) == "miss"


def test_page_cache_off_when_seconds_is_zero(client, home, settings):
    settings.PAGE_CACHE_SECONDS = 0
    client.get("/")
    assert page_cache(client.get("/")) is None


def middleware_answers(view, times=2, **headers):
    """X-Page-Cache of ``times`` anonymous GETs of ``view`` through the middleware."""
    middleware = AnonymousPageCacheMiddleware(view)
    answers = []
    for _ in range(times):
        request = RequestFactory().get("/stueck/", headers=headers)
        answers.append(middleware(request).headers.get("X-Page-Cache"))
    return answers


def html(body="<p>Hallo</p>", **kwargs):
    return HttpResponse(body, content_type="text/html; charset=utf-8", **kwargs)


def test_a_plain_html_view_is_stored(db):
    assert middleware_answers(lambda request: html()) == ["miss", "hit"]


def test_a_view_that_asks_for_a_csrf_token_is_not_stored(db):
    def view(request):
        return html(f'<input name="csrfmiddlewaretoken" value="{get_token(request)}">')

    assert middleware_answers(view) == [None, None]


def test_a_view_marked_private_is_not_stored(db):
    def view(request):
        mark_private(request)
        return html()

    assert middleware_answers(view) == [None, None]


def test_a_response_that_sets_a_cookie_is_not_stored(db):
    def view(request):
        response = html()
        response.set_cookie("gesehen", "1")
        return response

    assert middleware_answers(view) == [None, None]


@pytest.mark.parametrize(
    "headers",
    [
        {"Cache-Control": "private"},
        {"Cache-Control": "no-store"},
        {"Vary": "User-Agent"},
        {"Content-Type": "application/json"},
        {"Content-Type": "text/plain"},
    ],
)
def test_responses_that_must_not_be_shared_are_not_stored(db, headers):
    def view(request):
        response = html()
        for name, value in headers.items():
            response[name] = value
        return response

    assert middleware_answers(view) == [None, None]


def test_post_requests_pass_through(db):
    calls = []

    def view(request):
        calls.append(request.method)
        return html()

    middleware = AnonymousPageCacheMiddleware(view)
    for _ in range(2):
        assert "X-Page-Cache" not in middleware(RequestFactory().post("/stueck/"))
    assert calls == ["POST", "POST"]


def test_the_bench_view_does_not_exist_in_normal_runs(client, db):
    assert client.get("/__bench__/bare", follow=True).status_code == 404
