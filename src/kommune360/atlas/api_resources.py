"""The atlas in the public API (``/api/v1/angebote/``, ``/api/v1/anbieterinnen/``).

An offer is what the atlas's JSON export writes (``exports.row``), with the taxonomy
as lists and the ids a client needs to follow links. The list is searched like the
atlas page: German words and the same facets on the facet snapshot, with the facet
counts of the result.
"""

from datetime import date, datetime

from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from pydantic import BaseModel, Field

from kommune360.core import german
from kommune360.core.registry import ApiResource, registry

from . import exports
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
    return (
        Offer.objects.filter(status=Offer.Status.PUBLISHED)
        .select_related("provider", "format", "municipality")
        .prefetch_related("methods", "topics", "target_groups")
    )


def offer_data(offer):
    row = exports.row(offer)
    return {
        "id": offer.pk,
        "slug": offer.slug,
        "titel": row["titel"],
        "kurzbeschreibung": row["kurzbeschreibung"],
        "beschreibung": offer.description,
        "anbieterin": row["anbieterin"],
        "anbieterin_id": offer.provider_id,
        "anbieterart": row["anbieterart"],
        "format": row["format"],
        "methoden": [m.name for m in offer.methods.all()],
        "themen": [t.name for t in offer.topics.all()],
        "zielgruppen": [t.name for t in offer.target_groups.all()],
        "durchfuehrung": row["durchfuehrung"],
        "region": row["region"],
        "kosten": row["kosten"],
        "kosten_eur": row["kosten_eur"],
        "dauer_stunden": row["dauer_stunden"],
        "termine": row["termine"],
        "beginn": offer.start_date,
        "ende": offer.end_date,
        "laufend": offer.ongoing,
        "sprache": row["sprache"],
        "website": row["website"],
        "kontakt": row["kontakt"],
        "teilnahmebescheinigung": row["teilnahmebescheinigung"],
        "lernziele": row["lernziele"],
        "anerkennung": row["anerkennung"],
        "zuletzt_geprueft": row["zuletzt_geprueft"],
        "veroeffentlicht": offer.published_at,
        "geaendert": offer.updated,
        "url": row["url"],
    }


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
