"""The pairing of a matching round: maximise the total score of the pairs under each
person's number of partners (1–3) and the exclusions.

This is a maximum-weight b-matching. It is solved exactly as a mixed-integer programme
with SciPy's ``milp`` (HiGHS): one binary variable per allowed pair, one row per person
(at most ``capacity`` pairs). Scores are computed with NumPy in blocks of rows; for
large rounds only each person's ``CANDIDATES`` best partners become variables (the
pairs nobody would choose are left out), small rounds keep every pair with a positive
score (docs/decisions/0100-matching-as-an-integer-programme.md).

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
CANDIDATES = 12  # best partners per partner wished, kept as variables in large rounds
SMALL = 400  # rounds up to this size keep every pair
BLOCK = 512  # rows of the score matrix computed at once


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


def candidate_edges(people, blocked=frozenset(), *, candidates=None):
    """Allowed pairs with a positive score as (i, j, score) with i < j (indices into
    ``people``); in large rounds only each person's best ``candidates``."""
    n = len(people)
    if n < 2:
        return []
    keep_all = candidates is None and n <= SMALL
    k = candidates or CANDIDATES
    arrays = _Arrays(people)
    position = {p.key: i for i, p in enumerate(people)}
    named = []
    for i, p in enumerate(people):
        for other in p.excluded:
            if other in position:
                named.append((i, position[other]))
    for a, b in blocked:
        if a in position and b in position:
            named.append((position[a], position[b]))
    edges = {}
    for start in range(0, n, BLOCK):
        end = min(n, start + BLOCK)
        block = arrays.block(start, end)
        for i, j in named:
            if start <= i < end:
                block[i - start, j] = -np.inf
            if start <= j < end:
                block[j - start, i] = -np.inf
        if keep_all:
            rows, cols = np.nonzero(block > 0)
        else:
            # Each person keeps ``k`` candidates per partner wished (at most 3k).
            kk = min(3 * k, n - 1)
            top = np.argpartition(-block, kk - 1, axis=1)[:, :kk]
            order = np.take_along_axis(block, top, axis=1).argsort(axis=1)[:, ::-1]
            top = np.take_along_axis(top, order, axis=1)
            wanted = np.minimum(arrays.capacity[start:end] * k, kk)
            rank = np.broadcast_to(np.arange(kk), top.shape)
            rows = np.repeat(np.arange(end - start), kk)
            cols = top.ravel()
            good = (block[rows, cols] > 0) & (rank < wanted[:, None]).ravel()
            rows, cols = rows[good], cols[good]
        values = block[rows, cols]
        for r, c, v in zip((rows + start).tolist(), cols.tolist(), values.tolist(), strict=True):
            if r != c:
                edges[(min(r, c), max(r, c))] = v
    if not arrays.exact_topics:
        edges = {(i, j): score(people[i], people[j]) for i, j in edges}
        edges = {e: v for e, v in edges.items() if v > 0}
    return [(i, j, w) for (i, j), w in sorted(edges.items())]


def _programme(n, edges, capacities):
    m = len(edges)
    rows = np.array([e[0] for e in edges] + [e[1] for e in edges], dtype=np.int64)
    cols = np.concatenate([np.arange(m), np.arange(m)])
    matrix = csr_matrix((np.ones(2 * m), (rows, cols)), shape=(n, m))
    weights = np.array([e[2] for e in edges], dtype=np.float64)
    return matrix, weights, np.array(capacities, dtype=np.float64)


def _milp(matrix, weights, caps, time_limit):
    result = milp(
        c=-weights,
        constraints=LinearConstraint(matrix, -np.inf, caps),
        integrality=np.ones(len(weights)),
        bounds=Bounds(0, 1),
        options={"time_limit": time_limit, "mip_rel_gap": 1e-6},
    )
    if result.x is None:
        raise RuntimeError(f"the pairing found no solution: {result.message}")
    return result.x > 0.5


def solve(people, blocked=frozenset(), *, candidates=None, exact=None, time_limit=30.0):
    """The pairs with the highest total score: a list of (key, key, score).

    Small rounds: the integer programme over every pair (exact). Large rounds: the
    linear relaxation first; b-matching's relaxation is integral but for a few odd
    cycles, so the pairs it takes whole are kept and the integer programme decides only
    the fractional rest under the capacities left (``bench/matching.py`` compares the
    total with the relaxation's bound).
    """
    edges = candidate_edges(people, blocked, candidates=candidates)
    if not edges:
        return []
    matrix, weights, caps = _programme(len(people), edges, [p.capacity for p in people])
    if exact is None:
        exact = len(people) <= SMALL
    if exact:
        chosen = _milp(matrix, weights, caps, time_limit)
    else:
        relaxed = linprog(-weights, A_ub=matrix, b_ub=caps, bounds=(0, 1), method="highs-ipm")
        x = relaxed.x
        chosen = x > 1 - 1e-6
        rest = np.nonzero((x > 1e-6) & ~chosen)[0]
        if len(rest):
            left = caps - matrix @ chosen.astype(np.float64)
            sub = matrix[:, rest]
            picked = _milp(sub, weights[rest], np.maximum(left, 0), time_limit)
            chosen[rest[picked]] = True
    found = np.nonzero(chosen)[0]
    return [(people[edges[e][0]].key, people[edges[e][1]].key, edges[e][2]) for e in found]


def upper_bound(people, blocked=frozenset()) -> float:
    """The LP relaxation over every allowed pair: no pairing can score more."""
    edges = candidate_edges(people, blocked, candidates=len(people))
    if not edges:
        return 0.0
    matrix, weights, caps = _programme(len(people), edges, [p.capacity for p in people])
    result = linprog(-weights, A_ub=matrix, b_ub=caps, bounds=(0, 1), method="highs-ipm")
    return -result.fun
