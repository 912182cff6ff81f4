"""Answers of the read API: JSON with ``ETag`` and ``Last-Modified``, 304 when unchanged.

The ETag is a hash of the body (weak: the same JSON in another byte order would be
equal for a client), so it changes with every change a client could see, including
the facet counts and a translated label. ``Last-Modified`` is the latest change of the
objects in the answer, when their resource names a field for it. ``If-None-Match``
wins over ``If-Modified-Since`` (RFC 9110); Django's ``get_conditional_response``
does the comparison.
"""

import hashlib
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date

MAX_AGE = 60


def json_response(request, data, *, modified=None, status=200, headers=None):
    body = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":"))
    body = body.encode()
    etag = f'W/"{hashlib.blake2b(body, digest_size=16).hexdigest()}"'
    last_modified = int(modified.timestamp()) if modified else None
    if status == 200 and request.method in ("GET", "HEAD"):
        unchanged = get_conditional_response(request, etag=etag, last_modified=last_modified)
        if unchanged is not None:
            return _headers(unchanged, etag, last_modified, headers)
    response = HttpResponse(body, status=status, content_type="application/json")
    return _headers(response, etag, last_modified, headers)


def _headers(response, etag, last_modified, headers):
    response["ETag"] = etag
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified)
    response["Cache-Control"] = f"public, max-age={MAX_AGE}"
    for name, value in (headers or {}).items():
        response[name] = value
    return response
