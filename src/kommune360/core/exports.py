"""CSV and XLSX files for every export of the platform.

Spreadsheet programs run a cell whose text starts with ``=``, ``+``, ``-`` or ``@`` (and,
in some of them, a tab or carriage return) as a formula: a provider's title
``=HYPERLINK("https://evil.example", "Details")`` would become a live link in an
editor's spreadsheet. Every text cell goes through ``cell()``, which puts an apostrophe
in front of such text; numbers, dates and empty cells stay typed. XLSX text cells are
written as strings, so openpyxl never creates a formula.

Wagtail's own list exports (``list_export`` on a viewset) get the same treatment through
``NeutralisedExportMixin``.
"""

import csv
import datetime
import io
from decimal import Decimal

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from wagtail.snippets.views import snippets

from .http import content_disposition

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_TYPED = (int, float, Decimal, datetime.date, datetime.time)


def cell(value):
    """A value ready for a spreadsheet: text neutralised, numbers and dates kept."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nein"
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        return timezone.localtime(value).replace(tzinfo=None)  # XLSX knows no zones
    if isinstance(value, _TYPED):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def _attachment(response, filename):
    response["Content-Disposition"] = content_disposition(filename)
    return response


class _Echo:
    def write(self, value):
        return value


def csv_lines(rows, delimiter=";"):
    """The lines of a CSV file (with a byte-order mark for Excel) for ``rows``."""
    writer = csv.writer(_Echo(), delimiter=delimiter)
    yield "\ufeff"
    for row in rows:
        yield writer.writerow([cell(value) for value in row])


def csv_text(rows, delimiter=";") -> str:
    return "".join(csv_lines(rows, delimiter))


def csv_response(rows, filename, *, streaming=False):
    """A CSV download of ``rows`` (the first row is the header)."""
    if streaming:
        return _attachment(StreamingHttpResponse(csv_lines(rows), content_type=CSV_TYPE), filename)
    return _attachment(HttpResponse(csv_text(rows), content_type=CSV_TYPE), filename)


def xlsx_bytes(rows, sheet_title="Tabelle") -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(str(sheet_title)[:31])
    for row in rows:
        cells = []
        for value in row:
            item = WriteOnlyCell(sheet, cell(value))
            if isinstance(item.value, str):
                item.data_type = "s"  # text, never a formula
            cells.append(item)
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(rows, filename, sheet_title="Tabelle"):
    """An XLSX download of ``rows`` (the first row is the header)."""
    return _attachment(
        HttpResponse(xlsx_bytes(rows, sheet_title), content_type=XLSX_TYPE), filename
    )


def response(fmt, rows, filename_stem, sheet_title="Tabelle", *, streaming=False):
    """``csv`` or ``xlsx`` download; ``None`` for any other format."""
    if fmt == "csv":
        return csv_response(rows, f"{filename_stem}.csv", streaming=streaming)
    if fmt == "xlsx":
        return xlsx_response(rows, f"{filename_stem}.xlsx", sheet_title)
    return None


class NeutralisedExportMixin:
    """For the index view of a Wagtail viewset with ``list_export``: text cells of its
    CSV and XLSX downloads go through ``cell()``."""

    def preprocess_field_value(self, field, value, export_format):
        value = super().preprocess_field_value(field, value, export_format)
        if value is None or isinstance(value, (bool, *_TYPED)):
            return value
        return cell(value)


class SnippetIndexView(NeutralisedExportMixin, snippets.IndexView):
    """``index_view_class`` of every ``SnippetViewSet`` with ``list_export``."""
