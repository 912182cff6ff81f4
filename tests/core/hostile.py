"""Objects of every model with a test factory, with hostile values in their text fields."""

import importlib
import inspect
import pkgutil
import uuid

from django.db import models
from factory.django import DjangoModelFactory

import tests.factories

PAGE_FIELDS = ("title", "seo_title", "search_description")


def factories():
    """The plainest factory of each model (not a variant such as ``OnlineEventFactory``)."""
    found = {}
    for info in pkgutil.iter_modules(tests.factories.__path__):
        module = importlib.import_module(f"tests.factories.{info.name}")
        for _, obj in inspect.getmembers(module, inspect.isclass):
            if issubclass(obj, DjangoModelFactory) and not obj._meta.abstract:
                model = obj._meta.model
                if model not in found or issubclass(found[model], obj):
                    found[model] = obj
    return found


def is_project_model(model):
    return model.__module__.startswith("kommune360.")


def text_fields(model, min_length=0):
    """Free-text fields a person types (not slugs, addresses, choices or tree paths)."""
    for field in model._meta.concrete_fields:
        if not isinstance(field, models.CharField | models.TextField) or field.choices:
            continue
        if isinstance(field, models.SlugField | models.EmailField | models.URLField):
            continue
        if not is_project_model(field.model) and field.name not in PAGE_FIELDS:
            continue
        if field.primary_key or not field.editable:
            continue
        if field.max_length and field.max_length < min_length:
            continue
        yield field


def _unique(model, field):
    together = [f for group in model._meta.unique_together for f in group]
    constrained = [f for c in model._meta.constraints for f in getattr(c, "fields", ())]
    return field.unique or field.name in together or field.name in constrained


def values(model, value):
    """``{field name: value}`` for every text field of ``model`` long enough for it (a
    unique field gets a suffix after the value)."""
    return {
        field.name: f"{value} {uuid.uuid4().hex[:6]}" if _unique(model, field) else value
        for field in text_fields(model, len(value) + 7)
    }


def make_related_hostile(instance, value):
    """Put ``value`` into the text fields of the project objects ``instance`` points to."""
    for field in instance._meta.concrete_fields:
        if field.is_relation and is_project_model(field.related_model):
            target = getattr(instance, field.name, None)
            fields = values(field.related_model, value)
            if target is not None and fields:
                field.related_model.objects.filter(pk=target.pk).update(**fields)
