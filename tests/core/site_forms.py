"""Every form class of the site, for tests that hold all forms to one rule.

Found, not listed: every form class defined in a module of the kommune360 package
(apps' ``forms``, views and admin views alike) and the allauth forms the settings name
(``ACCOUNT_FORMS``, ``MFA_FORMS``). Wagtail's editing forms belong to Wagtail.
"""

import importlib
import pkgutil

from django import forms
from django.conf import settings
from django.utils.module_loading import import_string

import kommune360

# Modules that define no forms and must not be imported twice or outside a command.
SKIPPED_MODULES = ("migrations", "management", "manage", "wsgi", "settings")


def _import_package():
    for module in pkgutil.walk_packages(kommune360.__path__, "kommune360."):
        if not any(part in SKIPPED_MODULES for part in module.name.split(".")):
            importlib.import_module(module.name)


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def site_forms():
    """Form classes of the site, sorted by dotted name."""
    _import_package()
    found = {cls for cls in _subclasses(forms.BaseForm) if cls.__module__.startswith("kommune360.")}
    for path in [*settings.ACCOUNT_FORMS.values(), *getattr(settings, "MFA_FORMS", {}).values()]:
        found.add(import_string(path))
    return sorted(found, key=dotted_name)


def dotted_name(cls):
    return f"{cls.__module__}.{cls.__qualname__}"
