"""The pairing of a matching round: maximise the total score of the pairs under each
person's number of partners (1–3) and the exclusions.

This is a maximum-weight b-matching, stated as a mixed-integer programme for SciPy's
``milp``/``linprog`` (HiGHS): one variable per allowed pair, one row per person (at most
``capacity`` pairs). Scores are computed with NumPy in blocks of rows. Small rounds: the
integer programme over every pair with a positive score (exact). Large rounds: the
linear relaxation starts from each person's ``CANDIDATES`` best partners; the dual
prices of its solution call in the pairs left out that could still raise it (column
generation, "pricing") until the prices prove that they could add at most
``PRICE_GAP``; the pairs it takes whole stay, the integer programme decides around its
fractional rest (docs/decisions/0100-matching-as-an-integer-programme.md).

The module knows nothing of Django: ``Person`` holds what the score needs, so the
benchmark and the property tests use it directly.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, linprog, milp
from scipy.sparse import csr_matrix

LEADERSHIP = {"jugendamtsleitung", "verwaltungsleitung"}
PLANNING = {"jugendhilfeplanung", "sozialplanung"}
# Weights of the score (also the order of the reasons on a "Warum ihr?" card).
W_BASE = 1.0  # taking part at all: pairing someone beats leaving them alone
W_ROLES = 3.0  # Leitung meets Planung
W_SHARED = 1.0  # per shared topic, at most three
W_OFFER = 2.0  # per topic one offers and the other seeks, at most two each way
W_KIND = 1.0  # same kind of municipality
W_SIZE = 1.0  # similar size (at most twice as many inhabitants)
W_STATES = 0.5  # different Länder: other experience
W_NEIGHBOURS = -3.0  # same Kreis (when neither excluded it)
CANDIDATES = 6  # best partners per partner wished: the first variables in large rounds
SMALL = 400  # rounds up to this size keep every pair and are solved exactly
BLOCK = 512  # rows of the score matrix computed at once
KEEP_BYTES = 256 * 2**20  # keep the score matrix between pricing passes up to this size
PRICE_SLACK = 0.5  # pairs join the relaxation when their reduced score is above minus this
PRICE_MAX = 4  # at most this many new pairs per person and pricing pass
PRICE_ROUNDS = 12  # pricing passes at most (in practice two or three)
PRICE_GAP = 1e-3  # pricing stops when the pairs left out could add at most this share
MIP_GAP = 1e-6  # relative gap at which HiGHS may stop: below one point in 5,000 rounds


@dataclass(frozen=True)
class Person:
    key: int
    role: str = ""
    topics: frozenset = frozenset()
    offers: frozenset = frozenset()
    seeks: frozenset = frozenset()
    municipality: str | None = None
    district: str | None = None
    state: str | None = None
    kind: str | None = None
    population: int | None = None
    capacity: int = 1
    exclude_municipality: bool = False
    exclude_district: bool = False
    excluded: frozenset = field(default_factory=frozenset)


def _complementary(a: str, b: str) -> bool:
    return (a in LEADERSHIP and b in PLANNING) or (a in PLANNING and b in LEADERSHIP)


def allowed(a: Person, b: Person, blocked=frozenset()) -> bool:
    if a.key == b.key or b.key in a.excluded or a.key in b.excluded:
        return False
    if (a.key, b.key) in blocked or (b.key, a.key) in blocked:
        return False
    same_place = a.municipality and a.municipality == b.municipality
    if same_place and (a.exclude_municipality or b.exclude_municipality):
        return False
    same_district = a.district and a.district == b.district
    return not (same_district and (a.exclude_district or b.exclude_district))


def _similar_size(a, b) -> bool:
    if not a.population or not b.population:
        return False
    return abs(math.log(a.population) - math.log(b.population)) <= math.log(2) + 1e-12


def parts(a: Person, b: Person) -> list[tuple[str, float, dict]]:
    """The parts of the score of a pair: (reason key, weight, details)."""
    found = [("base", W_BASE, {})]
    if _complementary(a.role, b.role):
        found.append(("roles", W_ROLES, {"roles": (a.role, b.role)}))
    shared = sorted(a.topics & b.topics)
    if shared:
        found.append(("shared", W_SHARED * min(len(shared), 3), {"topics": shared[:3]}))
    for giver, taker in ((a, b), (b, a)):
        given = sorted(giver.offers & taker.seeks)
        if given:
            found.append(("offer", W_OFFER * min(len(given), 2), {"topics": given[:2]}))
    if a.kind and a.kind == b.kind:
        found.append(("kind", W_KIND, {"kind": a.kind}))
    if _similar_size(a, b):
        found.append(("size", W_SIZE, {}))
    if a.state and b.state and a.state != b.state:
        found.append(("states", W_STATES, {}))
    if a.district and a.district == b.district:
        found.append(("neighbours", W_NEIGHBOURS, {}))
    return found


def score(a: Person, b: Person) -> float:
    return sum(weight for _key, weight, _details in parts(a, b))


# --- vectorised scores -------------------------------------------------------------------


def _mask(values, index) -> int:
    mask = 0
    for value in values:
        mask |= 1 << (index.setdefault(value, len(index)) % 64)
    return mask


class _Arrays:
    """The people as NumPy columns. Topics become bit masks; with more than 64 topic
    ids two ids may share a bit, so ``exact_topics`` tells whether the masks are exact
    (else the pairs found are re-scored with ``score``)."""

    def __init__(self, people):
        topic_index: dict = {}
        self.n = len(people)
        self.topics = np.array([_mask(p.topics, topic_index) for p in people], dtype=np.uint64)
        self.offers = np.array([_mask(p.offers, topic_index) for p in people], dtype=np.uint64)
        self.seeks = np.array([_mask(p.seeks, topic_index) for p in people], dtype=np.uint64)
        self.exact_topics = len(topic_index) <= 64
        self.lead = np.array([p.role in LEADERSHIP for p in people])
        self.plan = np.array([p.role in PLANNING for p in people])
        codes: dict = {None: -1}

        def code(value):
            if value is None or value == "":
                return -1
            return codes.setdefault(value, len(codes))

        self.municipality = np.array([code(p.municipality) for p in people], dtype=np.int32)
        self.district = np.array([code(p.district) for p in people], dtype=np.int32)
        self.state = np.array([code(p.state) for p in people], dtype=np.int32)
        self.kind = np.array([code(p.kind) for p in people], dtype=np.int32)
        self.logpop = np.array(
            [math.log(p.population) if p.population else np.nan for p in people], dtype=np.float32
        )
        self.capacity = np.array([p.capacity for p in people], dtype=np.int32)
        self.excl_mun = np.array([p.exclude_municipality for p in people])
        self.excl_dis = np.array([p.exclude_district for p in people])

    def block(self, start, end):
        """Scores of rows ``start:end`` against everybody (-inf where not allowed by
        place; named exclusions and blocks are applied by the caller). Everything is
        added in place into one float32 array (no float64 temporaries)."""
        rows = slice(start, end)
        pc = np.bitwise_count
        f32 = np.float32
        s = np.full((end - start, self.n), f32(W_BASE), dtype=np.float32)

        def add(weight, values):
            np.add(s, np.multiply(values, f32(weight), dtype=np.float32), out=s)

        add(W_SHARED, np.minimum(pc(self.topics[rows, None] & self.topics[None, :]), 3))
        add(W_OFFER, np.minimum(pc(self.offers[rows, None] & self.seeks[None, :]), 2))
        add(W_OFFER, np.minimum(pc(self.seeks[rows, None] & self.offers[None, :]), 2))
        comp = (self.lead[rows, None] & self.plan[None, :]) | (
            self.plan[rows, None] & self.lead[None, :]
        )
        add(W_ROLES, comp)
        kind = self.kind[rows, None]
        add(W_KIND, (kind == self.kind[None, :]) & (kind >= 0))
        diff = np.abs(self.logpop[rows, None] - self.logpop[None, :])
        with np.errstate(invalid="ignore"):
            add(W_SIZE, diff <= f32(math.log(2) + 1e-6))
        st = self.state[rows, None]
        add(W_STATES, (st != self.state[None, :]) & (st >= 0) & (self.state[None, :] >= 0))
        dis = self.district[rows, None]
        same_dis = (dis == self.district[None, :]) & (dis >= 0)
        add(W_NEIGHBOURS, same_dis)
        mun = self.municipality[rows, None]
        same_mun = (mun == self.municipality[None, :]) & (mun >= 0)
        forbidden = same_mun & (self.excl_mun[rows, None] | self.excl_mun[None, :])
        forbidden |= same_dis & (self.excl_dis[rows, None] | self.excl_dis[None, :])
        s[forbidden] = -np.inf
        idx = np.arange(start, end)
        s[idx - start, idx] = -np.inf
        return s


class _Scores:
    """The score matrix with every exclusion applied (-inf), row block by row block.
    Blocks are kept while the whole matrix stays under ``KEEP_BYTES``, so pricing
    passes reuse them; larger rounds recompute them."""

    def __init__(self, people, blocked=frozenset()):
        self.people = people
        self.n = len(people)
        self.arrays = _Arrays(people)
        position = {p.key: i for i, p in enumerate(people)}
        named = [
            (i, position[other])
            for i, p in enumerate(people)
            for other in p.excluded
            if other in position
        ]
        named += [(position[a], position[b]) for a, b in blocked if a in position and b in position]
        pairs = np.array(named, dtype=np.int64).reshape(-1, 2)
        self.named_rows = np.concatenate([pairs[:, 0], pairs[:, 1]])
        self.named_cols = np.concatenate([pairs[:, 1], pairs[:, 0]])
        self.kept = {} if self.n * self.n * 4 <= KEEP_BYTES else None

    def block(self, start, end):
        if self.kept is not None and start in self.kept:
            return self.kept[start]
        found = self.arrays.block(start, end)
        here = (self.named_rows >= start) & (self.named_rows < end)
        found[self.named_rows[here] - start, self.named_cols[here]] = -np.inf
        if self.kept is not None:
            self.kept[start] = found
        return found

    def blocks(self):
        for start in range(0, self.n, BLOCK):
            end = min(self.n, start + BLOCK)
            yield start, self.block(start, end)


def _unique(n, rows, cols, values):
    """Pairs as (i, j, score) arrays with i < j, each pair once, sorted."""
    low, high = np.minimum(rows, cols), np.maximum(rows, cols)
    codes, first = np.unique(low * n + high, return_index=True)
    return codes // n, codes % n, values[first].astype(np.float64)


def _candidates(scores, k=None):
    """Allowed pairs with a positive score; with ``k``, only each person's best ``k``
    per partner wished."""
    n = scores.n
    found_rows, found_cols, found_values = [], [], []
    for start, block in scores.blocks():
        end = start + len(block)
        if k is None:
            rows, cols = np.nonzero(block > 0)
        else:
            kk = min(3 * k, n - 1)
            top = np.argpartition(-block, kk - 1, axis=1)[:, :kk]
            order = np.argsort(-np.take_along_axis(block, top, axis=1), axis=1, kind="stable")
            top = np.take_along_axis(top, order, axis=1)
            wanted = np.minimum(scores.arrays.capacity[start:end] * k, kk)
            keep = np.arange(kk)[None, :] < wanted[:, None]
            rows = np.broadcast_to(np.arange(end - start)[:, None], top.shape)[keep]
            cols = top[keep]
            positive = block[rows, cols] > 0
            rows, cols = rows[positive], cols[positive]
        found_rows.append(rows + start)
        found_cols.append(cols)
        found_values.append(block[rows, cols])
    rows = np.concatenate(found_rows).astype(np.int64)
    cols = np.concatenate(found_cols).astype(np.int64)
    i, j, w = _unique(n, rows, cols, np.concatenate(found_values))
    if not scores.arrays.exact_topics:
        people = scores.people
        w = np.array([score(people[a], people[b]) for a, b in zip(i, j, strict=True)])
        positive = w > 0
        i, j, w = i[positive], j[positive], w[positive]
    return i, j, w


def candidate_edges(people, blocked=frozenset(), *, candidates=None):
    """Allowed pairs with a positive score as (i, j, score) with i < j (indices into
    ``people``); with ``candidates``, or in large rounds, only each person's best."""
    if len(people) < 2:
        return []
    k = None if candidates is None and len(people) <= SMALL else candidates or CANDIDATES
    i, j, w = _candidates(_Scores(people, blocked), k)
    return list(zip(i.tolist(), j.tolist(), w.tolist(), strict=True))


def _matrix(n, i, j):
    m = len(i)
    cols = np.concatenate([np.arange(m), np.arange(m)])
    return csr_matrix((np.ones(2 * m), (np.concatenate([i, j]), cols)), shape=(n, m))


def _milp(matrix, weights, caps, time_limit):
    """The best 0/1 choice within ``time_limit``; ``None`` if none was found in time."""
    result = milp(
        c=-weights,
        constraints=LinearConstraint(matrix, -np.inf, caps),
        integrality=np.ones(len(weights)),
        bounds=Bounds(0, 1),
        options={"time_limit": time_limit, "mip_rel_gap": MIP_GAP},
    )
    return None if result.x is None else result.x > 0.5


def _relaxation(matrix, weights, caps):
    result = linprog(-weights, A_ub=matrix, b_ub=caps, bounds=(0, 1), method="highs-ipm")
    if result.x is None:
        raise RuntimeError(f"the pairing's relaxation failed: {result.message}")
    return result.x, -result.ineqlin.marginals, -result.fun


def _price(scores, duals, i, j):
    """Pairs not yet variables whose reduced score (score minus both people's dual
    prices) is positive — they could raise the relaxation's value — or nearly so (they
    may once the prices move), and the bound the duals give: capacities times prices
    plus every positive reduced score (weak duality: the relaxation over every pair,
    and so every pairing, scores at most this)."""
    n = scores.n
    bound = float(scores.arrays.capacity @ duals)
    found_rows, found_cols, found_values = [], [], []
    for start, block in scores.blocks():
        end = start + len(block)
        reduced = block - duals[start:end, None] - duals[None, :]
        reduced[block <= 0] = -np.inf
        rows, cols = np.nonzero(reduced > 0)
        upper = cols > rows + start
        bound += float(reduced[rows[upper], cols[upper]].sum(dtype=np.float64))
        here = (i >= start) & (i < end)  # pairs that are variables already
        reduced[i[here] - start, j[here]] = -np.inf
        rows, cols = np.nonzero(reduced > -PRICE_SLACK)
        upper = cols > rows + start
        rows, cols = rows[upper], cols[upper]
        found_rows.append(rows + start)
        found_cols.append(cols)
        found_values.append(block[rows, cols])
    rows = np.concatenate(found_rows).astype(np.int64)
    cols = np.concatenate(found_cols).astype(np.int64)
    values = np.concatenate(found_values)
    if len(rows) > PRICE_MAX * n:
        reduced = values - duals[rows] - duals[cols]
        best = np.argpartition(-reduced, PRICE_MAX * n - 1)[: PRICE_MAX * n]
        rows, cols, values = rows[best], cols[best], values[best]
    return _unique(n, rows, cols, values), bound


def _priced(people, blocked, k):
    """The linear relaxation over every allowed pair, solved over few of them: start
    with each person's best ``k`` per partner wished, add the pairs the dual prices
    call for, until the duals prove that the rest could add at most ``PRICE_GAP``.
    Returns the pairs, the relaxation's solution and an upper bound of every pairing."""
    scores = _Scores(people, blocked)
    n = scores.n
    caps = scores.arrays.capacity.astype(np.float64)
    i, j, w = _candidates(scores, k)
    if not len(i):
        return i, j, w, np.zeros(0), 0.0
    for _round in range(PRICE_ROUNDS):
        x, duals, value = _relaxation(_matrix(n, i, j), w, caps)
        if not scores.arrays.exact_topics:
            return i, j, w, x, value  # scores of bit masks may be too high: no pricing
        more, bound = _price(scores, duals, i, j)
        if not len(more[0]) or bound - value <= PRICE_GAP * max(value, 1.0):
            return i, j, w, x, max(bound, value)
        i, j, w = (np.concatenate(pair) for pair in zip((i, j, w), more, strict=True))
        order = np.argsort(i * n + j, kind="stable")
        i, j, w = i[order], j[order], w[order]
    x, duals, value = _relaxation(_matrix(n, i, j), w, caps)
    return i, j, w, x, _price(scores, duals, i, j)[1]


def _round_off(n, i, j, w, x, caps, time_limit):
    """Integer pairs from the relaxation. b-matching's relaxation is integral but for a
    few odd cycles: the pairs it takes whole stay, except around the fractional ones,
    where the integer programme decides over every candidate pair among those people."""
    whole = x > 1 - 1e-6
    fractional = (x > 1e-6) & ~whole
    if not fractional.any():
        return whole
    touched = np.zeros(n, dtype=bool)
    touched[i[fractional]] = touched[j[fractional]] = True
    rest = touched[i] & touched[j] & (w > 0)
    chosen = whole & ~rest
    left = caps - np.bincount(i[chosen], minlength=n) - np.bincount(j[chosen], minlength=n)
    index = np.nonzero(rest)[0]
    picked = _milp(_matrix(n, i[index], j[index]), w[index], np.maximum(left, 0), time_limit)
    if picked is None:  # no integer answer in time: the whole pairs alone are feasible
        return whole
    chosen[index[picked]] = True
    return chosen


def solve(people, blocked=frozenset(), *, candidates=None, exact=None, time_limit=30.0):
    """The pairs with the highest total score: a list of (key, key, score).

    Small rounds: the integer programme over every pair (exact). Large rounds:
    ``solve_large``; ``bench/matching.py`` compares its total with the exact optimum.
    """
    n = len(people)
    if n < 2:
        return []
    if exact is None:
        exact = n <= SMALL
    if not exact:
        return solve_large(people, blocked, candidates=candidates, time_limit=time_limit)[0]
    k = None if candidates is None and n <= SMALL else candidates or CANDIDATES
    i, j, w = _candidates(_Scores(people, blocked), k)
    if not len(i):
        return []
    caps = np.array([p.capacity for p in people], dtype=np.float64)
    chosen = _milp(_matrix(n, i, j), w, caps, time_limit)
    if chosen is None:
        raise RuntimeError("the pairing found no solution in time")
    found = np.nonzero(chosen)[0]
    return [(people[i[e]].key, people[j[e]].key, float(w[e])) for e in found]


def solve_large(people, blocked=frozenset(), *, candidates=None, time_limit=30.0):
    """The pairing of a large round and an upper bound of every pairing's total:
    the linear relaxation over every pair by pricing (``_priced``), then the integer
    programme on the people of its fractional part (``_round_off``). The total divided
    by the bound is a guarantee: the optimum lies in between."""
    n = len(people)
    if n < 2:
        return [], 0.0
    i, j, w, x, bound = _priced(people, blocked, candidates or CANDIDATES)
    if not len(i):
        return [], 0.0
    caps = np.array([p.capacity for p in people], dtype=np.float64)
    found = np.nonzero(_round_off(n, i, j, w, x, caps, time_limit))[0]
    return [(people[i[e]].key, people[j[e]].key, float(w[e])) for e in found], bound


def upper_bound(people, blocked=frozenset()) -> float:
    """The linear relaxation over every allowed pair: no pairing can score more."""
    if len(people) < 2:
        return 0.0
    return _priced(people, blocked, CANDIDATES)[4]
