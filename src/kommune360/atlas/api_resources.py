"""The atlas in the public API (``/api/v1/angebote/``, ``/api/v1/anbieterinnen/``).

An offer has the fields of the atlas's JSON export (``exports.row``), with the taxonomy
as lists and the ids a client needs to follow links. The list is searched like the
atlas page: German words and the same facets on the facet snapshot, with the facet
counts of the result.
"""

import threading
from datetime import date, datetime
from types import SimpleNamespace

from django.conf import settings
from django.db import connection
from django.db.models import Subquery
from django.urls import get_urlconf, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from pydantic import BaseModel, Field

from kommune360.core import german
from kommune360.core.models import Format, Municipality, State
from kommune360.core.registry import ApiResource, SearchChanged, registry

from . import facet_index
from .filters import OfferQuery
from .models import Offer, Provider, SearchState, dates_text


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


def _page_parts():
    """What every offer of a page looks up, per language: the labels of the choices
    (translated once) and the address of an offer around its slug (slugs need no
    quoting)."""
    language = get_language()
    key = (language, settings.SITE_URL, get_urlconf())
    found = _PARTS.get(key)
    if found is None:
        url = settings.SITE_URL + reverse("atlas:detail", kwargs={"slug": "-"})
        before, _slash, after = url.rpartition("/-/")
        found = _PARTS[key] = SimpleNamespace(
            provider_types=_labels(Provider.Type),
            deliveries=_labels(Offer.Delivery),
            costs=_labels(Offer.Cost),
            languages=_labels(Offer.Language),
            regions=_labels(Offer.Region),
            states=_labels(State),
            before=f"{before}/",
            after=f"/{after}",
        )
    return found


_PARTS = {}


# The columns of an offer the API writes, read as plain rows for a list's page (no
# model instances: at 20 to 100 offers a page, building them cost more than the query).
# The provider's name and kind and the municipality's name come from the snapshot (no
# join: PostgreSQL planned the query with the provider for longer than it ran, and the
# municipality's join cost a fifth of the query).
ROW_FIELDS = (
    "id",
    "slug",
    "title",
    "summary",
    "description",
    "provider_id",
    "format_id",
    "delivery",
    "region",
    "state",
    "municipality_id",
    "cost",
    "cost_amount",
    "duration_hours",
    "ongoing",
    "start_date",
    "end_date",
    "dates_note",
    "language",
    "website",
    "contact",
    "certificate",
    "learning_goals",
    "accreditation",
    "last_checked",
    "published_at",
    "updated",
)
PROVIDER = ROW_FIELDS.index("provider_id")
MUNICIPALITY = ROW_FIELDS.index("municipality_id")


def read_offers(ids):
    """The page of the list: the published offers with ``ids`` as the API writes them,
    in that order. One query for the rows, which also reads
    the snapshot's token: the search ran on this process's snapshot without a query of
    its own, and if the token has changed since, the snapshot is renewed and the list
    searched once more (``SearchChanged``; that search checks the token first, as the
    atlas page does). The taxonomy, providers and municipalities come from that
    snapshot."""
    snapshot, checked = getattr(_searched, "found", None) or (facet_index.snapshot(), True)
    _searched.found = None
    found, token = _rows(ids)
    if not checked and token != snapshot.token:
        facet_index.snapshot(token)
        _searched.recheck = True
        raise SearchChanged
    rows = {row[0]: row for row in found}
    page = [rows[pk] for pk in ids if pk in rows]
    providers = snapshot.providers
    if missing := {row[PROVIDER] for row in page} - providers.keys():
        # Offers published after the snapshot was built, with a new provider.
        providers = {**providers, **_providers(missing)}
    municipalities = snapshot.municipalities
    if missing := {row[MUNICIPALITY] for row in page} - municipalities.keys() - {None}:
        # An offer moved to a municipality after the snapshot was built.
        municipalities = {**municipalities, **_municipalities(missing)}
    return offers_data(page, snapshot, providers, municipalities)


# This thread's last search: its snapshot and whether its token was read for it
# (``search_offers`` → ``read_offers``, within one request), and whether the next
# search must check the token first.
_searched = threading.local()


def _providers(ids):
    found = Provider.objects.filter(pk__in=ids).values_list("pk", "name", "type")
    return {pk: (name, kind) for pk, name, kind in found}


def _municipalities(ids):
    return dict(Municipality.objects.filter(pk__in=ids).values_list("pk", "name"))


_compiled = threading.local()
TOKEN = "search_token"


def _rows(ids):
    """``offers().filter(pk__in=ids).values_list(*ROW_FIELDS)`` and the snapshot's token
    (``facet_index.read_token``) in the same query, compiled once per thread and
    number of ids: building and compiling the query cost twice its run on SQLite at a
    page of 20 (the SQL and the conversion of the values stay the ORM's)."""
    if not ids:
        return [], facet_index.read_token()
    key = (connection.alias, len(ids))
    found = _compiled.__dict__.get(key)
    if found is None:
        stand_ins = list(range(-len(ids), 0))  # no offer has a negative id
        published = Offer.objects.filter(status=Offer.Status.PUBLISHED, pk__in=stand_ins)
        token = SearchState.objects.filter(pk=1).values("token")[:1]
        query = published.order_by().annotate(**{TOKEN: Subquery(token)})
        query = query.values(*ROW_FIELDS, TOKEN).query
        compiler = query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        slots = [list(params).index(stand_in) for stand_in in stand_ins]
        converters = compiler.get_converters([column for column, *_ in compiler.select])
        assert [*query.values_select, *query.annotation_select] == [*ROW_FIELDS, TOKEN]
        found = (sql, list(params), slots, compiler, converters)
        _compiled.__dict__[key] = found
    sql, params, slots, compiler, converters = found
    params = list(params)
    for slot, pk in zip(slots, ids, strict=True):
        params[slot] = pk
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            _fast_times(cursor.cursor)
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if converters:
        rows = list(compiler.apply_converters(rows, converters))
    token = rows[0][-1] if rows else facet_index.read_token()
    return rows, token or ""


def _fast_times(cursor):
    """Times with time zone read by psycopg's own (compiled) loader, in the session's
    zone, which Django sets to its own (UTC): Django's loader, which puts its zone in
    afterwards, is written in Python and took a third of the page's query at 40 times a
    page. For this cursor only."""
    from psycopg.types.datetime import TimestamptzLoader

    cursor.adapters.register_loader("timestamptz", TimestamptzLoader)


def _row(offer):
    """An offer instance as one of ``read_offers``' rows (the detail)."""
    return tuple(getattr(offer, name) for name in ROW_FIELDS)


def _moment(value):
    """A datetime as ``DjangoJSONEncoder`` writes it (milliseconds, UTC as ``Z``)."""
    text = value.isoformat(timespec="milliseconds" if value.microsecond else "seconds")
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def offers_data(rows, snapshot, providers, municipalities):
    """Offers (rows of ``ROW_FIELDS``) as the API writes them: ``exports.row``'s fields
    (the atlas's JSON export) with the taxonomy as lists; ``providers``: id → (name,
    kind), ``municipalities``: id → name."""
    ids = [row[0] for row in rows]
    methods, topics, groups = (
        snapshot.names_of(name, ids) for name in ("methods", "topics", "target_groups")
    )
    parts = _page_parts()
    provider_types, deliveries, costs = parts.provider_types, parts.deliveries, parts.costs
    languages, before, after = parts.languages, parts.before, parts.after
    formats = _format_names(snapshot)
    result = []
    for n, row in enumerate(rows):
        (
            pk,
            slug,
            title,
            summary,
            description,
            provider_id,
            format_id,
            delivery,
            region,
            state,
            municipality_id,
            cost,
            cost_amount,
            duration_hours,
            ongoing,
            start,
            end,
            dates_note,
            language,
            website,
            contact,
            certificate,
            learning_goals,
            accreditation,
            last_checked,
            published,
            updated,
        ) = row[: len(ROW_FIELDS)]
        provider_name, provider_type = providers[provider_id]
        if region == Offer.Region.MUNICIPALITY and municipality_id:
            region_text = municipalities.get(municipality_id)
        elif region == Offer.Region.STATE and state:
            region_text = parts.states.get(state, state)
        else:
            region_text = parts.regions.get(region, "")
        result.append(
            {
                "id": pk,
                "slug": slug,
                "titel": title,
                "kurzbeschreibung": summary,
                "beschreibung": description,
                "anbieterin": provider_name,
                "anbieterin_id": provider_id,
                "anbieterart": provider_types.get(provider_type, ""),
                "format": formats.get(format_id, ""),
                "methoden": methods[n],
                "themen": topics[n],
                "zielgruppen": groups[n],
                "durchfuehrung": deliveries.get(delivery, ""),
                "region": region_text,
                "kosten": costs.get(cost, ""),
                "kosten_eur": None if cost_amount is None else float(cost_amount),
                "dauer_stunden": None if duration_hours is None else float(duration_hours),
                "termine": dates_text(ongoing, start, end, dates_note),
                "beginn": start and start.isoformat(),
                "ende": end and end.isoformat(),
                "laufend": ongoing,
                "sprache": languages.get(language, ""),
                "website": website,
                "kontakt": contact,
                "teilnahmebescheinigung": certificate,
                "lernziele": learning_goals,
                "anerkennung": accreditation,
                "zuletzt_geprueft": last_checked.isoformat() if last_checked else None,
                "veroeffentlicht": published and _moment(published),
                "geaendert": _moment(updated),
                "url": f"{before}{slug}{after}",
            }
        )
    return result


def _format_names(snapshot):
    return snapshot.derive(
        "format-names", lambda: {term.pk: term.name for term in snapshot.taxonomy[Format]}
    )


def offer_modified(offer):
    """An offer detail's ``Last-Modified``: its own change, or the latest change to the
    offers' search state, which every change to a provider, term or municipality the
    detail names renews (``facet_index.bump``)."""
    changed = SearchState.objects.filter(pk=1).values_list("changed", flat=True).first()
    return max(offer.updated, changed) if changed else offer.updated


def offer_data(offer):
    provider, place = offer.provider, offer.municipality
    municipalities = {place.pk: place.name} if place is not None else {}
    return offers_data(
        [_row(offer)],
        facet_index.snapshot(),
        {provider.pk: (provider.name, provider.type)},
        municipalities,
    )[0]


def search_offers(params):
    """The matching ids and the facet counts, as the atlas page finds them."""
    query_dict = _AsPageParameters(params)
    checked = getattr(_searched, "recheck", False)
    snapshot = facet_index.snapshot() if checked else facet_index.unchecked()
    query = OfferQuery(query_dict, snapshot=snapshot)
    if query.notices and not checked:
        # A value unknown to this process's snapshot may have been added since.
        snapshot, checked = facet_index.snapshot(), True
        query = OfferQuery(query_dict, snapshot=snapshot)
    _searched.found, _searched.recheck = (snapshot, checked), False
    if query.notices:
        raise ValueError(" ".join(str(n) for n in query.notices))
    facets = {
        param: [{"wert": value, "name": label, "anzahl": count} for value, label, count in values]
        for param, values in query.facet_counts().items()
    }
    return query.matches(), {"facetten": facets}


class _AsPageParameters:
    """The API's parameters (``OfferParams``) as ``OfferQuery`` reads the atlas page's
    (``get``, ``getlist``), without building a ``QueryDict``."""

    def __init__(self, params):
        self.params = params

    def get(self, name, default=None):
        if name == "q":
            return self.params.q or default
        if name == "bescheinigung":
            return "1" if self.params.bescheinigung else default
        return default  # no order, no page: the API pages by cursor

    def getlist(self, name):
        value = getattr(self.params, name, None)
        return value if isinstance(value, list) else []


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
            read_page=read_offers,
            params=OfferParams,
            search=search_offers,
            extra_schema=OfferFacets,
            modified=offer_modified,
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
