"""The state of the offer list, read from and written to the URL.

One ``OfferQuery`` parses the query string (search words, facet values, sorting,
page), runs the search, and counts the facets of the current result. The list, the
htmx partial and the exports all use it, so every result can be shared by its URL.
Unknown values are dropped with a German notice, never an error page.
"""

from dataclasses import dataclass, field
from urllib.parse import urlencode

import numpy as np
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kommune360.core.models import Format, Method, TargetGroup, Topic

from . import facet_index, search
from .models import Offer, Provider

SORTS = {
    "relevanz": gettext_lazy("Relevanz"),
    "neu": gettext_lazy("Neueste zuerst"),
    "titel": gettext_lazy("Titel A–Z"),
    "geprueft": gettext_lazy("Zuletzt geprüft"),
}
PER_PAGE = 20


@dataclass(frozen=True)
class Facet:
    param: str
    label: str
    kind: str  # "m2m", "fk" or "choice"
    field: str
    model: type | None = None
    choices: tuple = ()


def facets():
    return [
        Facet("methode", _("Methode"), "m2m", "methods", Method),
        Facet("zielgruppe", _("Zielgruppe"), "m2m", "target_groups", TargetGroup),
        Facet("thema", _("Thema"), "m2m", "topics", Topic),
        Facet("format", _("Format"), "fk", "format", Format),
        Facet("durchfuehrung", _("Durchführung"), "choice", "delivery", None, Offer.Delivery),
        Facet("region", _("Region"), "choice", "region", None, Offer.Region),
        Facet("kosten", _("Kosten"), "choice", "cost_band", None, Offer.CostBand),
        Facet(
            "anbieterart", _("Art der Anbieter:in"), "choice", "provider__type", None, Provider.Type
        ),
    ]


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool
    input_id: str


@dataclass
class FacetGroup:
    facet: Facet
    options: list = field(default_factory=list)

    @property
    def selected_count(self):
        return sum(1 for o in self.options if o.selected)


class OfferQuery:
    """Parses ``request.GET``; ``results()`` and ``facet_groups()`` run the queries."""

    def __init__(self, params, *, base_queryset=None):
        self.notices = []
        self.base = (
            base_queryset
            if base_queryset is not None
            else Offer.objects.filter(status=Offer.Status.PUBLISHED)
        )
        raw_q = str(params.get("q", "")).strip()
        if len(raw_q) > search.MAX_QUERY_LENGTH:
            self.notices.append(
                _("Ihr Suchbegriff war sehr lang; gesucht wurde nach den ersten %(n)s Zeichen.")
                % {"n": search.MAX_QUERY_LENGTH}
            )
            raw_q = raw_q[: search.MAX_QUERY_LENGTH]
        self.q = raw_q.replace("\x00", "")
        self.parsed = search.parse_query(self.q)
        self.facets = facets()
        self.snapshot = facet_index.snapshot()
        self.selected = {}
        for facet in self.facets:
            values = [v for v in params.getlist(facet.param) if v][:50]
            if not values:
                continue
            known = self._known_values(facet)
            good = [v for v in dict.fromkeys(values) if v in known]
            for bad in (v for v in values if v not in known):
                self.notices.append(
                    _(
                        "Den Filterwert „%(value)s“ gibt es bei „%(facet)s“ nicht; er wurde "
                        "nicht berücksichtigt."
                    )
                    % {"value": bad[:60], "facet": facet.label}
                )
            if good:
                self.selected[facet.param] = good
        self.certificate = params.get("bescheinigung") == "1"
        sort = params.get("sortierung", "")
        if sort and sort not in SORTS:
            self.notices.append(_("Diese Sortierung gibt es nicht; die Standardsortierung gilt."))
            sort = ""
        self.sort = sort or ("relevanz" if self.parsed else "neu")
        self.page_number = params.get("seite", "1")

    # --- Values ---------------------------------------------------------------------------

    def taxonomy(self, model):
        """The terms of a taxonomy, from the facet snapshot (no query)."""
        return self.snapshot.taxonomy[model]

    def _known_values(self, facet):
        if facet.model is not None:
            return {term.slug for term in self.taxonomy(facet.model)}
        return set(facet.choices.values)

    # --- Queries --------------------------------------------------------------------------

    def _facet_q(self, facet, values):
        if facet.model is not None:
            return Q(**{f"{facet.field}__slug__in": values})
        return Q(**{f"{facet.field}__in": values})

    def filtered(self):
        """Published offers matching the words and every selected facet."""
        queryset = search.filter_queryset(self.base, self.parsed)
        for facet in self.facets:
            if values := self.selected.get(facet.param):
                if facet.kind == "m2m":
                    through = getattr(Offer, facet.field).through
                    column = f"{facet.model._meta.model_name}"
                    queryset = queryset.filter(
                        pk__in=through.objects.filter(**{f"{column}__slug__in": values}).values(
                            "offer_id"
                        )
                    )
                else:
                    queryset = queryset.filter(self._facet_q(facet, values))
        if self.certificate:
            queryset = queryset.filter(certificate=True)
        return queryset

    def ordered(self, queryset):
        if self.sort == "relevanz" and self.parsed:
            queryset = search.annotate_relevance(queryset, self.parsed)
            return queryset.order_by("-relevance", "-published_at", "pk")
        if self.sort == "titel":
            return queryset.order_by("title", "pk")
        if self.sort == "geprueft":
            return queryset.order_by("-last_checked", "pk")
        return queryset.order_by("-published_at", "pk")

    def results(self):
        return (
            self.ordered(self.filtered())
            .select_related("provider", "format")
            .prefetch_related("target_groups", "methods")
        )

    def evaluate(self):
        """Matching positions in the facet snapshot, in list order, and facet counts.

        One full-text query for the words (and one per word for the relevance); the
        rest happens on the snapshot (``facet_index``). Sets ``total``,
        ``certificate_count`` and ``counts`` (``{param: {value or pk: count}}``).
        """
        if getattr(self, "_evaluated", None) is not None:
            return self._evaluated
        snap = self.snapshot
        if self.parsed:
            sql, params = search.match_sql(self.parsed)
            positions = snap.positions(facet_index.matching_ids(sql, params))
        else:
            positions = np.arange(snap.size)
        for facet in self.facets:
            values = self.selected.get(facet.param)
            if not values:
                continue
            if facet.kind == "m2m":
                pks = {t.pk for t in self.taxonomy(facet.model) if t.slug in values}
                columns = [c for pk, c in snap.columns[facet.field].items() if pk in pks]
                keep = snap.matrices[facet.field][positions][:, columns].any(axis=1)
            elif facet.kind == "fk":
                pks = {t.pk for t in self.taxonomy(facet.model) if t.slug in values}
                codes = [c for pk, c in snap.columns["format"].items() if pk in pks]
                keep = np.isin(snap.codes["format"][positions], codes)
            else:
                codes = [n for n, v in enumerate(snap.values[facet.field]) if v in values]
                keep = np.isin(snap.codes[facet.field][positions], codes)
            positions = positions[keep]
        if self.certificate:
            positions = positions[snap.certificate[positions]]

        counts = {}
        mask = snap.mask(positions)
        for facet in self.facets:
            if facet.kind == "m2m":
                sums = mask @ snap.matrices[facet.field]  # column sums over the result
                counts[facet.param] = {
                    pk: int(sums[c]) for pk, c in snap.columns[facet.field].items()
                }
            else:
                key = "format" if facet.kind == "fk" else facet.field
                codes = snap.codes[key][positions]
                found = np.bincount(codes[codes >= 0], minlength=len(snap.values[key]))
                if facet.kind == "fk":
                    counts[facet.param] = {
                        pk: int(found[c]) for pk, c in snap.columns["format"].items()
                    }
                else:
                    counts[facet.param] = {v: int(found[n]) for n, v in enumerate(snap.values[key])}
        self.counts = counts
        self.total = len(positions)
        self.certificate_count = int(snap.certificate[positions].sum())

        if self.sort == "relevanz" and self.parsed:
            relevance = np.zeros(len(positions), dtype=np.int64)
            for alternatives in self.parsed:
                sql, params = search.heavy_match_sql(alternatives)
                heavy = np.zeros(snap.size, dtype=bool)
                heavy[snap.positions(facet_index.matching_ids(sql, params))] = True
                relevance += heavy[positions]
            order = np.lexsort((snap.ranks["neu"][positions], -relevance))
            self.relevance = relevance[order]
        else:
            rank = snap.ranks.get(self.sort, snap.ranks["neu"])
            order = np.argsort(rank[positions], kind="stable")
        self._evaluated = snap.ids[positions[order]]
        return self._evaluated

    def page_results(self):
        """The result list for the paginator: its length is the count, and a slice
        reads only those offers from the database (in list order)."""
        return RankedOffers(self)

    def facet_groups(self):
        """Every facet with the number of matching offers per value."""
        self.evaluate()
        groups = []
        for facet in self.facets:
            selected = set(self.selected.get(facet.param, []))
            group = FacetGroup(facet)
            found = self.counts[facet.param]
            if facet.model is not None:
                for term in self.taxonomy(facet.model):
                    group.options.append(
                        self._option(facet, term.slug, term.name, found.get(term.pk, 0), selected)
                    )
            else:
                for value, label in facet.choices.choices:
                    group.options.append(
                        self._option(facet, value, str(label), found.get(value, 0), selected)
                    )
            groups.append(group)
        return groups

    @staticmethod
    def _option(facet, value, label, count, selected):
        return FacetOption(value, label, count, value in selected, f"f-{facet.param}-{value}")

    # --- URLs -----------------------------------------------------------------------------

    def params(self, *, page=None, sort=None):
        """The state as a list of query parameters (for links and exports)."""
        items = []
        if self.q:
            items.append(("q", self.q))
        for facet in self.facets:
            for value in self.selected.get(facet.param, []):
                items.append((facet.param, value))
        if self.certificate:
            items.append(("bescheinigung", "1"))
        sort = sort or self.sort
        if sort != ("relevanz" if self.parsed else "neu"):
            items.append(("sortierung", sort))
        if page and page > 1:
            items.append(("seite", str(page)))
        return items

    def querystring(self, **kwargs):
        return urlencode(self.params(**kwargs))

    @property
    def is_filtered(self):
        return bool(self.parsed or self.selected or self.certificate)

    def active_filters(self):
        """(label, url without it) for each active filter, to remove it again."""
        labels = {}
        for facet in self.facets:
            if facet.model is not None:
                labels[facet.param] = {t.slug: t.name for t in self.taxonomy(facet.model)}
            else:
                labels[facet.param] = {v: str(lbl) for v, lbl in facet.choices.choices}
        chips = []
        base = self.params()
        for param, value in base:
            if param in ("sortierung", "seite"):
                continue
            rest = [(p, v) for p, v in base if (p, v) != (param, value)]
            if param == "q":
                label = _("Suche: %(q)s") % {"q": value}
            elif param == "bescheinigung":
                label = _("mit Teilnahmebescheinigung")
            else:
                label = labels[param].get(value, value)
            chips.append((label, urlencode(rest)))
        return chips


class RankedOffers:
    """The evaluated list as a sequence for ``Paginator``."""

    def __init__(self, query):
        self.query = query
        self.ids = query.evaluate()

    def count(self):
        return len(self.ids)

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, index):
        ids = [int(pk) for pk in self.ids[index]]
        snap = self.query.snapshot
        offers = {
            offer.pk: offer
            for offer in Offer.objects.filter(pk__in=ids).select_related("provider", "format")
        }
        result = []
        for pk in ids:
            if offer := offers.get(pk):
                offer.audience = snap.terms_of("target_groups", pk)
                result.append(offer)
        return result
