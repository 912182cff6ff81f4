"""The state of the offer list, read from and written to the URL.

One ``OfferQuery`` parses the query string (search words, facet values, sorting,
page), runs the search, and counts the facets of the current result. The list, the
htmx partial and the exports all use it, so every result can be shared by its URL.
Unknown values are dropped with a German notice, never an error page.
"""

import difflib
import re
from dataclasses import dataclass, field
from urllib.parse import urlencode

import numpy as np
from django.db.models import Q
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _

from kommune360.core import german
from kommune360.core.languages import active_language
from kommune360.core.models import Format, Method, TargetGroup, Topic

from . import facet_index, search
from .models import Offer, Provider
from .ranked import RankedOffers

SORTS = {
    "relevanz": gettext_lazy("Relevanz"),
    "neu": gettext_lazy("Neueste zuerst"),
    "titel": gettext_lazy("Titel A–Z"),
    "geprueft": gettext_lazy("Zuletzt geprüft"),
}
PER_PAGE = 20
WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class Facet:
    param: str
    label: str
    kind: str  # "m2m", "fk" or "choice"
    field: str
    model: type | None = None
    choices: tuple = ()


def facets():
    """The facets of the list, with their labels in the active language."""
    language = get_language()
    found = _FACETS.get(language)
    if found is None:
        found = _FACETS[language] = (
            Facet("methode", _("Methode"), "m2m", "methods", Method),
            Facet("zielgruppe", _("Zielgruppe"), "m2m", "target_groups", TargetGroup),
            Facet("thema", _("Thema"), "m2m", "topics", Topic),
            Facet("format", _("Format"), "fk", "format", Format),
            Facet("durchfuehrung", _("Durchführung"), "choice", "delivery", None, Offer.Delivery),
            Facet("region", _("Region"), "choice", "region", None, Offer.Region),
            Facet("kosten", _("Kosten"), "choice", "cost_band", None, Offer.CostBand),
            Facet(
                "anbieterart",
                _("Art der Anbieter:in"),
                "choice",
                "provider__type",
                None,
                Provider.Type,
            ),
        )
    return found


# Language → the facets (their labels are translated once per process and language).
_FACETS = {}


def _choice_labels(facet):
    """(value, label) of a choice facet in the active language, translated once."""
    key = (get_language(), facet.param)
    found = _CHOICE_LABELS.get(key)
    if found is None:
        found = _CHOICE_LABELS[key] = tuple(
            (value, str(label)) for value, label in facet.choices.choices
        )
    return found


_CHOICE_LABELS = {}


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool
    input_id: str
    term: object = None  # the taxonomy term, whose language the label is in


@dataclass
class FacetGroup:
    facet: Facet
    options: list = field(default_factory=list)

    @property
    def selected_count(self):
        return sum(1 for o in self.options if o.selected)


def _either(packed):
    """The ``or`` of packed vectors; ``None`` for none."""
    return np.bitwise_or.reduce(packed, axis=0) if packed else None


class OfferQuery:
    """Parses ``request.GET``; ``results()`` and ``facet_groups()`` run the queries.
    ``snapshot``: the facet snapshot to search (default: the current one, checked)."""

    def __init__(self, params, snapshot=None):
        self.notices = []
        raw_q = str(params.get("q", "")).strip()
        if len(raw_q) > german.MAX_QUERY_LENGTH:
            self.notices.append(
                _("Ihr Suchbegriff war sehr lang; gesucht wurde nach den ersten %(n)s Zeichen.")
                % {"n": german.MAX_QUERY_LENGTH}
            )
            raw_q = raw_q[: german.MAX_QUERY_LENGTH]
        self.q = raw_q.replace("\x00", "")
        self.snapshot = facet_index.snapshot() if snapshot is None else snapshot
        # The synonyms of the snapshot: a change of a group renews it.
        self.parsed = german.parse_query(self.q, synonyms=self.snapshot.synonyms["table"])
        self.facets = facets()
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
        self.sort = sort or self.default_sort
        self.page_number = params.get("seite", "1")

    @property
    def default_sort(self):
        """Relevance when there are search words, the newest offers first without."""
        return "relevanz" if self.parsed else "neu"

    def sort_options(self):
        """(value, label) for the sort select. The default sort has the value "", so a
        form sent with a new search word sorts by relevance instead of keeping "newest"."""
        options = [("", SORTS[self.default_sort])]
        options += [
            (key, label)
            for key, label in SORTS.items()
            if key not in ("relevanz", self.default_sort)
        ]
        return options

    @property
    def sort_choice(self):
        return "" if self.sort == self.default_sort else self.sort

    @property
    def base(self):
        """The offers searched: the published ones (the snapshot holds those)."""
        return Offer.objects.filter(status=Offer.Status.PUBLISHED)

    # --- Values ---------------------------------------------------------------------------

    def taxonomy(self, model):
        """The terms of a taxonomy, from the facet snapshot (no query)."""
        return self.snapshot.taxonomy[model]

    def _known_values(self, facet):
        def known():
            if facet.model is not None:
                return frozenset(term.slug for term in self.taxonomy(facet.model))
            return frozenset(facet.choices.values)

        return self.snapshot.derive(("known-values", facet.param), known)

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
            return queryset.order_by("-matched", "-relevance", "-published_at", "pk")
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

    def _match(self):
        """Matches in the snapshot and facet counts, on packed vectors (``facet_index``).

        No query: the snapshot answers the words and facets. Sets ``total``,
        ``words_total``, ``certificate_count`` and ``counts`` (``{param: {value or pk:
        count}}``); the matches' positions (``positions``) and the order are only worked
        out when a list order or a page is asked (``ids_between``, ``evaluate``,
        ``matches``).
        """
        if getattr(self, "_keep", False) is not False:
            return
        snap = self.snapshot
        # Per word: the offers having it (the relevance is read only for the order).
        self._word_bits = [snap.hits_packed(alternatives) for alternatives in self.parsed]
        keep = words_kept = _either(self._word_bits)
        for facet in self.facets:
            values = self.selected.get(facet.param)
            if not values:
                continue
            if facet.kind == "choice":
                chosen = [n for n, v in enumerate(snap.values[facet.field]) if v in values]
            else:
                pks = {t.pk for t in self.taxonomy(facet.model) if t.slug in values}
                chosen = [c for pk, c in snap.columns[facet.field].items() if pk in pks]
            found = snap.any_of_packed(facet.field, chosen)
            keep = found if keep is None else keep & found
        if self.certificate:
            found = snap.certificate_packed()
            keep = found if keep is None else keep & found
        self.words_total = None if words_kept is None else snap.count(words_kept)
        self._found = snap.value_counts(keep)
        self._counts = None
        self.total = snap.size if keep is None else snap.count(keep)
        self.certificate_count = int(snap.counts_of("certificate", self._found)[0])
        self._key = self._positions = None
        self._keep = keep

    @property
    def counts(self):
        """Per facet parameter: value (choices) or term pk → number of matches."""
        self._match()
        if self._counts is None:
            snap, counts = self.snapshot, {}
            for facet in self.facets:
                numbers = snap.counts_of(facet.field, self._found).tolist()
                if facet.kind == "choice":
                    values = snap.values[facet.field]
                    counts[facet.param] = dict(zip(values, numbers, strict=True))
                else:
                    columns = snap.columns[facet.field]
                    counts[facet.param] = {pk: numbers[c] for pk, c in columns.items()}
            self._counts = counts
        return self._counts

    @property
    def positions(self):
        """The matches' positions in the snapshot, ascending."""
        self._match()
        if self._positions is None:
            if self._keep is None:
                self._positions = np.arange(self.snapshot.size)
            else:
                self._positions = np.flatnonzero(self.snapshot.unpack(self._keep))
        return self._positions

    @property
    def _words(self):
        """Per word: a boolean vector over all positions (for the relevance)."""
        return [self.snapshot.unpack(bits) for bits in self._word_bits]

    @property
    def all_words_count(self):
        """How many matches have every search word."""
        self._match()
        if not self.parsed:
            return self.total
        every = np.bitwise_and.reduce(self._word_bits, axis=0)
        return self.snapshot.count(every & self._keep)

    def _order_key(self):
        """One distinct integer per match; ascending is list order. The ranks are
        distinct and below the snapshot's size, so words found, then words in the
        title or provider name, can go in front."""
        self._match()
        if self._key is not None:
            return self._key
        snap, positions = self.snapshot, self.positions
        if self.sort == "relevanz" and self.parsed:
            words = len(self.parsed)
            found = np.zeros(len(positions), dtype=np.int64)
            relevance = np.zeros(len(positions), dtype=np.int64)
            for hits, alternatives in zip(self._words, self.parsed, strict=True):
                found += hits[positions]
                relevance += snap.hits(alternatives, heavy=True)[positions]
            self._matched, self._relevance = found, relevance
            miss = (words - found) * (words + 1) + (words - relevance)
            self._key = miss * snap.size + snap.ranks["neu"][positions]
        else:
            self._matched = self._relevance = None
            self._key = snap.ranks.get(self.sort, snap.ranks["neu"])[positions]
        return self._key

    def word_count_note(self):
        """With several words: how many offers have all of them (they come first)."""
        self._match()
        if len(self.parsed) < 2 or not self.total or self.all_words_count == self.total:
            return ""
        return ngettext(
            "%(all)s von %(total)s Angeboten enthält alle Suchwörter.",
            "%(all)s von %(total)s Angeboten enthalten alle Suchwörter.",
            self.all_words_count,
        ) % {"all": self.all_words_count, "total": self.total}

    def alternatives(self) -> list[tuple[str, str]]:
        """When nothing is found: what to try instead, as (label, query string) pairs.

        The same words without the filters, if they find something; close words from
        the taxonomy and the synonym groups that find something (a typing error, or a
        word the offers do not use); always all offers.
        """
        self._match()
        if self.total:
            return []
        options = []
        if self.words_total and (self.selected or self.certificate):
            options.append(
                (
                    ngettext(
                        "Ohne Filter: %(count)s Angebot",
                        "Ohne Filter: %(count)s Angebote",
                        self.words_total,
                    )
                    % {"count": self.words_total},
                    urlencode([("q", self.q)]),
                )
            )
        rest = [(p, v) for p, v in self.params() if p not in ("q", "seite")]
        for word in self._close_words():
            options.append(
                (_("Suche nach „%(word)s“") % {"word": word}, urlencode([("q", word), *rest]))
            )
        options.append((_("Alle Angebote ansehen"), ""))
        return options

    def _close_words(self, limit=3) -> list[str]:
        """Known words close to the query's words (and finding offers), best first."""
        if not self.parsed:
            return []
        vocabulary = {}  # lower-case word → the word as written
        names = [
            t.name for model in (Method, Topic, TargetGroup, Format) for t in self.taxonomy(model)
        ]
        for name in [*names, *self.snapshot.synonyms["terms"]]:
            for word in WORD.findall(name):
                if len(word) > 3:
                    vocabulary.setdefault(word.lower(), word)
        found = []
        for word in german.words(self.q):
            for close in difflib.get_close_matches(word, list(vocabulary), n=limit, cutoff=0.7):
                suggestion = vocabulary[close]
                parsed = german.parse_query(suggestion, self.snapshot.synonyms["table"])
                if suggestion not in found and parsed and self.snapshot.hits(parsed[0]).any():
                    found.append(suggestion)
        return found[:limit]

    def ids_between(self, start, stop):
        """The offer ids at list places ``start`` to ``stop`` (a page), in order.

        Partitions instead of sorting every match: a page of the 27,000 offers a common
        word finds needs only the smallest keys up to its end.
        """
        key = self._order_key()
        stop = min(stop, len(key))
        if start >= stop:
            return np.empty(0, dtype=np.int64)
        if stop < len(key):
            candidates = np.argpartition(key, stop - 1)[:stop]
        else:
            candidates = np.arange(len(key))
        order = candidates[np.argsort(key[candidates])][start:stop]
        return self.snapshot.ids[self.positions[order]]

    def evaluate(self):
        """Every matching offer id in list order (and ``matched`` and ``relevance`` in
        the same order when sorted by relevance)."""
        order = np.argsort(self._order_key())
        if self._relevance is not None:
            self.matched = self._matched[order]
            self.relevance = self._relevance[order]
        return self.snapshot.ids[self.positions[order]]

    def matches(self) -> facet_index.Matches:
        """The matches in id order (the API's pages): the snapshot answers, no query."""
        self._match()
        return facet_index.Matches(self.snapshot, self._keep, self.total)

    def page_results(self):
        """The result list for the paginator: its length is the count, and a slice
        reads only those offers from the database (in list order)."""
        return RankedOffers(self)

    def facet_groups(self):
        """Every facet with the number of matching offers per value."""
        self._match()
        groups = []
        for facet in self.facets:
            selected = set(self.selected.get(facet.param, []))
            group = FacetGroup(facet)
            found = self.counts[facet.param]
            if facet.model is not None:
                for term in self.taxonomy(facet.model):
                    option = self._option(
                        facet, term.slug, term.display_name, found.get(term.pk, 0), selected
                    )
                    option.term = term
                    group.options.append(option)
            else:
                for value, label in _choice_labels(facet):
                    group.options.append(
                        self._option(facet, value, label, found.get(value, 0), selected)
                    )
            groups.append(group)
        return groups

    def facet_counts(self):
        """Per facet parameter, ``(value, label, count)`` of each value in the order of
        ``facet_groups()``, without its option objects (the API's answer); a term's
        label is its ``display_name``. The values and labels are laid out once per
        snapshot and language (``_facet_layout``)."""
        self._match()
        numbers = self._found.tolist()
        return {
            param: [(value, label, numbers[row] if row >= 0 else 0) for value, label, row in values]
            for param, values in self._facet_layout().items()
        }

    def _facet_layout(self):
        """Per facet parameter: (value, label, row of the snapshot's ``bits`` or -1)."""
        language = active_language()
        return self.snapshot.derive(("facet-layout", language), lambda: self._lay_out(language))

    def _lay_out(self, language):
        snap, english, found = self.snapshot, language == "en", {}
        for facet in self.facets:
            start = snap.rows[facet.field].start
            if facet.model is not None:
                columns = snap.columns[facet.field]
                found[facet.param] = [
                    (
                        t.slug,
                        t.name_en if english and t.name_en else t.name,
                        start + columns[t.pk] if t.pk in columns else -1,
                    )
                    for t in self.taxonomy(facet.model)
                ]
            else:
                codes = {v: n for n, v in enumerate(snap.values[facet.field])}
                found[facet.param] = [
                    (value, label, start + codes[value] if value in codes else -1)
                    for value, label in _choice_labels(facet)
                ]
        return found

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
        if sort != self.default_sort:
            items.append(("sortierung", sort))
        if page and page > 1:
            items.append(("seite", str(page)))
        return items

    def querystring(self, **kwargs):
        return urlencode(self.params(**kwargs))

    @property
    def selected_total(self):
        """How many filter values are chosen (the certificate filter counts as one)."""
        return sum(len(values) for values in self.selected.values()) + int(self.certificate)

    @property
    def is_filtered(self):
        return bool(self.parsed or self.selected or self.certificate)

    def active_filters(self):
        """(label, url without it, term or None) for each active filter, to remove it
        again (a term's label is in the language of the term, ``{% content_lang %}``)."""
        labels = {}
        for facet in self.facets:
            if facet.model is not None:
                labels[facet.param] = {t.slug: t for t in self.taxonomy(facet.model)}
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
            term = label if hasattr(label, "display_name") else None
            chips.append((term.display_name if term else label, urlencode(rest), term))
        return chips
