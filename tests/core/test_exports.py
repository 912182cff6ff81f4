"""Every CSV/XLSX export neutralises formulas (CSV injection).

The exports are discovered from the URL patterns: every pattern named ``*export*`` and
every Wagtail list view of a project model with ``list_export``. The test fills every
model that has a factory with formula values, downloads each export in each format and
opens it: no cell may start with a formula character, no XLSX cell may be a formula.
"""

import csv
import datetime
import io
import re
from decimal import Decimal
from pathlib import Path

from django.urls import URLPattern, URLResolver, get_resolver, reverse
from openpyxl import load_workbook
from wagtail.admin.views.mixins import SpreadsheetExportMixin
from wagtail.models import Page

from kommune360.core import exports
from tests.core import hostile
from tests.factories.accounts import UserFactory

FORMULA = '=HYPERLINK("https://evil.example";"Details")'
SRC = Path(__file__).resolve().parents[2] / "src" / "kommune360"


def _patterns(patterns=None, namespace=""):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(x for x in (namespace, pattern.namespace) if x)
            yield from _patterns(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), pattern


def _project_list_exports():
    """Wagtail list views of project models that offer a spreadsheet download."""
    for name, pattern in _patterns():
        view_class = getattr(pattern.callback, "view_class", None)
        if not (view_class and issubclass(view_class, SpreadsheetExportMixin)):
            continue
        initkwargs = getattr(pattern.callback, "view_initkwargs", {})
        model = initkwargs.get("model") or getattr(view_class, "model", None)
        list_export = initkwargs.get("list_export") or view_class.list_export
        results = name.endswith("_results")  # the same list, refreshed by the filters
        if model and hostile.is_project_model(model) and list_export and not results:
            yield name, view_class


def _export_urls(objects):
    """(url, format) for every export URL pattern, its arguments taken from ``objects``."""
    for name, pattern in _patterns():
        if "export" not in name.split(":")[-1]:
            continue
        converters = pattern.pattern.converters
        if "fmt" in converters:
            formats = ["csv", "xlsx"]
        else:
            formats = [str(pattern.pattern).rsplit(".", 1)[-1]]
        for fmt in formats:
            kwargs = {"fmt": fmt} if "fmt" in converters else {}
            for key in converters:
                if key.endswith("_id"):
                    kwargs[key] = objects[key[: -len("_id")]].pk
            yield reverse(name, kwargs=kwargs), fmt
    for name, _view in _project_list_exports():
        for fmt in ("csv", "xlsx"):
            yield f"{reverse(name)}?export={fmt}", fmt


def _cells(content, fmt):
    if fmt == "xlsx":
        workbook = load_workbook(io.BytesIO(content))
        for sheet in workbook.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", cell.value
                    yield cell.value
        return
    text = content.decode("utf-8-sig")
    delimiter = ";" if text.split("\n", 1)[0].count(";") else ","
    for row in csv.reader(io.StringIO(text), delimiter=delimiter):
        yield from row


def test_a_cell_is_neutralised_and_numbers_stay_typed():
    for start in ("=", "+", "-", "@", "\t", "\r"):
        assert exports.cell(start + "1+1") == "'" + start + "1+1"
    assert exports.cell("Beispiel") == "Beispiel"
    assert exports.cell(-3) == -3
    assert exports.cell(Decimal("1.5")) == Decimal("1.5")
    assert exports.cell(datetime.date(2026, 1, 2)) == datetime.date(2026, 1, 2)
    assert exports.cell(None) == ""
    assert exports.cell(True) == "ja"
    workbook = load_workbook(io.BytesIO(exports.xlsx_bytes([[FORMULA, 7, "@SUMME(A1)"]])))
    row = next(workbook.active.iter_rows())
    assert [c.data_type for c in row] == ["s", "n", "s"]
    assert row[0].value == "'" + FORMULA


def test_no_app_writes_spreadsheets_itself():
    offenders = []
    for path in SRC.rglob("*.py"):
        if path.name == "exports.py" and path.parent.name == "core":
            continue
        text = path.read_text()
        if re.search(r"csv\.(writer|DictWriter)|Workbook\(|WriteOnlyCell", text):
            offenders.append(str(path.relative_to(SRC)))
    assert offenders == []


def test_every_list_export_of_a_project_model_neutralises_cells():
    views = list(_project_list_exports())
    assert views
    for name, view_class in views:
        assert issubclass(view_class, exports.NeutralisedExportMixin), name


def test_every_export_neutralises_hostile_values(client, home_page):
    objects, by_model = {}, {}
    for model, factory in hostile.factories().items():
        if not getattr(model, "_meta", None) or model._meta.abstract:
            continue
        if model._meta.app_label in ("wagtailcore", "wagtailimages", "wagtaildocs"):
            continue
        if issubclass(model, Page):
            continue  # pages export nothing
        # Attach to the objects made before (registrations to the one event, ...).
        # (By the model itself: two apps may name a model alike, e.g. "Question".)
        related = {
            field.name: by_model[field.related_model]
            for field in model._meta.concrete_fields
            if field.many_to_one and field.related_model in by_model
        }
        instance = factory(**hostile.values(model, FORMULA), **related)
        hostile.make_related_hostile(instance, FORMULA)
        by_model[model] = instance
        objects.setdefault(model._meta.model_name, instance)
    client.force_login(UserFactory(is_superuser=True, is_staff=True))

    checked = []
    for url, fmt in _export_urls(objects):
        response = client.get(url)
        assert response.status_code == 200, url
        content = b"".join(response.streaming_content) if response.streaming else response.content
        cells = [str(c) for c in _cells(content, fmt) if c is not None]
        assert any("evil.example" in c for c in cells), (url, "no hostile value exported")
        for value in cells:
            assert not value.startswith(exports.FORMULA_START), (url, value)
        checked.append(url)
    assert {re.sub(r"[?.].*", "", url) for url in checked} >= {"/angebote/export"}
    assert len(checked) >= 7, checked
