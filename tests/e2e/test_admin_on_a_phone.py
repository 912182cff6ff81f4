"""The editors' screens on a phone: every screen of the platform's apps in the Wagtail
admin (their own views and the listings of their models) fits a 360 px window, so an
editor can moderate a contribution or check the next event's registrations on the way.
The screens come from the URL configuration, so a new app's screens are checked too."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from .test_layout import _check_overflow

pytestmark = pytest.mark.e2e

WIDTH = 360


def _walk(patterns, prefix=""):
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            yield route, pattern


def _ours(callback):
    """Whether a view belongs to the platform's apps: their own view functions, and
    Wagtail's generic views (listings) for their models."""
    if callback.__module__.startswith("kommune360."):
        return True
    view_class = getattr(callback, "view_class", None)
    model = getattr(view_class, "model", None) or getattr(callback, "view_initkwargs", {}).get(
        "model"
    )
    if isinstance(model, str):
        from django.apps import apps

        model = apps.get_model(model)
    return bool(model) and model.__module__.startswith("kommune360.")


def admin_screens():
    """Paths of the admin's screens that need no object: ``/admin/…`` without
    parameters, of the platform's apps, plus the dashboard."""
    paths = {"/admin/"}
    for route, pattern in _walk(get_resolver().url_patterns):
        route = route.lstrip("^").replace("\\Z", "").replace("$", "")
        if not route.startswith("admin/") or "<" in route or "(" in route:
            continue
        if "/choose/" in route or route.endswith("/preview/"):
            continue  # choosers open inside another screen; previews are the site's pages
        if _ours(pattern.callback) and not route.endswith(("results/", ".csv", ".xlsx")):
            paths.add("/" + route)
    return sorted(paths)


@pytest.mark.usefixtures("demo")
def test_every_editors_screen_fits_a_phone(page, login, make_user):
    make_user(email="chefredaktion@beispiel.example", is_staff=True, is_superuser=True)
    login(page, "chefredaktion@beispiel.example")
    page.set_viewport_size({"width": WIDTH, "height": 800})
    paths = admin_screens()
    assert len(paths) > 15, paths
    problems, seen = [], []
    for path in paths:
        response = page.goto(path)
        if response.status != 200 or "text/html" not in response.headers.get("content-type", ""):
            continue
        if not page.url.endswith(path):
            continue  # sent elsewhere (a screen that redirects)
        seen.append(path)
        _check_overflow(page, path, WIDTH, problems)
    assert len(seen) > 50, seen  # the editor really is in the admin
    assert not problems, "\n".join(problems)
