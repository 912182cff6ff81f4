"""Every admin view of the project's apps checks access in the same way (core.permissions).

The URLs come from the resolver: each view registered under /admin/ by a kommune360
app lives in an ``admin_views.py`` and carries ``admin_permission_required``.
"""

import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import URLPattern, URLResolver, get_resolver

from kommune360.accounts import roles
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db


def _admin_views(resolver=None, prefix=""):
    for entry in (resolver or get_resolver()).url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if route.startswith("admin/") or "admin/".startswith(route):
                yield from _admin_views(entry, route)
        elif isinstance(entry, URLPattern) and route.startswith("admin/"):
            view = entry.callback
            inner = view
            while hasattr(inner, "__wrapped__"):
                inner = inner.__wrapped__
            # The apps' own function views; viewsets (snippets) are Wagtail's classes.
            if inner.__module__.startswith("kommune360.") and not hasattr(inner, "view_class"):
                yield route, view, inner.__module__


ADMIN_VIEWS = sorted(_admin_views())


def _url(route):
    return "/" + re.sub(r"<(?:\w+:)?\w+>", "1", route)


def test_the_project_registers_admin_views():
    assert len(ADMIN_VIEWS) >= 15
    assert any(route == "admin/angebotsatlas/pruefen/" for route, *_ in ADMIN_VIEWS)


@pytest.mark.parametrize(("route", "view", "module"), ADMIN_VIEWS, ids=[r for r, *_ in ADMIN_VIEWS])
def test_admin_views_live_in_admin_views_and_check_a_permission(route, view, module):
    assert module.endswith(".admin_views"), module
    assert getattr(view, "admin_permission", None), f"{route}: @admin_permission_required"


@pytest.mark.parametrize(("route", "view", "module"), ADMIN_VIEWS, ids=[r for r, *_ in ADMIN_VIEWS])
def test_anonymous_visitors_log_in_and_members_stay_out(client, home_page, route, view, module):
    url = _url(route)
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(("/konto/login/", "/admin/login/"))

    client.force_login(UserFactory(roles=[roles.MEMBER, roles.PROVIDER]))
    assert client.get(url).status_code in (302, 403)


def _permission(name):
    app_label, codename = name.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


@pytest.mark.parametrize(
    ("route", "view", "module"),
    [entry for entry in ADMIN_VIEWS if "<" not in entry[0]],
    ids=[r for r, *_ in ADMIN_VIEWS if "<" not in r],
)
def test_the_role_with_the_permission_opens_the_view(client, home_page, route, view, module):
    permission = _permission(view.admin_permission)
    staff_roles = Group.objects.filter(name__in=roles.STAFF)
    role = staff_roles.filter(permissions=permission).first()
    assert role is not None, f"no staff role has {view.admin_permission}"
    client.force_login(UserFactory(roles=[role.name]))
    assert client.get(_url(route)).status_code == 200

    other = staff_roles.exclude(permissions=permission).first()
    if other is not None:
        client.force_login(UserFactory(roles=[other.name]))
        assert client.get(_url(route)).status_code in (302, 403)
