"""*Meine Daten* speaks German: a person who used every app downloads their data, and no
value in it is a choice as the database keeps it ("confirmed", "waitlisted") instead
of the label people read ("bestätigt", "Warteliste")."""

import json

import pytest
from django.apps import apps

from kommune360.core.personal_data import export_person
from kommune360.core.registry import registry

from .test_erasure import EMAIL, NAME, fill_for, person  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def raw_choice_values():
    """Every stored value of every model field with choices, in every installed app,
    that differs from its label: {value: "app.Model.field"}."""
    raw = {}
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.get_fields():
            if not getattr(field, "choices", None):
                continue
            for value, label in field.flatchoices:
                if isinstance(value, str) and value and value != str(label):
                    raw.setdefault(value, f"{model._meta.label}.{field.name}")
    return raw


def leaves(data, path=""):
    if isinstance(data, dict):
        for key, value in data.items():
            yield from leaves(value, f"{path}.{key}")
    elif isinstance(data, list | tuple):
        for index, value in enumerate(data):
            yield from leaves(value, f"{path}[{index}]")
    else:
        yield path, data


def test_the_scan_knows_the_raw_values():
    raw = raw_choice_values()
    assert raw["confirmed"] and raw["waitlisted"] and raw["cooperation"]
    found = [p for p, v in leaves({"a": [{"status": "waitlisted"}]}) if v in raw]
    assert found == [".a[0].status"]


def test_the_export_shows_every_choice_by_its_label(client, person):  # noqa: F811
    for entry in registry.personal_data():
        fill_for(entry)(person, client, NAME, EMAIL)
    raw = raw_choice_values()

    data = json.loads(json.dumps(export_person(person), default=str))

    values = list(leaves(data))
    assert len(values) > 100  # every app filled its part
    shown = [(path, value, raw[value]) for path, value in values if value in raw]
    assert shown == []
    # and the labels are there
    texts = {value for _path, value in values}
    assert {"bestätigt", "aufgenommen", "Kommentar", "aktiv", "eingereicht"} <= texts
