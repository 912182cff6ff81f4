"""German that reads right everywhere: counted nouns agree with their number."""

import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import translation

import kommune360
from kommune360.core import text

SOURCES = Path(kommune360.__file__).parent

# A message with a count in it goes through ngettext (or {% blocktranslate count %}):
# "1 Beiträge bearbeitet" is what gettext alone gives for one ("%(count)s-mal" reads
# right for any number).
COUNT_IN_GETTEXT = re.compile(
    r"(?<![n\w])(?:_|gettext|gettext_lazy|pgettext)\(\s*\"[^\"]*%\(count\)s(?!-mal)", re.S
)
COUNT_IN_BLOCKTRANSLATE = re.compile(r"\{%\s*blocktranslate\s+with\b[^%]*\bcount=")


def test_counted_messages_use_the_plural_forms():
    offenders = []
    for path in SOURCES.rglob("*.py"):
        if "migrations" not in path.parts:
            offenders += [
                f"{path}: {m.group(0)}" for m in COUNT_IN_GETTEXT.finditer(path.read_text())
            ]
    for path in [*SOURCES.rglob("*.html"), *SOURCES.rglob("*.txt")]:
        offenders += [
            f"{path}: {m.group(0)}" for m in COUNT_IN_BLOCKTRANSLATE.finditer(path.read_text())
        ]
    assert offenders == []


# A number followed by a noun that changes with it ("1 Plätze", "1 Stunden"), in any
# message of any catalogue that is not already a plural message. Nouns alike in both
# numbers, and words that are not counted, pass.
NUMBER_BEFORE_NOUN = re.compile(
    r"%\((?P<name>\w+)\)[sd] (?:[a-zäöüß]+e )?(?P<noun>[A-ZÄÖÜ][a-zäöüß]+)"
)
NOUN_ALIKE_IN_BOTH_NUMBERS = {"Zeichen", "Uhr", "Mitarbeiter", "Teilnehmer"}
# The polite pronouns are capitalised too: "%(organisation)s möchte Ihre Lösung …".
NOT_COUNTED = {"Sie", "Ihr", "Ihre", "Ihren", "Ihrem", "Ihrer", "Ihres", "Ihnen"}


def _messages():
    for catalogue in SOURCES.glob("**/locale/en/LC_MESSAGES/django.po"):
        text = catalogue.read_text()
        for entry in re.split(r"\n\n", text):
            if "msgid_plural" in entry or entry.lstrip().startswith("#~"):
                continue
            found = re.search(r"^msgid ((?:\".*\"\n?)+)", entry, re.M)
            if found:
                yield "".join(re.findall(r"\"(.*)\"", found.group(1)))


def test_numbers_and_their_nouns_agree_in_every_catalogue():
    offenders = [
        message
        for message in _messages()
        for found in NUMBER_BEFORE_NOUN.finditer(message)
        if found["noun"] not in NOUN_ALIKE_IN_BOTH_NUMBERS | NOT_COUNTED
    ]
    assert offenders == []


def test_a_counted_message_catches_the_number_one():
    assert NUMBER_BEFORE_NOUN.search("Alle %(capacity)s Plätze dieser Kohorte sind vergeben.")
    assert NUMBER_BEFORE_NOUN.search("Datenbasis: %(total)s veröffentlichte Angebote")
    assert not NUMBER_BEFORE_NOUN.search("%(name)s pflegt jetzt die Angebote")
    found = NUMBER_BEFORE_NOUN.search("%(organisation)s möchte Ihre Lösung nachnutzen")
    assert found["noun"] in NOT_COUNTED


@pytest.mark.parametrize(
    ("value", "german", "english"),
    [
        (1, "1 Stunde", "1 hour"),
        (Decimal("1.00"), "1 Stunde", "1 hour"),
        (Decimal("1.50"), "1,5 Stunden", "1.5 hours"),
        (Decimal("9.50"), "9,5 Stunden", "9.5 hours"),
        (0.5, "0,5 Stunden", "0.5 hours"),
        (12, "12 Stunden", "12 hours"),
        ("1", "1 Stunde", "1 hour"),
        ("7,5", "7,5 Stunden", "7.5 hours"),
        ("viel", "viel Stunden", "viel hours"),
    ],
)
def test_hours_agree_with_their_number_in_both_languages(value, german, english):
    with translation.override("de"):
        assert text.hours(value) == german
    with translation.override("en"):
        assert text.hours(value) == english
