"""Model fields shared by the apps."""

from django.db import models


class URLField(models.URLField):
    """A URL field whose forms take a link typed without scheme as ``https://``.

    Django 6 makes ``https`` the default and warns about the old ``http`` default in
    every form built from a plain ``URLField``. Migrations record the plain Django
    field (``deconstruct``), so switching a model to this field changes no schema.
    """

    def formfield(self, **kwargs):
        return super().formfield(**{"assume_scheme": "https", **kwargs})

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.URLField", args, kwargs
