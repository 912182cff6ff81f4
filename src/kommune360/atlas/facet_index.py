"""Facet counts, filters and sorting of the offer list over an in-memory snapshot.

Counting facets in SQL means touching every matching offer row once per facet; at
50,000 offers and a common word (half of them match) that cost 30 to 100 times the
database's own full-text query (docs/decisions/0011). Instead, each process keeps a
*snapshot* of the facet values of all published offers as numpy arrays (a few MB at
50,000 offers):

- the database's full-text index returns the ids that match the words (one query,
  the ids as one string), ``numpy`` maps them to positions in the snapshot;
- facet filters are boolean masks, facet counts ``bincount``/column sums over the
  matching positions, sorting a ``lexsort`` over precomputed ranks (the ranks come
  from the database's own ``ORDER BY``, so the order is the one ``results()`` gives);
- only the offers of the current page are read from the database.

The snapshot is valid as long as ``SearchState.token`` is unchanged: every change that
can touch a facet, a sort key or the published set writes a new random token in the
same transaction (``bump``), so all processes see the change with the commit, and a
rolled-back change leaves the old token behind.
"""

import threading
import uuid
from dataclasses import dataclass, field

import numpy as np
from django.db import connection

from kommune360.core.models import Format, Method, TargetGroup, Topic

from .models import Offer, Provider, SearchState

_lock = threading.Lock()
_current = None

M2M = {"methods": Method, "topics": Topic, "target_groups": TargetGroup}
CHOICES = {
    "delivery": Offer.Delivery,
    "region": Offer.Region,
    "cost_band": Offer.CostBand,
    "provider__type": Provider.Type,
}
SORT_KEYS = {
    "neu": ("-published_at", "pk"),
    "titel": ("title", "pk"),
    "geprueft": ("-last_checked", "pk"),
}


def bump() -> None:
    """Invalidate every process's snapshot (call inside the writing transaction)."""
    SearchState.objects.update_or_create(pk=1, defaults={"token": uuid.uuid4().hex})


@dataclass
class Snapshot:
    token: str
    ids: np.ndarray  # sorted offer ids of the published offers
    codes: dict = field(default_factory=dict)  # field → int16 code per position (-1: none)
    values: dict = field(default_factory=dict)  # field → list of values (code → value)
    matrices: dict = field(default_factory=dict)  # m2m field → 0/1 float32 positions × terms
    columns: dict = field(default_factory=dict)  # m2m field and "format" → {pk: column}
    certificate: np.ndarray = None
    ranks: dict = field(default_factory=dict)  # sort → rank per position
    taxonomy: dict = field(default_factory=dict)  # model → terms in display order

    @property
    def size(self):
        return len(self.ids)

    def terms_of(self, field_name, offer_id):
        """The taxonomy terms of one published offer (e.g. its target groups)."""
        found = self.positions(np.array([offer_id], dtype=np.int64))
        if not len(found):
            return []
        row = self.matrices[field_name][found[0]]
        return [t for t in self.taxonomy[M2M[field_name]] if row[self.columns[field_name][t.pk]]]

    position_of: np.ndarray = None  # offer id → position, -1 if not published

    def positions(self, offer_ids: np.ndarray) -> np.ndarray:
        """Positions of the given offer ids that are in the snapshot (published)."""
        offer_ids = offer_ids[(offer_ids >= 0) & (offer_ids < len(self.position_of))]
        found = self.position_of[offer_ids]
        return found[found >= 0]

    def mask(self, positions) -> np.ndarray:
        """A 0/1 vector over all positions, 1 at the given ones."""
        mask = np.zeros(self.size, dtype=np.float32)
        mask[positions] = 1
        return mask


def _build(token) -> Snapshot:
    published = Offer.objects.filter(status=Offer.Status.PUBLISHED)
    choice_fields = list(CHOICES)
    rows = list(
        published.order_by("pk").values_list("pk", "format_id", "certificate", *choice_fields)
    )
    ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
    snap = Snapshot(token=token, ids=ids)
    snap.position_of = np.full(int(ids.max()) + 1 if len(ids) else 0, -1, dtype=np.int64)
    snap.position_of[ids] = np.arange(len(ids))
    snap.certificate = np.fromiter((bool(r[2]) for r in rows), dtype=bool, count=len(rows))
    for model in (Format, *M2M.values()):
        snap.taxonomy[model] = list(model.objects.order_by("sort_order", "name"))
    formats = [term.pk for term in snap.taxonomy[Format]]
    snap.columns["format"] = {pk: n for n, pk in enumerate(formats)}
    snap.values["format"] = formats
    snap.codes["format"] = np.fromiter(
        (snap.columns["format"].get(r[1], -1) for r in rows), dtype=np.int16, count=len(rows)
    )
    for index, name in enumerate(choice_fields):
        values = list(CHOICES[name].values)
        lookup = {v: n for n, v in enumerate(values)}
        snap.values[name] = values
        snap.codes[name] = np.fromiter(
            (lookup.get(r[3 + index], -1) for r in rows), dtype=np.int16, count=len(rows)
        )
    for name, model in M2M.items():
        terms = [term.pk for term in snap.taxonomy[model]]
        columns = {pk: n for n, pk in enumerate(terms)}
        snap.columns[name] = columns
        matrix = np.zeros((len(rows), max(1, len(terms))), dtype=np.float32)
        through = getattr(Offer, name).through
        term_field = f"{model._meta.model_name}_id"
        pairs = np.array(
            list(
                through.objects.filter(offer__status=Offer.Status.PUBLISHED).values_list(
                    "offer_id", term_field
                )
            ),
            dtype=np.int64,
        ).reshape(-1, 2)
        pairs = pairs[np.isin(pairs[:, 0], ids)]
        if len(pairs):
            rows_at = np.searchsorted(ids, pairs[:, 0])
            term_columns = np.array([columns.get(t, -1) for t in pairs[:, 1]], dtype=np.int64)
            known = term_columns >= 0
            matrix[rows_at[known], term_columns[known]] = 1
        snap.matrices[name] = matrix
    for sort, ordering in SORT_KEYS.items():
        ordered = np.array(
            list(published.order_by(*ordering).values_list("pk", flat=True)), dtype=np.int64
        )
        rank = np.empty(len(ordered), dtype=np.int64)
        rank[snap.positions(ordered)] = np.arange(len(ordered))
        snap.ranks[sort] = rank
    return snap


def snapshot() -> Snapshot:
    """The current snapshot (one small query checks that it is still valid)."""
    global _current
    with connection.cursor() as cursor:
        cursor.execute("SELECT token FROM atlas_searchstate WHERE id = 1")
        row = cursor.fetchone()
    token = row[0] if row else ""
    current = _current
    if current is not None and current.token == token:
        return current
    with _lock:
        if _current is None or _current.token != token:
            _current = _build(token)
        return _current


def reset() -> None:
    """Forget the snapshot of this process (tests)."""
    global _current
    _current = None


def matching_ids(sql: str, params: list) -> np.ndarray:
    """Runs ``sql`` (selecting offer ids) and returns the ids as a numpy array.

    The database joins the ids into one string: reading tens of thousands of rows one
    by one would cost more than the full-text query itself.
    """
    aggregate = "string_agg(CAST(id AS TEXT), ',')"
    if connection.vendor != "postgresql":
        aggregate = "group_concat(id)"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {aggregate} FROM ({sql}) matching", params)
        text = cursor.fetchone()[0]
    if not text:
        return np.empty(0, dtype=np.int64)
    # numpy parses the string in C (about ten times faster than split() and int()).
    return np.fromstring(text, dtype=np.int64, sep=",")
