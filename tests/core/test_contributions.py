"""Contributions to other apps' pages go through the registry and ``core`` renders them.

Both tests discover what they check: the apps and their tag libraries from Django, the
extras and the models they declare from the registry, the objects from the demo content.
"""

import re
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.template.backends.django import get_installed_libraries
from django.test import Client
from wagtail.models import Page

from kommune360.core.registry import registry

LOAD = re.compile(r"{%\s*load\s+(.+?)\s*%}")
OWN = "kommune360."


def _app_of(module):
    """The project app a module belongs to, or ``None`` for Django, Wagtail, ..."""
    owners = [config for config in apps.get_app_configs() if module.startswith(config.name + ".")]
    config = max(owners, key=lambda c: len(c.name), default=None)
    return config if config and config.name.startswith(OWN) else None


def _loaded_libraries(text):
    for match in LOAD.finditer(text):
        names = match.group(1).split()
        if "from" in names:  # {% load tag1 tag2 from library %}
            names = names[names.index("from") + 1 :]
        yield from names


def test_no_template_loads_another_apps_tag_library():
    owner = {name: _app_of(module) for name, module in get_installed_libraries().items()}
    core = apps.get_app_config("core")
    crossings = []
    checked = 0
    for config in apps.get_app_configs():
        folder = Path(config.path) / "templates"
        if not config.name.startswith(OWN) or not folder.is_dir():
            continue
        for template in folder.rglob("*"):
            if not template.is_file():
                continue
            checked += 1
            for library in _loaded_libraries(template.read_text(encoding="utf-8")):
                app = owner.get(library)
                if app is not None and app not in (config, core):
                    crossings.append(f"{template.relative_to(folder)}: {{% load {library} %}}")
    assert checked > 100
    assert crossings == []


def test_the_scan_maps_libraries_to_their_apps():
    owner = {name: _app_of(module) for name, module in get_installed_libraries().items()}
    assert owner["core"].label == "core"
    assert owner["i18n"] is None
    assert list(_loaded_libraries("{% load i18n core %}{% load page_extras from core %}")) == [
        "i18n",
        "core",
        "core",
    ]


def _detail_objects(model, extra, limit=3):
    """Up to ``limit`` objects of ``model`` that ``extra`` applies to."""
    if issubclass(model, Page):  # the live ones, as their own class
        objects = model.objects.live().specific().order_by("pk")
    else:
        objects = model._default_manager.order_by("pk")
    return [obj for obj in objects if extra.applies is None or extra.applies(obj)][:limit]


def _url(obj):
    return obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else obj.url


@pytest.mark.django_db
def test_every_extra_renders_on_every_detail_page_it_declares():
    call_command("load_demo")
    extras = registry.page_extras()
    assert {extra.key for extra in extras} >= {"contributions", "training_request"}
    client = Client()
    missing = []
    for extra in extras:
        for model in extra.models():
            shown = 0
            for obj in _detail_objects(model, extra):
                response = client.get(_url(obj))
                if response.status_code == 404:  # not public
                    continue
                assert response.status_code == 200, _url(obj)
                if extra.template in {t.name for t in response.templates}:
                    shown += 1
                else:
                    missing.append(f"{extra.key} on {_url(obj)}")
            if not shown:
                missing.append(f"{extra.key}: no public {model.__name__} of the demo shows it")
    assert missing == []
