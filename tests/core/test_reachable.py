"""Every public page can be found by following links from the home page, and no link
the site shows a visitor leads to an error: a crawl over the demo that visits each URL
pattern (and each Wagtail page type) a few times."""

import re
from collections import Counter
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404

pytestmark = pytest.mark.django_db

HREF = re.compile(r'<a\b[^>]*\shref="([^"#]*)')
# Links the crawl does not follow: they change state or leave the site's pages.
NOT_FOLLOWED = re.compile(r"^/(admin|django-admin|static|media|download)/|/(logout|abmelden)/")
VISITS_PER_PATTERN = 2
# Pages a form or a mail leads to, not a link: the thanks after a newsletter sign-up or
# a survey, and allauth's steps of sign-up and password reset.
AFTER_A_FORM = {
    "/newsletter/danke/",
    "/wirkung/umfrage/danke/",
    "/konto/confirm-email/",
    "/konto/inactive/",
    "/konto/password/reset/done/",
    "/konto/password/reset/key/done/",
}


def pattern_of(path):
    """The URL pattern (or, for Wagtail's pages, the page type) a path belongs to."""
    match = resolve(urlsplit(path).path)
    if match.url_name == "wagtail_serve":
        from django.test import RequestFactory
        from wagtail.models import Page

        page = Page.find_for_request(RequestFactory().get(path), urlsplit(path).path)
        return f"page:{type(page.specific).__name__}" if page else f"page:{path}"
    return match.view_name


def crawl(client, start=("/", "/en/")):
    """Follows the site's links breadth first; returns the status of every path."""
    queue, seen, answers, visits = list(start), set(start), {}, Counter()
    while queue:
        path = queue.pop(0)
        response = client.get(path)
        answers[path] = response.status_code
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        for href in HREF.findall(response.content.decode()):
            parts = urlsplit(urljoin(f"http://testserver{path}", href.replace("&amp;", "&")))
            if parts.netloc != "testserver" or NOT_FOLLOWED.search(parts.path):
                continue
            link = parts.path + (f"?{parts.query}" if parts.query else "")
            if link in seen:
                continue
            seen.add(link)
            try:
                pattern = pattern_of(link)
            except Resolver404:
                answers[link] = client.get(link).status_code
                continue
            if visits[pattern] < VISITS_PER_PATTERN:
                visits[pattern] += 1
                queue.append(link)
    return answers


def fixed_paths(resolver=None, prefix=""):
    """Paths of the URL patterns without parameters (``/angebote/``, ``/api/`` …)."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = str(entry.pattern)
        if "<" in route or "(?P" in route or "^" in route.lstrip("^"):
            continue
        if isinstance(entry, URLResolver):
            yield from fixed_paths(entry, prefix + route.lstrip("^"))
        elif isinstance(entry, URLPattern):
            yield "/" + prefix + route.lstrip("^").rstrip("$")


def public_pages(client):
    """The pages without parameters that a visitor gets as HTML."""
    found = set()
    for path in set(fixed_paths()):
        if NOT_FOLLOWED.search(path):
            continue
        response = client.get(path)
        if response.status_code == 200 and "html" in response.get("Content-Type", ""):
            found.add(path)
    return found


@pytest.fixture
def demo(settings):
    settings.STAFF_REQUIRE_MFA = False
    settings.PAGE_CACHE_SECONDS = 0
    call_command("load_demo", verbosity=0)


@pytest.mark.usefixtures("demo")
def test_a_visitor_finds_every_public_page_from_the_home_page(client):
    answers = crawl(client)
    errors = {path: status for path, status in answers.items() if status >= 400}
    assert not errors, errors
    unreached = sorted(public_pages(client) - set(answers) - AFTER_A_FORM)
    assert not unreached, f"no link leads to {unreached}"
