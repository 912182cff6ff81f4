"""Errors of the API as ``application/problem+json`` (RFC 9457).

Every error the API answers has a ``type`` (a link to its explanation on the reference
page, ``/api/#problem-<kind>``), a ``title`` in the language the client asks for with
``Accept-Language`` (German by default, English when asked), the ``status`` and, where
it helps, a ``detail`` and the ``errors`` per parameter. The titles are fixed per kind,
so a client may show them as they are.
"""

import json

from django.conf import settings
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _

CONTENT_TYPE = "application/problem+json"

# kind → (status, title)
KINDS = {
    "ungueltige-anfrage": (400, _("Die Anfrage enthält ungültige Werte.")),
    "nicht-angemeldet": (401, _("Für diese Anfrage braucht es einen gültigen API-Schlüssel.")),
    "keine-berechtigung": (403, _("Dieser API-Schlüssel darf das nicht.")),
    "nicht-gefunden": (404, _("Das gibt es hier nicht.")),
    "methode-nicht-erlaubt": (405, _("Diese Methode ist hier nicht erlaubt.")),
    "konflikt": (409, _("Eine Anfrage mit demselben Schlüssel läuft gerade.")),
    "schluessel-anders-verwendet": (
        422,
        _("Die Anfrage widerspricht einer früheren mit demselben Schlüssel."),
    ),
    "zu-viele-anfragen": (429, _("Zu viele Anfragen. Bitte warten Sie kurz.")),
}


def type_url(kind: str) -> str:
    return f"{settings.SITE_URL}/api/#problem-{kind}"


def problem(kind: str, detail: str = "", *, errors=None, headers=None) -> HttpResponse:
    """The response for a problem of ``kind``, with its title in the active language."""
    status, title = KINDS[kind]
    body = {"type": type_url(kind), "title": str(title), "status": status}
    if detail:
        body["detail"] = str(detail)
    if errors:
        body["errors"] = errors
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False), status=status, content_type=CONTENT_TYPE
    )
    response["Content-Language"] = _language()
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def _language():
    from django.utils.translation import get_language

    return (get_language() or settings.LANGUAGE_CODE).split("-")[0]
