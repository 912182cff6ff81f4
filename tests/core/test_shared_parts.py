"""Shared parts: what pages show everyone alike is rendered once per page-cache
generation, also for logged-in members, and never carries one person's data."""

from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import RequestContext, Template, engines
from django.template.loader_tags import IncludeNode
from django.test import Client, RequestFactory

from kommune360.core.cache import invalidate_pages
from kommune360.core.shared_parts import csrf_placeholder
from kommune360.core.templatetags.core import SharedPartNode
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db

SRC = Path(__file__).resolve().parents[2] / "src" / "kommune360"
# What belongs to the person looking, which a shared part must not read (inside one,
# ``user`` is an anonymous visitor, and one that uses the CSRF token is not stored).
PERSONAL = ("request.user", "request.session", "request.COOKIES", "messages")


@pytest.fixture(autouse=True)
def _shared_parts_on(settings):
    settings.SHARED_PARTS_SECONDS = 600


def _template_names():
    for path in sorted(SRC.glob("*/templates/**/*.html")) + sorted(
        SRC.glob("*/templates/**/*.xml")
    ):
        yield str(path.relative_to(path.parents[len(path.relative_to(SRC).parts) - 3]))


def _nodes(nodelist, seen):
    for node in nodelist:
        yield node
        if isinstance(node, IncludeNode):
            name = node.template.var if hasattr(node.template, "var") else None
            if isinstance(name, str) and name not in seen:
                seen.add(name)
                yield from _nodes(engines["django"].engine.get_template(name).nodelist, seen)
        for attr in node.child_nodelists:
            yield from _nodes(getattr(node, attr, None) or [], seen)
        if hasattr(node, "conditions_nodelists"):
            for _condition, branch in node.conditions_nodelists:
                yield from _nodes(branch, seen)


def _shared_parts():
    engine = engines["django"].engine
    for name in _template_names():
        template = engine.get_template(name)
        for node in _nodes(template.nodelist, set()):
            if isinstance(node, SharedPartNode):
                yield name, node


def test_no_shared_part_reads_what_belongs_to_the_person():
    found = list(_shared_parts())
    assert len(found) >= 10, "the pages' shared parts were not found"
    for name, part in found:
        source = "".join(
            node.token.contents if getattr(node, "token", None) else ""
            for node in _nodes(part.nodelist, set())
        )
        for personal in PERSONAL:
            assert personal not in source, f"{name}: a shared part reads {personal}"


def _render(template, request):
    return template.render(RequestContext(request, {"user": request.user}))


def test_a_part_is_rendered_once_and_shows_what_an_anonymous_visitor_sees(home_page):
    template = Template(
        '{% load core %}{% shared_part "probe" %}{{ user.is_authenticated }}'
        "{% now 'u' %}{% endshared_part %}"
    )
    factory = RequestFactory()
    first = factory.get("/probe/")
    first.user = UserFactory()
    second = factory.get("/probe/")
    second.user = AnonymousUser()
    shown = _render(template, first)
    assert shown.startswith("False")
    assert _render(template, second) == shown  # the same microseconds: rendered once

    other_address = factory.get("/probe/?seite=2")
    other_address.user = AnonymousUser()
    assert _render(template, other_address) != shown
    invalidate_pages()
    third = factory.get("/probe/")
    third.user = AnonymousUser()
    assert _render(template, third) != shown


def test_a_site_wide_part_is_rendered_once_for_every_address(home_page):
    template = Template(
        '{% load core %}{% shared_part "probe" site_wide %}{% now "u" %}{% endshared_part %}'
    )
    factory = RequestFactory()
    shown = set()
    for path in ("/probe/", "/probe/?seite=2", "/anderswo/"):
        request = factory.get(path)
        request.user = AnonymousUser()
        shown.add(_render(template, request))
    assert len(shown) == 1
    invalidate_pages()
    request = factory.get("/probe/")
    request.user = AnonymousUser()
    assert _render(template, request) not in shown


def test_the_layouts_navigation_marks_the_page_of_each_address(home_page):
    """The layout's navigation is shared per address: each section's page marks itself."""
    member = Client()
    member.force_login(UserFactory())
    for path in ("/angebote/", "/veranstaltungen/"):
        for _ in range(2):  # rendered, then from the shared parts
            html = member.get(path).content.decode()
            navigation = html.split('class="site-nav"')[1].split("</nav>")[0]
            assert f'href="{path}" aria-current="page"' in navigation
            assert navigation.count('aria-current="page"') == 1


def test_a_form_in_a_part_carries_each_visitors_own_csrf_token(home_page):
    from django.middleware.csrf import get_token

    template = Template(
        '{% load core %}{% shared_part "form" %}{% now "u" %}{% csrf_token %}{% endshared_part %}'
    )
    factory = RequestFactory()
    shown = []
    for _ in range(2):
        request = factory.get("/formular/")
        request.user = AnonymousUser()
        html = _render(template, request)
        token = html.split('value="')[1].split('"')[0]
        assert len(token) == len(get_token(request)) and token != csrf_placeholder()
        assert request.META.get("CSRF_COOKIE_NEEDS_UPDATE")  # the page is not cached whole
        shown.append(html)
    first, second = (html.split("<input")[0] for html in shown)
    assert first == second  # rendered once
    assert shown[0] != shown[1]  # with two tokens


def test_a_form_answered_by_post_is_never_shared(home_page):
    template = Template('{% load core %}{% shared_part "probe" %}{% now "u" %}{% endshared_part %}')
    factory = RequestFactory()
    shown = []
    for _ in range(2):
        request = factory.post("/probe/", {"text": "mein Text"})
        request.user = AnonymousUser()
        shown.append(_render(template, request))
    assert shown[0] != shown[1]


def test_shared_parts_off_renders_every_time(home_page, settings):
    settings.SHARED_PARTS_SECONDS = 0
    template = Template('{% load core %}{% shared_part "probe" %}{% now "u" %}{% endshared_part %}')
    request = RequestFactory().get("/probe/")
    request.user = AnonymousUser()
    assert _render(template, request) != _render(template, request)


def _queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def test_members_get_the_layout_and_the_page_route_from_the_shared_parts(home_page):
    member = Client()
    member.force_login(UserFactory())
    member.get("/")  # renditions and Wagtail's site root paths
    invalidate_pages()
    rendered = _queries(member, "/")
    shared = _queries(member, "/")
    # Shared: site, settings, footer, supporters, the route to the page, its view
    # restrictions, its content. What stays: the session and the user.
    assert shared <= rendered - 5
    assert shared == 2


def test_the_layout_links_to_the_editors_area_for_staff_only(home_page):
    from django.urls import reverse

    admin_link = f'href="{reverse("wagtailadmin_home")}"'
    editor, member = Client(), Client()
    editor.force_login(UserFactory(roles=["Redaktion"]))
    member.force_login(UserFactory())
    assert admin_link in editor.get("/").content.decode()
    assert admin_link not in member.get("/").content.decode()
    assert admin_link not in Client().get("/").content.decode()
