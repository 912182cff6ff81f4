"""What people read for a stored choice: its label, never the value kept in the database.

Pages and exports (the personal data at *Mein Konto → Meine Daten*) show a choice with
``get_<field>_display``; texts that name several choices take them from the choices
(``counted`` for counts by status on the team's screens), so a kind or a status has
one name wherever it appears. ``tests/core/test_choice_labels.py`` holds every app to it.
"""

from __future__ import annotations

from django.db import models


def counted(choices: type[models.Choices], numbers: dict) -> list[tuple[str, int]]:
    """(label, number) for every choice, in the order of the choices; ``numbers`` maps
    stored values to their number (missing values count 0)."""
    return [(str(label), numbers.get(value, 0)) for value, label in choices.choices]


def labelled(model: type[models.Model] | None, details):
    """``details`` (what an audit entry recorded about an object of ``model``) with every
    value of a choice given as its label: a key names a choice field of ``model`` or of
    another model of its app (``{"kind": "cooperation"}`` on a contribution becomes
    ``{"kind": "Kooperationsinteresse"}``, ``{"reason": "off_topic"}`` the label of a
    report's reason), lists of values too (``{"state": ["new", "done"]}``)."""
    if model is None or not isinstance(details, dict):
        return details
    labels = _labels_by_name(model)
    return {key: _label(value, labels.get(key, {})) for key, value in details.items()}


def _labels_by_name(model) -> dict[str, dict]:
    """{field name: {value: label}} of the choice fields of ``model`` and, for names it
    lacks, of the other models of its app."""
    labels = {}
    others = [m for m in model._meta.app_config.get_models() if m is not model]
    for each in (model, *others):
        for field in each._meta.get_fields():
            if getattr(field, "choices", None) and field.name not in labels:
                labels[field.name] = dict(field.flatchoices)
    return labels


def _label(value, labels):
    if isinstance(value, list):
        return [_label(v, labels) for v in value]
    if isinstance(value, str) and value in labels:
        return str(labels[value])
    return value
