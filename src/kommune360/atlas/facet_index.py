"""Search, facet counts, filters and sorting of the offer list over an in-memory snapshot.

Counting facets in SQL means touching every matching offer row once per facet; at
50,000 offers and a common word (half of them match) that cost 30 to 100 times the
database's own full-text query (docs/decisions/0011). Asking the database's full-text
index for the matching ids, and once more per word for the relevance, still cost two
to three times its bare query on PostgreSQL (docs/decisions/0012). Instead, each
process keeps a *snapshot* of all published offers as numpy arrays (about 25 MB at
50,000 offers):

- the search words: an inverted index over the same stems the database indexes
  (``OfferSearchText``). The stems are numbered in sorted order, so all stems that
  begin with a query stem form one range of numbers, and their postings (positions,
  with a flag for title and provider name) one slice of an array; a word is one slice,
  the relevance the flags in it. A stem found in many offers (``dense_share``) is kept
  packed into bits as well: a word found in half the offers is then an ``or`` of a few
  rows of 782 words instead of setting 27,000 positions;
- facet filters are boolean masks (one per facet value, kept with the snapshot), the
  facet counts one bitwise ``and`` and population count per value over the result
  packed into bits (``value_counts``: 50 values × 782 words of 64 bits at 50,000
  offers, whatever the number of matches); a search works on such packed vectors
  throughout (words, filters, counts), and the matches' positions are unpacked only
  for a list order or a page (``Matches``); the order is one key per match from
  precomputed ranks (taken from the database's own ``ORDER BY``, so the order is the
  one ``results()`` gives), worked out only when a list order is asked, and only the
  page shown is put in order (``argpartition``);
- only the offers of the current page are read from the database.

The database's full-text index stays the other path to the same result: exports, the
site search and ``results()`` filter with it, and tests hold both paths to the same
ids and order.

The snapshot is valid as long as ``SearchState.token`` is unchanged: every change that
can touch a facet, a sort key or the published set writes a new random token in the
same transaction (``bump``), so all processes see the change with the commit, and a
rolled-back change leaves the old token behind.
"""

import bisect
import itertools
import threading
import uuid
from dataclasses import dataclass, field

import numpy as np
from django.db import connection

from kommune360.core import german, synonyms
from kommune360.core.models import Format, Method, Municipality, TargetGroup, Topic

from .models import Offer, OfferSearchText, Provider, SearchState

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
    terms: dict = field(default_factory=dict)  # m2m field → bool terms × positions
    columns: dict = field(default_factory=dict)  # m2m field and "format" → {pk: column}
    # Facet field → bool values × positions: the offers with each value (code or column).
    masks: dict = field(default_factory=dict)
    # Every facet value's mask and the certificate's, packed into 64-bit words (one row
    # each; ``rows``: field → its slice of rows, in code or column order).
    bits: np.ndarray = None
    rows: dict = field(default_factory=dict)
    all_counts: np.ndarray = None  # ``value_counts()`` of every offer
    certificate: np.ndarray = None
    ranks: dict = field(default_factory=dict)  # sort → rank per position
    taxonomy: dict = field(default_factory=dict)  # model → terms in display order
    # Provider id → (name, kind): a provider's change re-indexes its offers, which bumps.
    providers: dict = field(default_factory=dict)
    # Municipality id → name, of the published offers' municipalities (a change bumps).
    municipalities: dict = field(default_factory=dict)
    # The synonyms' table and terms (``core.synonyms.read``): a group's change bumps.
    synonyms: dict = field(default_factory=dict)
    # What is worked out from the snapshot on first use: names per position
    # (``names_of``), the facets' values and labels per language (``OfferQuery``).
    derived: dict = field(default_factory=dict)
    # The inverted index: the postings of stem number n are postings[starts[n]:starts[n + 1]].
    stems: list = field(default_factory=list)  # sorted
    starts: np.ndarray = None
    postings: np.ndarray = None  # positions (int32)
    heavy: np.ndarray = None  # per posting: the stem is in the title or provider name
    # The stems found in many offers, packed (one row each, in stem order): the rows of
    # stems first to end - 1 are dense[dense_starts[first]:dense_starts[end]]; the
    # postings of the other stems are sparse_postings[sparse_starts[n]:sparse_starts[n + 1]].
    dense: np.ndarray = None
    dense_starts: np.ndarray = None
    sparse_starts: np.ndarray = None
    sparse_postings: np.ndarray = None

    @property
    def size(self):
        return len(self.ids)

    def terms_of_many(self, field_name, offer_ids) -> dict:
        """Offer id → its taxonomy terms, for the published ones of ``offer_ids``."""
        offer_ids = np.array(offer_ids, dtype=np.int64)
        offer_ids = offer_ids[(offer_ids >= 0) & (offer_ids < len(self.position_of))]
        positions = self.position_of[offer_ids]
        offer_ids = offer_ids[positions >= 0]
        # Columns are in display order: the pairs (offer, column) come out in that order.
        terms = self.taxonomy[M2M[field_name]]
        found = {int(pk): [] for pk in offer_ids}
        ids = offer_ids.tolist()
        rows, columns = np.nonzero(self.terms[field_name][:, positions[positions >= 0]].T)
        for row, column in zip(rows.tolist(), columns.tolist(), strict=True):
            found[ids[row]].append(terms[column])
        return found

    def pack(self, mask) -> np.ndarray:
        """Boolean vectors (the last axis: positions) as 64-bit words."""
        packed = np.packbits(mask, axis=-1)
        words = np.zeros((*packed.shape[:-1], -(-self.size // 64) * 8), dtype=np.uint8)
        words[..., : packed.shape[-1]] = packed
        return words.view(np.uint64)

    def names_of(self, field_name, offer_ids) -> list[tuple]:
        """The names of each offer's taxonomy terms of ``field_name`` (in display order),
        for ``offer_ids``; none for an offer the snapshot does not hold."""
        key = ("names", field_name)
        by_position = self.derive(key, lambda: self._names_by_position(field_name))
        positions = self.position_each(np.asarray(offer_ids, dtype=np.int64))
        return [by_position[n] if n >= 0 else () for n in positions.tolist()]

    def derive(self, key, compute):
        """``compute()``, worked out once per snapshot and kept in ``derived``."""
        found = self.derived.get(key)
        if found is None:
            found = self.derived[key] = compute()
        return found

    def _names_by_position(self, field_name) -> list[tuple]:
        names = [term.name for term in self.taxonomy[M2M[field_name]]]
        each = [[] for _ in range(self.size)]
        positions, columns = np.nonzero(self.terms[field_name].T)
        for position, column in zip(positions.tolist(), columns.tolist(), strict=True):
            each[position].append(names[column])
        alike = {}  # offers with the same terms share one tuple
        return [alike.setdefault(tuple(found), tuple(found)) for found in each]

    def any_of_packed(self, field_name, chosen) -> np.ndarray:
        """The offers having one of the values (codes or columns) ``chosen`` of
        ``field_name``, packed: a row of ``bits`` or the ``or`` of several."""
        rows = self.bits[self.rows[field_name]]
        if len(chosen) == 1:
            return rows[chosen[0]]
        if not chosen:
            return np.zeros(self.bits.shape[1], dtype=np.uint64)
        return np.bitwise_or.reduce(rows[chosen], axis=0)

    def certificate_packed(self) -> np.ndarray:
        return self.bits[self.rows["certificate"].start]

    def unpack(self, packed) -> np.ndarray:
        """A packed vector as a boolean vector over all positions."""
        return np.unpackbits(packed.view(np.uint8), count=self.size).view(bool)

    @staticmethod
    def count(packed) -> int:
        return int(np.bitwise_count(packed).sum())

    def value_counts(self, keep=None) -> np.ndarray:
        """Per row of ``bits``: the offers of ``keep`` (a packed vector, ``None``: all)
        with that value."""
        if keep is None:
            return self.all_counts
        return np.bitwise_count(self.bits & keep).sum(axis=1)

    def counts_of(self, field_name, counts) -> np.ndarray:
        """``field_name``'s part of ``value_counts()``, in code or column order."""
        return counts[self.rows[field_name]]

    position_of: np.ndarray = None  # offer id → position, -1 if not published

    def position_each(self, offer_ids: np.ndarray) -> np.ndarray:
        """The position of each of the given offer ids, -1 if the snapshot lacks it."""
        inside = (offer_ids >= 0) & (offer_ids < len(self.position_of))
        found = np.full(len(offer_ids), -1, dtype=np.int64)
        found[inside] = self.position_of[offer_ids[inside]]
        return found

    def positions(self, offer_ids: np.ndarray) -> np.ndarray:
        """Positions of the given offer ids that are in the snapshot (published)."""
        found = self.position_each(offer_ids)
        return found[found >= 0]

    def _stem_range(self, prefix) -> tuple[int, int]:
        """The numbers of the stems beginning with ``prefix``: ``first`` to ``end - 1``."""
        first = bisect.bisect_left(self.stems, prefix)
        return first, bisect.bisect_left(self.stems, prefix + "\U0010ffff", first)

    def _prefix(self, prefix) -> tuple[np.ndarray, np.ndarray]:
        """Postings of every stem beginning with ``prefix``, and their title flags."""
        first, end = self._stem_range(prefix)
        start, stop = self.starts[first], self.starts[end]
        return self.postings[start:stop], self.heavy[start:stop]

    def _alternative(self, alternative) -> tuple[np.ndarray, np.ndarray]:
        """Offers having every stem of one alternative (as the start of a word), and
        those having all of them in the title or provider name."""
        found = heavy = None
        for prefix in german.prefixes(alternative):
            postings, flags = self._prefix(prefix)
            part = np.zeros(self.size, dtype=bool)
            part[postings] = True
            part_heavy = np.zeros(self.size, dtype=bool)
            part_heavy[postings[flags]] = True
            found = part if found is None else found & part
            heavy = part_heavy if heavy is None else heavy & part_heavy
        return found, heavy

    def hits(self, alternatives, *, heavy=False) -> np.ndarray:
        """Offers matching one of ``alternatives`` (``heavy``: in the title or provider
        name), a boolean vector over all positions."""
        found = np.zeros(self.size, dtype=bool)
        for alternative in alternatives:
            if " " not in alternative:  # one stem: set the bits straight from its slice
                postings, flags = self._prefix(alternative)
                found[postings[flags] if heavy else postings] = True
            else:
                more, more_heavy = self._alternative(alternative)
                found |= more_heavy if heavy else more
        return found

    def hits_packed(self, alternatives) -> np.ndarray:
        """``hits(alternatives)`` packed: the dense stems' rows ``or``-ed, the other
        stems' postings set in a boolean vector packed once."""
        scattered = None
        blocks = []
        for alternative in alternatives:
            if " " in alternative:
                more, _heavy = self._alternative(alternative)
                scattered = more if scattered is None else scattered | more
                continue
            first, end = self._stem_range(alternative)
            start, stop = self.dense_starts[first], self.dense_starts[end]
            if stop > start:
                blocks.append(self.dense[start:stop])
            start, stop = self.sparse_starts[first], self.sparse_starts[end]
            if stop > start:
                if scattered is None:
                    scattered = np.zeros(self.size, dtype=bool)
                scattered[self.sparse_postings[start:stop]] = True
        if scattered is None:
            found = np.zeros(self.bits.shape[1], dtype=np.uint64)
        else:
            found = self.pack(scattered)
        for block in blocks:
            found |= np.bitwise_or.reduce(block, axis=0)
        return found


class Matches:
    """The matches of a search (a packed vector, ``None``: every offer) in id order:
    their number, and the smallest ids after a given one (a page of the API), found by
    unpacking only as much of the vector as the page needs."""

    CHUNK = 4096  # positions unpacked at a time

    def __init__(self, snap, keep, total):
        self.snapshot, self.keep, self.total = snap, keep, total

    def __len__(self):
        return self.total

    def first_after(self, after: int, count: int) -> list[int]:
        snap = self.snapshot
        start = int(np.searchsorted(snap.ids, after, side="right"))
        if self.keep is None:
            return snap.ids[start : start + count].tolist()
        found = []
        octets = self.keep.view(np.uint8)
        at = start - start % 8
        while at < snap.size and len(found) < count:
            bits = np.unpackbits(octets[at // 8 : (at + self.CHUNK) // 8])
            positions = np.flatnonzero(bits) + at
            positions = positions[(positions >= start) & (positions < snap.size)]
            found.extend(positions[: count - len(found)].tolist())
            at += self.CHUNK
        return snap.ids[found].tolist()


def _rows(queryset, *fields) -> list[tuple]:
    """``values_list`` rows straight from the cursor (the ORM's row-by-row conversion
    would cost more than the query at 50,000 offers; these fields need none)."""
    sql, params = queryset.values_list(*fields).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _integers(rows, columns=1) -> np.ndarray:
    return np.array(rows, dtype=np.int64).reshape(-1, columns)


def _build(token) -> Snapshot:
    published = Offer.objects.filter(status=Offer.Status.PUBLISHED)
    choice_fields = list(CHOICES)
    rows = _rows(published.order_by("pk"), "pk", "format_id", "certificate", *choice_fields)
    ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
    snap = Snapshot(token=token, ids=ids)
    snap.position_of = np.full(int(ids.max()) + 1 if len(ids) else 0, -1, dtype=np.int64)
    snap.position_of[ids] = np.arange(len(ids))
    snap.certificate = np.fromiter((bool(r[2]) for r in rows), dtype=bool, count=len(rows))
    for model in (Format, *M2M.values()):
        snap.taxonomy[model] = list(model.objects.order_by("sort_order", "name"))
    snap.synonyms = synonyms.read()
    snap.municipalities = dict(
        _rows(
            Municipality.objects.filter(pk__in=published.values("municipality_id")).order_by(),
            "pk",
            "name",
        )
    )
    snap.providers = {
        pk: (name, kind)
        for pk, name, kind in _rows(Provider.objects.order_by(), "pk", "name", "type")
    }
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
    del rows
    for name, model in M2M.items():
        terms = [term.pk for term in snap.taxonomy[model]]
        columns = {pk: n for n, pk in enumerate(terms)}
        snap.columns[name] = columns
        matrix = np.zeros((len(ids), max(1, len(terms))), dtype=bool)
        through = getattr(Offer, name).through
        term_field = f"{model._meta.model_name}_id"
        pairs = _integers(
            _rows(
                through.objects.filter(offer__status=Offer.Status.PUBLISHED),
                "offer_id",
                term_field,
            ),
            2,
        )
        pairs = pairs[np.isin(pairs[:, 0], ids)]
        if len(pairs):
            rows_at = np.searchsorted(ids, pairs[:, 0])
            lookup = np.full(max(terms, default=0) + 1, -1, dtype=np.int64)
            lookup[terms] = np.arange(len(terms))
            known = pairs[:, 1] < len(lookup)
            term_columns = np.full(len(pairs), -1, dtype=np.int64)
            term_columns[known] = lookup[pairs[known, 1]]
            known = term_columns >= 0
            matrix[rows_at[known], term_columns[known]] = True
        snap.terms[name] = snap.masks[name] = np.ascontiguousarray(matrix.T > 0)
    for sort, ordering in SORT_KEYS.items():
        ordered = _integers(_rows(published.order_by(*ordering), "pk")).ravel()
        rank = np.empty(len(ordered), dtype=np.int64)
        rank[snap.positions(ordered)] = np.arange(len(ordered))
        snap.ranks[sort] = rank
    _build_bits(snap)
    _build_text_index(snap)
    return snap


def _build_bits(snap) -> None:
    """The masks of the coded facets, and every value's mask packed (``bits``)."""
    for name, codes in snap.codes.items():
        numbers = np.arange(len(snap.values[name]), dtype=np.int16)
        snap.masks[name] = codes[None, :] == numbers[:, None]
    parts, start = [], 0
    for name, masks in [*snap.masks.items(), ("certificate", snap.certificate[None, :])]:
        snap.rows[name] = slice(start, start + len(masks))
        start += len(masks)
        parts.append(snap.pack(masks))
    snap.bits = np.concatenate(parts)
    snap.all_counts = np.bitwise_count(snap.bits).sum(axis=1)


def _build_text_index(snap) -> None:
    """The inverted index over the stems of ``OfferSearchText`` (see the module text)."""
    texts = _rows(
        OfferSearchText.objects.filter(offer__status=Offer.Status.PUBLISHED),
        "offer_id",
        "heavy",
        "light",
    )
    owners, lengths, tokens = [], [], []
    for offer_id, heavy, light in texts:
        heavy, light = heavy.split(), light.split()
        owners.append(offer_id)
        lengths += (len(heavy), len(light))
        tokens += (heavy, light)
    del texts
    stems = sorted(set(itertools.chain.from_iterable(tokens)))
    number = {stem: n for n, stem in enumerate(stems)}
    lengths = np.array(lengths, dtype=np.int64)
    count = int(lengths.sum())
    stem_of = np.fromiter(
        map(number.__getitem__, itertools.chain.from_iterable(tokens)), dtype=np.int32, count=count
    )
    del tokens, number
    # Each offer's text is one heavy and one light run of tokens. An offer published
    # after the offers were read has no position (the next token rebuilds anyway).
    owners = np.array(owners, dtype=np.int64)
    positions = np.full(len(owners), -1, dtype=np.int64)
    inside = owners < len(snap.position_of)
    positions[inside] = snap.position_of[owners[inside]]
    owner_of = np.repeat(np.repeat(positions, 2), lengths)
    heavy = np.repeat(np.tile(np.array([True, False]), len(positions)), lengths)
    if not (known := owner_of >= 0).all():
        stem_of, owner_of, heavy = stem_of[known], owner_of[known], heavy[known]
    owner_of = owner_of.astype(np.int32)
    order = np.argsort(stem_of, kind="stable")
    snap.stems = stems
    snap.postings = owner_of[order]
    snap.heavy = heavy[order]
    snap.starts = np.zeros(len(stems) + 1, dtype=np.int64)
    np.cumsum(np.bincount(stem_of, minlength=len(stems)), out=snap.starts[1:])
    _build_dense(snap)


def dense_share(size) -> int:
    """A stem found this many times or more is kept packed: one row of ``size / 64``
    words costs no more to ``or`` than setting ``size / 32`` positions, and the rows
    take at most four bytes per posting (at 50,000 offers, stems in 1,563 offers or
    more). In a small atlas (tests) nearly every stem is dense."""
    return max(1, size // 32)


def _build_dense(snap) -> None:
    lengths = np.diff(snap.starts)
    dense = lengths >= dense_share(snap.size)
    snap.dense_starts = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(dense, out=snap.dense_starts[1:])
    parts = [np.zeros((0, -(-snap.size // 64)), dtype=np.uint64)]
    numbers = np.flatnonzero(dense)
    for chunk in range(0, len(numbers), 256):  # a bounded boolean matrix at a time
        rows = np.zeros((len(numbers[chunk : chunk + 256]), snap.size), dtype=bool)
        for row, n in enumerate(numbers[chunk : chunk + 256]):
            rows[row, snap.postings[snap.starts[n] : snap.starts[n + 1]]] = True
        parts.append(snap.pack(rows))
    snap.dense = np.concatenate(parts)
    snap.sparse_postings = snap.postings[~np.repeat(dense, lengths)]
    snap.sparse_starts = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(np.where(dense, 0, lengths), out=snap.sparse_starts[1:])


TOKEN_SQL = "SELECT token FROM atlas_searchstate WHERE id = 1"


def read_token() -> str:
    """The token of the snapshot the database holds (one small query)."""
    with connection.cursor() as cursor:
        cursor.execute(TOKEN_SQL)
        row = cursor.fetchone()
    return row[0] if row else ""


def snapshot(token=None) -> Snapshot:
    """The current snapshot (one small query checks that it is still valid; ``token``:
    the one just read with another query instead)."""
    global _current
    if token is None:
        token = read_token()
    current = _current
    if current is not None and current.token == token:
        return current
    with _lock:
        if _current is None or _current.token != token:
            _current = _build(token)
        return _current


def unchecked() -> Snapshot:
    """This process's snapshot without checking it (``snapshot()`` before the first);
    for code that reads the token with its own query and checks ``token`` itself (the
    API's offers page reads it with the page's rows)."""
    return _current or snapshot()


def reset() -> None:
    """Forget the snapshot of this process (tests)."""
    global _current
    _current = None
