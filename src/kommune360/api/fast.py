"""The searched lists (offers) without django-ninja's per-request work, same answers.

django-ninja parses a list's query parameters into its pydantic model on every request
(the query dict, the model's validation, the operation's bookkeeping); for the offers
list at 50,000 offers that was a large part of the request next to the search itself.
Here the plain, common values are read directly with the model's own rules, and the
page is written by the same ``v1._page``:

- ``q`` and ``cursor``: the last value, at most the model's ``max_length`` characters;
- ``limit``: the last value, digits only, within the model's bounds;
- a flag (``bescheinigung``): the last value, ``true``/``false``/``1``/``0``;
- a list of values (``methode``, …): every value, as given.

Anything else – a longer text, ``limit=+5``, ``bescheinigung=yes``, a method other than
``GET``/``HEAD`` – goes to the django-ninja route unchanged, which answers it as before
(its 400 with the parameter's message, its 405). django-ninja also keeps writing the
OpenAPI description from the same model. ``tests/api/test_fast.py`` compares both
routes' answers.
"""

import types
import typing

from django.urls import path
from django.views.decorators.csrf import csrf_exempt

DIGITS = frozenset("0123456789")
FLAGS = {"true": True, "false": False, "1": True, "0": False}


class Slow(Exception):
    """A value the fast reading does not take; django-ninja answers it."""


def _rules(model):
    """Per field of ``model``: (name, kind, default, bounds) with kind text, number,
    flag or values; ``None`` if a field has another type (then no fast route)."""
    rules = []
    for name, field in model.model_fields.items():
        annotation = field.annotation
        bounds = {}
        for item in field.metadata:
            for attr in ("max_length", "ge", "le"):
                if getattr(item, attr, None) is not None:
                    bounds[attr] = getattr(item, attr)
        if annotation is bool:
            kind = "flag"
        elif annotation is int:
            kind = "number"
        elif annotation in (str, str | None):
            kind = "text"
        elif typing.get_origin(annotation) is list and typing.get_args(annotation) == (str,):
            kind = "values"
        else:
            return None
        if kind == "values" and bounds:
            return None
        rules.append((name, kind, field.get_default(call_default_factory=True), bounds))
    return rules


def read(query, rules):
    """The parameters of ``query`` (a ``QueryDict``) by ``rules``; raises ``Slow``."""
    values = {}
    for name, kind, default, bounds in rules:
        if kind == "values":
            values[name] = query.getlist(name) if name in query else list(default)
            continue
        if name not in query:
            values[name] = default
            continue
        raw = query[name]  # the last value, as django-ninja takes it
        if kind == "text":
            if len(raw) > bounds.get("max_length", len(raw)):
                raise Slow(name)
            values[name] = raw
        elif kind == "number":
            if not raw or len(raw) > 6 or not DIGITS.issuperset(raw):
                raise Slow(name)
            number = int(raw)
            if number < bounds.get("ge", number) or number > bounds.get("le", number):
                raise Slow(name)
            values[name] = number
        else:
            if raw not in FLAGS:
                raise Slow(name)
            values[name] = FLAGS[raw]
    return types.SimpleNamespace(**values)


def fast_view(resource, model, page, slow):
    """The view of ``resource``'s list: ``page(request, resource, params)`` for plain
    values, ``slow(request)`` (the django-ninja view) for everything else."""
    rules = _rules(model)

    @csrf_exempt
    def listing(request):
        if rules is None or request.method not in ("GET", "HEAD"):
            return slow(request)
        try:
            params = read(request.GET, rules)
        except Slow:
            return slow(request)
        return page(request, resource, params)

    return listing


def urlpatterns(api, routes, page):
    """A fast route in front of django-ninja's for each ``(resource, model)`` of ``routes``."""
    ninja_patterns = api.urls[0]
    found = []
    for resource, model in routes:
        route = f"{resource.name}/"
        slow = next(p.callback for p in ninja_patterns if str(p.pattern) == route)
        found.append(path(route, fast_view(resource, model, page, slow)))
    return found
