"""Dates by language: formats are named, never typed (core.dates, kommune360/formats).

A typed format ("j. F Y", ``strftime("%d.%m.%Y")``) shows German dates on English pages
or English month names in German ones; these tests find any that comes back, in every
template and every module of the platform.
"""

import ast
import datetime
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.utils import formats, translation

import kommune360
from kommune360.core import dates

SOURCE = Path(kommune360.__file__).parent
# Formats for machines, not readers: ISO 8601 ("c"), RFC 5322 for feeds ("r"), Unix time.
MACHINE_TEMPLATE_FORMATS = {"c", "r", "U"}
# strftime formats for machines: year first, digits only (file names, ISO dates, logs).
MACHINE_STRFTIME = re.compile(r"^%Y(?:[-_:T ]?%[mdHMS])*$")
FILTER = re.compile(r"\|\s*(date|time|local_date)\s*:\s*([\"'])(.*?)\2")
NOW_TAG = re.compile(r"\{%\s*now\s+([\"'])(.*?)\1")
BERLIN = ZoneInfo("Europe/Berlin")


def templates():
    return sorted(p for p in SOURCE.rglob("templates/**/*") if p.is_file())


def modules():
    return sorted(p for p in SOURCE.rglob("*.py") if "migrations" not in p.parts)


def test_templates_name_their_date_formats():
    typed = []
    for path in templates():
        text = path.read_text(errors="ignore")
        for match in FILTER.finditer(text):
            name, value = match.group(1), match.group(3)
            if value in MACHINE_TEMPLATE_FORMATS and name != "local_date":
                continue
            # Django's filters know only Django's names; ours knows ours as well.
            known = dates.DISPLAY_FORMATS if name == "local_date" else formats.FORMAT_SETTINGS
            if value not in known:
                typed.append(f"{path.relative_to(SOURCE)}: |{name}:{value!r}")
        for match in NOW_TAG.finditer(text):
            if match.group(2) not in formats.FORMAT_SETTINGS | MACHINE_TEMPLATE_FORMATS:
                typed.append(f"{path.relative_to(SOURCE)}: {{% now {match.group(2)!r} %}}")
    assert typed == []


def _typed_formats(tree):
    """(line, text) of every date format typed into a module."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = getattr(node.func, "attr", getattr(node.func, "id", ""))
            args = node.args[1:] if name != "strftime" else node.args[:1]
            if name not in {"date_format", "time_format", "local_date", "strftime", "format"}:
                continue
            if name == "format" and getattr(node.func.value, "id", "") != "dateformat":
                continue
            for arg in args[:1]:
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    yield node.lineno, name, arg.value
        elif isinstance(node, ast.FormattedValue) and node.format_spec is not None:
            spec = "".join(
                part.value
                for part in node.format_spec.values
                if isinstance(part, ast.Constant) and isinstance(part.value, str)
            )
            if "%" in spec:
                yield node.lineno, "f-string", spec


def test_code_names_its_date_formats():
    typed = []
    for path in modules():
        for line, kind, value in _typed_formats(ast.parse(path.read_text())):
            if kind in {"strftime", "f-string"} and MACHINE_STRFTIME.match(value):
                continue
            if kind == "local_date" and value in dates.DISPLAY_FORMATS:
                continue
            if kind in {"date_format", "time_format"} and value in formats.FORMAT_SETTINGS:
                continue
            typed.append(f"{path.relative_to(SOURCE)}:{line}: {kind} {value!r}")
    assert typed == []


def test_the_scan_finds_what_it_is_for():
    found = list(
        _typed_formats(
            ast.parse(
                "date_format(d, 'j. F Y')\nlocal_date(d, 'LONG_DATE_FORMAT')\n"
                "d.strftime('%d.%m.%Y')\nf'{d:%d.%m.%Y}'\nf'{d:%Y-%m-%d}'\n"
            )
        )
    )
    assert [(kind, value) for _line, kind, value in found] == [
        ("date_format", "j. F Y"),
        ("local_date", "LONG_DATE_FORMAT"),
        ("strftime", "%d.%m.%Y"),
        ("f-string", "%d.%m.%Y"),
        ("f-string", "%Y-%m-%d"),
    ]
    assert not MACHINE_STRFTIME.match("%d.%m.%Y")
    assert MACHINE_STRFTIME.match("%Y%m%d-%H%M%S")
    assert FILTER.search('{{ x|date:"j. F Y" }}').group(3) == "j. F Y"


@pytest.mark.parametrize("language", ["de", "en"])
def test_every_named_format_exists_in_both_languages(language):
    with translation.override(language):
        for name in dates.DISPLAY_FORMATS:
            assert dates.format_string(name)


def test_an_unknown_name_is_an_error():
    with pytest.raises(ValueError):
        dates.local_date(datetime.date(2027, 1, 12), "j. F Y")


TUESDAY = datetime.datetime(2027, 1, 12, 13, 30, tzinfo=datetime.UTC)  # 14:30 in Berlin

EXPECTED = {
    "de": {
        "DATE_FORMAT": "12. Januar 2027",
        "DATETIME_FORMAT": "12. Januar 2027, 14:30",
        "LONG_DATE_FORMAT": "Dienstag, 12. Januar 2027",
        "LONG_DATETIME_FORMAT": "Dienstag, 12. Januar 2027, 14:30",
        "WEEKDAY_DATE_FORMAT": "Di, 12. Januar 2027",
        "WEEKDAY_DATETIME_FORMAT": "Di 12.1. 14:30",
        "SHORT_DATE_FORMAT": "12.01.2027",
        "SHORT_DATETIME_FORMAT": "12.01.2027 14:30",
        "YEAR_MONTH_FORMAT": "Januar 2027",
        "MONTH_DAY_FORMAT": "12. Januar",
        "TIME_FORMAT": "14:30",
    },
    "en": {
        "DATE_FORMAT": "12 January 2027",
        "DATETIME_FORMAT": "12 January 2027, 14:30",
        "LONG_DATE_FORMAT": "Tuesday, 12 January 2027",
        "LONG_DATETIME_FORMAT": "Tuesday, 12 January 2027, 14:30",
        "WEEKDAY_DATE_FORMAT": "Tue, 12 January 2027",
        "WEEKDAY_DATETIME_FORMAT": "Tue 12 Jan, 14:30",
        "SHORT_DATE_FORMAT": "12 Jan 2027",
        "SHORT_DATETIME_FORMAT": "12 Jan 2027, 14:30",
        "YEAR_MONTH_FORMAT": "January 2027",
        "MONTH_DAY_FORMAT": "12 January",
        "TIME_FORMAT": "14:30",
    },
}


@pytest.mark.parametrize("language", ["de", "en"])
def test_a_date_reads_as_the_language_writes_it(language, settings):
    assert set(EXPECTED[language]) == set(dates.DISPLAY_FORMATS)
    with translation.override(language):
        for name, expected in EXPECTED[language].items():
            assert dates.local_date(TUESDAY, name) == expected, name
            rendered = Template(
                '{% load core %}{% timezone "Europe/Berlin" %}{{ when|local_date:name }}'
                "{% endtimezone %}".replace("{% timezone", "{% load tz %}{% timezone")
            ).render(Context({"when": TUESDAY, "name": name}))
            assert rendered == expected, name
        # Django's own filter with Django's names gives the same.
        assert (
            Template('{{ when|date:"DATE_FORMAT" }}').render(Context({"when": TUESDAY.date()}))
            == (EXPECTED[language]["DATE_FORMAT"])
        )


def test_a_date_formatted_before_reads_in_the_language_asked_now():
    # Formatting is remembered per value, format and language: the same moment in turn
    # in both languages, in several zones, and a date and a datetime of the same day.
    moments = [TUESDAY, TUESDAY.astimezone(ZoneInfo("America/New_York")), TUESDAY.date()]
    for _round in range(2):
        for language in ("de", "en", "de"):
            with translation.override(language):
                assert (
                    dates.local_date(moments[0], "LONG_DATETIME_FORMAT")
                    == (EXPECTED[language]["LONG_DATETIME_FORMAT"])
                )
                assert dates.local_date(moments[1], "TIME_FORMAT") == "14:30"
                assert (
                    dates.local_date(moments[2], "DATE_FORMAT")
                    == (EXPECTED[language]["DATE_FORMAT"])
                )


def test_changed_formats_are_not_served_from_memory(settings):
    with translation.override("de"):
        assert dates.local_date(TUESDAY, "DATE_FORMAT") == "12. Januar 2027"
        settings.TIME_ZONE = "UTC"  # a change of settings forgets what was formatted
        assert dates._formatted.cache_info().currsize == 0


def test_same_day_is_the_day_in_berlin():
    late = datetime.datetime(2027, 1, 12, 22, 30, tzinfo=datetime.UTC)  # 23:30 in Berlin
    after_midnight = datetime.datetime(2027, 1, 12, 23, 30, tzinfo=datetime.UTC)  # 00:30
    assert dates.same_day(TUESDAY, late)
    assert not dates.same_day(late, after_midnight)
    assert dates.local_date(None) == ""
