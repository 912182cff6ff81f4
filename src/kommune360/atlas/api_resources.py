"""The atlas in the public API (``/api/v1/angebote/``, ``/api/v1/anbieterinnen/``).

An offer has the fields of the atlas's JSON export (``exports.row``), with the taxonomy
as lists and the ids a client needs to follow links. The list is searched like the
atlas page: German words and the same facets on the facet snapshot, with the facet
counts of the result.
"""

from datetime import date, datetime

from django.conf import settings
from django.http import QueryDict
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from pydantic import BaseModel, Field

from kommune360.core import german
from kommune360.core.models import Format, State
from kommune360.core.registry import ApiResource, registry

from . import facet_index
from .filters import OfferQuery
from .models import Offer, Provider


class ProviderSchema(BaseModel):
    id: int
    slug: str
    name: str
    art: str = Field(description="Kind of organisation, as a label (German or English).")
    art_kuerzel: str
    website: str


class OfferSchema(BaseModel):
    id: int
    slug: str
    titel: str
    kurzbeschreibung: str
    beschreibung: str
    anbieterin: str
    anbieterin_id: int
    anbieterart: str
    format: str
    methoden: list[str]
    themen: list[str]
    zielgruppen: list[str]
    durchfuehrung: str
    region: str
    kosten: str
    kosten_eur: float | None
    dauer_stunden: float | None
    termine: str
    beginn: date | None
    ende: date | None
    laufend: bool
    sprache: str
    website: str
    kontakt: str
    teilnahmebescheinigung: bool
    lernziele: str
    anerkennung: str
    zuletzt_geprueft: str | None
    veroeffentlicht: datetime | None
    geaendert: datetime
    url: str


Values = list[str]


class OfferParams(BaseModel):
    q: str | None = Field(
        None, max_length=german.MAX_QUERY_LENGTH, description="Search words (German)."
    )
    methode: Values = Field([], description="Method slugs (any of them).")
    zielgruppe: Values = Field([], description="Target group slugs (any of them).")
    thema: Values = Field([], description="Topic slugs (any of them).")
    format: Values = Field([], description="Format slugs (any of them).")
    durchfuehrung: Values = Field([], description="online, praesenz, hybrid.")
    region: Values = Field([], description="bundesweit, land, kommune.")
    kosten: Values = Field([], description="Cost bands, e.g. kostenfrei, bis-100.")
    anbieterart: Values = Field([], description="Kinds of provider, e.g. stiftung.")
    bescheinigung: bool = Field(False, description="Only offers with a certificate.")


class FacetValue(BaseModel):
    wert: str
    name: str
    anzahl: int


class OfferFacets(BaseModel):
    facetten: dict[str, list[FacetValue]] = Field(
        description="Per facet, each value with the number of matching offers."
    )


def offers():
    """The published offers; their taxonomy comes from the facet snapshot (one source
    for the atlas page and the API, no query per relation)."""
    return Offer.objects.filter(status=Offer.Status.PUBLISHED).select_related(
        "provider", "municipality"
    )


def _labels(choices):
    """Value → label of ``choices`` in the active language, translated once."""
    key = (get_language(), choices)
    found = _LABELS.get(key)
    if found is None:
        found = _LABELS[key] = {value: str(label) for value, label in choices.choices}
    return found


_LABELS = {}


def offers_data(page, snapshot=None):
    """The offers of a page as the API writes them: ``exports.row``'s fields (the
    atlas's JSON export) with the taxonomy as lists. The list's search has just
    checked the snapshot (``last_checked``: no second query)."""
    snapshot = snapshot or facet_index.last_checked()
    ids = [offer.pk for offer in page]
    terms = {
        name: snapshot.terms_of_many(name, ids) for name in ("methods", "topics", "target_groups")
    }
    formats = {term.pk: term.name for term in snapshot.taxonomy[Format]}
    provider_types = _labels(Provider.Type)
    deliveries, costs = _labels(Offer.Delivery), _labels(Offer.Cost)
    languages = _labels(Offer.Language)
    regions, states = _labels(Offer.Region), _labels(State)
    site = settings.SITE_URL
    result = []
    for offer in page:
        result.append(
            {
                "id": offer.pk,
                "slug": offer.slug,
                "titel": offer.title,
                "kurzbeschreibung": offer.summary,
                "beschreibung": offer.description,
                "anbieterin": offer.provider.name,
                "anbieterin_id": offer.provider_id,
                "anbieterart": provider_types.get(offer.provider.type, ""),
                "format": formats.get(offer.format_id, ""),
                "methoden": [t.name for t in terms["methods"].get(offer.pk, [])],
                "themen": [t.name for t in terms["topics"].get(offer.pk, [])],
                "zielgruppen": [t.name for t in terms["target_groups"].get(offer.pk, [])],
                "durchfuehrung": deliveries.get(offer.delivery, ""),
                "region": _region(offer, regions, states),
                "kosten": costs.get(offer.cost, ""),
                "kosten_eur": _number(offer.cost_amount),
                "dauer_stunden": _number(offer.duration_hours),
                "termine": offer.dates_display,
                "beginn": offer.start_date,
                "ende": offer.end_date,
                "laufend": offer.ongoing,
                "sprache": languages.get(offer.language, ""),
                "website": offer.website,
                "kontakt": offer.contact,
                "teilnahmebescheinigung": offer.certificate,
                "lernziele": offer.learning_goals,
                "anerkennung": offer.accreditation,
                "zuletzt_geprueft": offer.last_checked.isoformat() if offer.last_checked else None,
                "veroeffentlicht": offer.published_at,
                "geaendert": offer.updated,
                "url": site + offer.get_absolute_url(),
            }
        )
    return result


def offer_data(offer):
    return offers_data([offer], facet_index.snapshot())[0]


def _region(offer, regions, states):
    """``Offer.region_display`` with the labels translated once."""
    if offer.region == Offer.Region.STATE and offer.state:
        return states.get(offer.state, offer.state)
    if offer.region == Offer.Region.MUNICIPALITY and offer.municipality_id:
        return offer.municipality.name
    return regions.get(offer.region, "")


def _number(value):
    return float(value) if value is not None else None


def search_offers(params):
    """The matching ids and the facet counts, as the atlas page finds them."""
    query_dict = QueryDict(mutable=True)
    if params.q:
        query_dict["q"] = params.q
    for name in OfferParams.model_fields:
        value = getattr(params, name)
        if isinstance(value, list):
            query_dict.setlist(name, value)
    if params.bescheinigung:
        query_dict["bescheinigung"] = "1"
    query = OfferQuery(query_dict)
    if query.notices:
        raise ValueError(" ".join(str(n) for n in query.notices))
    facets = {
        group.facet.param: [
            {"wert": o.value, "name": o.label, "anzahl": o.count} for o in group.options
        ]
        for group in query.facet_groups()
    }
    return query.matching_ids(), {"facetten": facets}


def providers():
    published = Offer.objects.filter(status=Offer.Status.PUBLISHED)
    return Provider.objects.filter(pk__in=published.values("provider_id"))


def provider_data(provider):
    return {
        "id": provider.pk,
        "slug": provider.slug,
        "name": provider.name,
        "art": provider.get_type_display(),
        "art_kuerzel": provider.type,
        "website": provider.website,
    }


def register():
    registry.add(
        ApiResource(
            "angebote",
            _("Angebote"),
            OfferSchema,
            offers,
            offer_data,
            serialize_page=offers_data,
            params=OfferParams,
            search=search_offers,
            extra_schema=OfferFacets,
            modified="updated",
            order=10,
        )
    )
    registry.add(
        ApiResource(
            "anbieterinnen",
            _("Anbieter:innen"),
            ProviderSchema,
            providers,
            provider_data,
            order=20,
        )
    )
