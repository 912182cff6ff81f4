"""Same concept, same word: a kind or a status is called by its label (the model's
choices) wherever a text names it, in every app.

A text typed by hand that lists several choices drifts: Mitdenken's form said
"Kommentar, Widerspruch, Kooperation, Gesprächsanfrage" while the choices say
"Kooperationsinteresse" and "Diskursanfrage", and the team's participant list counted
"mit Platzangebot" what the status calls "Platz angeboten". So every translatable text
(templates, Python) that names three or more choices of one field must name each of
them by its label (any inflection: "Kommentare", "Widersprüche"); better still, it takes
them from the choices (``participation.models.kind_names``, ``core.choices.counted``).
"""

import re
from pathlib import Path

import pytest
from django.apps import apps

import kommune360
from kommune360.participation.models import Kind
from tests.factories.participation import CallFactory

SOURCES = Path(kommune360.__file__).parent
# A word's stem for comparing it with a label: its first letters, without spaces or
# punctuation ("Platz angeboten" and "Platzangebot" share "platzan").
STEM = 7
WORD = re.compile(r"[^\W\d_][\w-]*")
TEXT = re.compile(
    r'\{%\s*translate\s+"([^"]+)"'
    r"|\{%\s*blocktranslate[^%]*%\}(.*?)\{%\s*endblocktranslate"
    r'|(?<![\w.])(?:_|gettext|gettext_lazy|ngettext|pgettext)\(\s*((?:"[^"]*"\s*)+)',
    re.S,
)


def stem(text):
    return re.sub(r"[\W_]", "", text).lower()[:STEM]


def inflections(label):
    """The label's first word as a German noun or adjective may be inflected."""
    first = WORD.findall(label)[0].lower()
    umlaut = re.sub(
        r"([aou])([^aouäöü]*)$", lambda m: "äöü"["aou".index(m.group(1))] + m.group(2), first
    )
    endings = ("", "e", "n", "en", "s", "es", "er", "em", "ern")
    return {first + e for e in endings} | {umlaut + e for e in ("e", "en", "er", "ern")}


def choice_fields():
    """{labels of one field's choices: "app.Model.field"} for the platform's models."""
    fields = {}
    for model in apps.get_models():
        if model.__module__.startswith("kommune360."):
            for field in model._meta.concrete_fields:
                if field.choices:
                    labels = tuple(str(label) for _value, label in field.flatchoices)
                    fields.setdefault(labels, f"{model._meta.label}.{field.name}")
    return fields


def texts():
    files = [*SOURCES.rglob("*.html"), *SOURCES.rglob("*.txt")]
    files += [p for p in SOURCES.rglob("*.py") if "migrations" not in p.parts]
    for path in files:
        for match in TEXT.finditer(path.read_text()):
            text = next(group for group in match.groups() if group)
            if text.startswith('"'):
                text = "".join(re.findall(r'"([^"]*)"', text))
            yield str(path.relative_to(SOURCES)), text


def misnamed(text, labels):
    """Words of ``text`` that name one of ``labels`` by another word, if the text names
    at least three of them; else []."""
    words = WORD.findall(text)
    named = {}
    for label in labels:
        key = stem(label)
        if len(key) < STEM:
            continue
        for word in words:
            # "Netzwerk- und Fellow-Treffen": a word cut short by a hyphen.
            if stem(word) == key or (word.endswith("-") and key.startswith(stem(word))):
                named.setdefault(label, []).append(word)
    if len(named) < 3:
        return []
    return [
        (word, label)
        for label, found in named.items()
        if label[0].isupper()  # nouns; adjectives and participles vary too much
        for word in found
        if not word.endswith("-") and word.lower() not in inflections(label)
    ]


def test_the_check_finds_a_kind_named_otherwise():
    labels = tuple(str(label) for label in Kind.labels)
    old = "Zu diesem Abschnitt beitragen (Kommentar, Widerspruch, Kooperation, Gesprächsanfrage)"
    assert misnamed(old, labels) == [("Kooperation", "Kooperationsinteresse")]
    inflected = "Kommentare und Widersprüche erscheinen, Kooperationsinteressen gehen ans Team"
    assert misnamed(inflected, labels) == []


def test_texts_that_name_choices_call_them_by_their_labels():
    fields = choice_fields()
    assert len(fields) > 20
    wrong = [
        f"{path}: {word!r} for {label!r} ({field}) in {text[:80]!r}"
        for path, text in texts()
        for labels, field in fields.items()
        for word, label in misnamed(text, labels)
    ]
    assert wrong == []


@pytest.mark.django_db
def test_mitdenken_names_every_kind_by_its_label(client, home_page):
    without_call = client.get("/mitdenken/").content.decode()  # the introduction
    call = CallFactory()
    with_call = client.get(call.get_absolute_url()).content.decode()  # hint and choices
    for label in Kind.labels:
        assert str(label) in without_call, label
        assert with_call.count(str(label)) >= 2, label
    for html in (without_call, with_call):
        assert "Gesprächsanfrage" not in html and "Kooperation " not in html
