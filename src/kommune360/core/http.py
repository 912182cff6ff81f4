"""Bad input in a request is answered with 400 or 404, never with 500 — once, for every app.

- ``RejectNulMiddleware``: a NUL character in the path, the query string, a form
  field or a string of a JSON body (the API's writes) answers 400 (PostgreSQL can
  neither store nor compare NUL, psycopg raises).
- ``IdConverter`` (``<id:pk>`` in every URL pattern, registered by ``CoreConfig``):
  at most 18 digits, so a number beyond 64 bits never reaches the database (SQLite
  raises OverflowError) and the URL simply does not match: 404.
- ``content_disposition()``: the one way to name a file in a response; characters that
  would break the header (line breaks, other control characters) are dropped and
  non-ASCII names are encoded (RFC 6266).
- ``IntegerFieldIn``: an ``in`` lookup on an integer column skips values beyond its
  range (a checkbox value with 30 digits), as Django's ``exact`` lookup already does.
- ``parse_byte_range()``: a ``Range`` header with thousands of digits is no error
  (Python refuses to convert more than 4300 digits), it is simply beyond the file.
"""

import json
import re
import unicodedata

from django.core.exceptions import EmptyResultSet
from django.db.models import IntegerField
from django.db.models.lookups import In
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

MAX_ID_DIGITS = 18  # 10**18 - 1 < 2**63 - 1, the largest value of a 64-bit column


class IdConverter:
    regex = f"[0-9]{{1,{MAX_ID_DIGITS}}}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(value)


def _has_nul(querydict):
    return any(
        "\x00" in key or any("\x00" in value for value in values)
        for key, values in querydict.lists()
    )


def _json_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_json_nul(k) or _json_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_json_nul(item) for item in value)
    return False


class RejectNulMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            "\x00" in request.path_info
            or _has_nul(request.GET)
            or self._form_has_nul(request)
            or self._json_has_nul(request)
        ):
            return render(
                request,
                "400.html",
                {"message": _("Die Anfrage enthält ein unzulässiges Steuerzeichen (NUL).")},
                status=400,
            )
        return self.get_response(request)

    @staticmethod
    def _form_has_nul(request):
        if request.method != "POST" or request.content_type not in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            return False
        return _has_nul(request.POST)

    @staticmethod
    def _json_has_nul(request):
        """A NUL in a string of a JSON body (the API's writes), escaped as ``\\u0000``."""
        if request.method not in ("POST", "PUT", "PATCH") or not (
            request.content_type == "application/json" or request.content_type.endswith("+json")
        ):
            return False
        if b"\\u0000" not in request.body:
            return False
        try:
            data = json.loads(request.body)
        except ValueError:
            return False  # the view answers what is no JSON
        return _json_nul(data)


def content_disposition(filename, *, attachment=True):
    """The value of a Content-Disposition header for ``filename``, whatever it contains."""
    safe = "".join(
        char for char in str(filename) if not unicodedata.category(char).startswith("C")
    ).strip()
    return content_disposition_header(attachment, safe or "download")


_RANGE_RE = re.compile(r"^bytes=([0-9]*)-([0-9]*)$")


def _bounded_int(digits):
    # More digits than any file size has: the value is beyond every file anyway.
    return int(digits) if len(digits) <= MAX_ID_DIGITS else 10**MAX_ID_DIGITS


def parse_byte_range(header, size):
    """(start, end) of a single byte range, None for no range, or "invalid" (416)."""
    if not header:
        return None
    match = _RANGE_RE.match(header.strip())
    if not match:
        # Several ranges or another unit: answer with the whole file (RFC 9110 allows it).
        return None
    first, last = match.groups()
    if first == "" and last == "":
        return "invalid"
    if first == "":
        length = _bounded_int(last)
        if length == 0:
            return "invalid"
        return max(0, size - length), size - 1
    start = _bounded_int(first)
    end = min(_bounded_int(last), size - 1) if last else size - 1
    if start >= size or end < start:
        return "invalid"
    return start, end


@IntegerField.register_lookup
class IntegerFieldIn(In):
    """``in`` on an integer column ignores values beyond the column's range, as Django's
    own ``exact`` lookup does, instead of an ``OverflowError`` on SQLite (or a
    ``DataError`` on PostgreSQL): a form's checkbox value "99999999999999999999999" for
    a topic or method then matches nothing and the form says the choice is invalid."""

    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            field_type = self.lhs.output_field.get_internal_type()
            low, high = connection.ops.integer_field_range(field_type)
            values = [
                value
                for value in self.rhs
                if not isinstance(value, int)
                or (low is None or value >= low)
                and (high is None or value <= high)
            ]
            if not values:
                raise EmptyResultSet
            self.rhs = values
        return super().process_rhs(compiler, connection)
