"""What every answer under ``/api/v1/`` shares: CORS for reading, and the per-client limit.

- CORS: any site may read the API from a browser (``Access-Control-Allow-Origin: *``;
  no cookies are ever used for reading). A preflight (``OPTIONS``) is answered here
  with the methods and headers a reading client needs; writing (with a provider's
  token) is meant for servers and gets no CORS permission.
- Language: what ``Accept-Language`` asks for (titles of errors, labels of facets).
- ``HEAD`` (every read route takes it) answers with the headers of ``GET`` and no body.
- Rate limit: every client (its address as ``core.visitor`` finds it) may send
  ``READS`` requests a minute, and ``WRITES`` writes an hour; beyond that the answer
  is 429 with ``Retry-After`` (seconds until the window ends), as problem+json.
  Reads are counted in leases (``core.ratelimit``: one shared write in up to 20
  requests; the limit is never exceeded, a client spread over several processes may be
  refused a few requests early).
"""

from django.utils import translation
from django.utils.cache import patch_vary_headers

from kommune360.core import ratelimit

from .problems import problem

PREFIX = "/api/v1/"
READS = ratelimit.Limit("api:read", 600, 60, lease=True)
WRITES = ratelimit.Limit("api:write", 300, ratelimit.HOUR)
READING = ("GET", "HEAD", "OPTIONS")
EXPOSED = "ETag, Last-Modified, Link, Retry-After, Content-Language"
ALLOWED_HEADERS = "Accept, Accept-Language, If-None-Match, If-Modified-Since"


class ApiMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith(PREFIX):
            return self.get_response(request)
        # The site takes the language from the path (German without a prefix); the API
        # has one path for both and follows Accept-Language.
        language = translation.get_language_from_request(request, check_path=False)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        reading = request.method in READING
        limit = READS if reading else WRITES
        if limit.exceeded(request):
            response = problem(
                "zu-viele-anfragen",
                headers={"Retry-After": str(ratelimit.seconds_left(limit.period))},
            )
        elif request.method == "OPTIONS":
            response = _preflight()
        else:
            response = self.get_response(request)
            response = _as_problem(response)
        if reading:
            response["Access-Control-Allow-Origin"] = "*"
            response["Access-Control-Expose-Headers"] = EXPOSED
        patch_vary_headers(response, ["Accept-Language"])
        if request.method == "HEAD":
            _without_body(response)
        return response


def _without_body(response):
    """HEAD: the headers of GET (``ETag``, ``Last-Modified``, the length), no body."""
    if not response.streaming and response.status_code != 304:
        response["Content-Length"] = str(len(response.content))
        response.content = b""


BY_STATUS = {400: "ungueltige-anfrage", 404: "nicht-gefunden", 405: "methode-nicht-erlaubt"}


def _as_problem(response):
    """Django's own 400, 404 and 405 (a NUL in the query, no such route, a method the
    route lacks) as problem+json like every other error of the API."""
    kind = BY_STATUS.get(response.status_code)
    if kind and not response.get("Content-Type", "").startswith("application/"):
        allow = {"Allow": response["Allow"]} if response.has_header("Allow") else None
        return problem(kind, headers=allow)
    return response


def _preflight():
    from django.http import HttpResponse

    response = HttpResponse(status=204)
    response["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
    response["Access-Control-Allow-Headers"] = ALLOWED_HEADERS
    response["Access-Control-Max-Age"] = "86400"
    return response
