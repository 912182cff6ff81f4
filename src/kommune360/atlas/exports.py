"""CSV, XLSX and JSON exports of any filtered offer list (same parameters as the list)."""

import json

from django.conf import settings
from django.http import Http404, HttpResponse
from django.utils import timezone

from kommune360.core import exports
from kommune360.core.http import content_disposition

MAX_ROWS = 100_000
CHUNK = 500

COLUMNS = [
    ("titel", "Titel"),
    ("kurzbeschreibung", "Kurzbeschreibung"),
    ("anbieterin", "Anbieter:in"),
    ("anbieterart", "Art der Anbieter:in"),
    ("format", "Format"),
    ("methoden", "Methoden"),
    ("themen", "Themen"),
    ("zielgruppen", "Zielgruppen"),
    ("durchfuehrung", "Durchführung"),
    ("region", "Region"),
    ("kosten", "Kosten"),
    ("kosten_eur", "Betrag in Euro"),
    ("dauer_stunden", "Dauer in Stunden"),
    ("termine", "Termine"),
    ("sprache", "Sprache"),
    ("website", "Website"),
    ("kontakt", "Kontakt"),
    ("teilnahmebescheinigung", "Teilnahmebescheinigung"),
    ("lernziele", "Lernziele"),
    ("anerkennung", "Anerkennung/Akkreditierung"),
    ("zuletzt_geprueft", "zuletzt geprüft"),
    ("url", "Adresse im Angebotsatlas"),
]


def row(offer):
    return {
        "titel": offer.title,
        "kurzbeschreibung": offer.summary,
        "anbieterin": offer.provider.name,
        "anbieterart": offer.provider.get_type_display(),
        "format": offer.format.name,
        "methoden": ", ".join(m.name for m in offer.methods.all()),
        "themen": ", ".join(t.name for t in offer.topics.all()),
        "zielgruppen": ", ".join(t.name for t in offer.target_groups.all()),
        "durchfuehrung": offer.get_delivery_display(),
        "region": offer.region_display,
        "kosten": offer.get_cost_display(),
        "kosten_eur": float(offer.cost_amount) if offer.cost_amount is not None else None,
        "dauer_stunden": float(offer.duration_hours) if offer.duration_hours is not None else None,
        "termine": offer.dates_display,
        "sprache": offer.get_language_display(),
        "website": offer.website,
        "kontakt": offer.contact,
        "teilnahmebescheinigung": offer.certificate,
        "lernziele": offer.learning_goals,
        "anerkennung": offer.accreditation,
        "zuletzt_geprueft": offer.last_checked.isoformat() if offer.last_checked else None,
        "url": settings.SITE_URL + offer.get_absolute_url(),
    }


def _offers(query):
    """All matching offers in chunks: a fixed number of queries per 500 rows."""
    queryset = (
        query.ordered(query.filtered())
        .select_related("provider", "format", "municipality")
        .prefetch_related("methods", "topics", "target_groups")
    )
    return queryset[:MAX_ROWS].iterator(chunk_size=CHUNK)


def _stem():
    return f"angebote-{timezone.localdate():%Y-%m-%d}"


def _rows(query):
    yield [label for _, label in COLUMNS]
    for offer in _offers(query):
        data = row(offer)
        yield [data[key] for key, _ in COLUMNS]


def _json(query):
    data = {
        "erstellt": timezone.now().isoformat(),
        "quelle": settings.SITE_URL + "/angebote/",
        "filter": dict(query.params()),
        "angebote": [row(offer) for offer in _offers(query)],
    }
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=1),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = content_disposition(f"{_stem()}.json")
    return response


def respond(query, fmt):
    if fmt == "json":
        return _json(query)
    response = exports.response(fmt, _rows(query), _stem(), "Angebote", streaming=True)
    if response is None:
        raise Http404
    return response
