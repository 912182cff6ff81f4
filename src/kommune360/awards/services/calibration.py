"""Calibration of the jury's scores.

Each submitted review gets a weighted score (criteria weighted as the round says) and a
plain mean. Jurors differ in how strictly they score, so each juror's weighted scores
are normalised to z-scores over the round. Per application: the mean, the weighted
mean, the normalised mean (mean z), the standard deviation of the weighted scores and a
disagreement flag (spread of at least ``DISAGREEMENT_SD`` scale points, or
recommendations both for and against). The rank range comes from a bootstrap: the
reviews of each application are drawn again with replacement ``BOOTSTRAP`` times, the
applications ranked by mean z each time, and the 5th and 95th percentile of the ranks
kept — wide ranges show the jury where the order is uncertain.

Everything is computed from two value queries, whatever the number of applications,
in a few numpy passes (no Python loop over reviews or scores; the bootstrap draws all
applications with the same number of reviews at once).
"""

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
from django.core.cache import cache
from django.db.models import Count, Max, Q, Sum
from django.db.models.functions import Coalesce

from ..models import Criterion, Review, Score

DISAGREEMENT_SD = 1.0
BOOTSTRAP = 200
SEED = 20250121
FOR = {Review.Recommendation.AWARD, Review.Recommendation.SEAL}
AGAINST = {Review.Recommendation.NOT}


@dataclass
class Figures:
    application_id: int
    reviews: int = 0
    mean: float | None = None
    weighted: float | None = None
    normalised: float | None = None
    sd: float | None = None
    disagreement: bool = False
    rank: int | None = None
    rank_low: int | None = None
    rank_high: int | None = None
    z_scores: list = field(default_factory=list)

    @property
    def rank_range(self) -> str:
        if self.rank_low is None:
            return ""
        if self.rank_low == self.rank_high:
            return str(self.rank_low)
        return f"{self.rank_low}–{self.rank_high}"

    @property
    def uncertain(self) -> bool:
        return self.rank_low is not None and self.rank_high - self.rank_low >= 3


@dataclass
class Scored:
    """The submitted reviews of a round, one entry per review (ordered by id) in
    parallel arrays: application, juror (-1 once erased), whether the recommendation is
    for or against, the weighted and the plain score."""

    application: np.ndarray
    juror: np.ndarray
    for_: np.ndarray
    against: np.ndarray
    weighted: np.ndarray
    plain: np.ndarray

    def __len__(self):
        return len(self.application)


def review_scores(round_, application_ids=None) -> Scored:
    """The weighted and plain score of each submitted review of the round: two value
    queries, summed with numpy in the order the scores come (per review by criterion)."""
    reviews = Review.objects.filter(application__round=round_, submitted_at__isnull=False)
    if application_ids is not None:
        reviews = reviews.filter(application_id__in=application_ids)
    rows = list(
        reviews.order_by("pk").values_list("pk", "application_id", "juror_id", "recommendation")
    )
    scores = list(
        Score.objects.filter(review__in=reviews.values("pk"))
        .order_by("review_id", "criterion_id")
        .values_list("review_id", "value", "criterion__weight", "criterion__scale_max")
    )
    if not rows or not scores:
        empty = np.empty(0)
        return Scored(empty.astype(int), empty.astype(int), empty > 0, empty > 0, empty, empty)
    review_ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
    table = np.array(scores, dtype=np.int64)
    position = np.searchsorted(review_ids, table[:, 0])
    value, weight, scale = table[:, 1], table[:, 2].astype(float), table[:, 3]
    # Scales may differ per criterion: score on a common 1–5 scale.
    normalised = 1 + (value - 1) * 4 / np.maximum(scale - 1, 1)
    size = len(rows)
    weighted_sum = np.bincount(position, weights=weight * normalised, minlength=size)
    weight_sum = np.bincount(position, weights=weight, minlength=size)
    plain_sum = np.bincount(position, weights=normalised, minlength=size)
    count = np.bincount(position, minlength=size)
    keep = (count > 0) & (weight_sum != 0)
    recommendations = [r[3] for r in rows]
    return Scored(
        application=np.fromiter((r[1] for r in rows), dtype=np.int64, count=size)[keep],
        juror=np.fromiter((-1 if r[2] is None else r[2] for r in rows), dtype=np.int64, count=size)[
            keep
        ],
        for_=np.array([r in FOR for r in recommendations], dtype=bool)[keep],
        against=np.array([r in AGAINST for r in recommendations], dtype=bool)[keep],
        weighted=(weighted_sum[keep] / weight_sum[keep]),
        plain=(plain_sum[keep] / np.maximum(count[keep], 1)),
    )


def calibrate(round_, *, bootstrap=BOOTSTRAP, scored=None) -> dict[int, Figures]:
    """The figures of each reviewed application, vectorised: the work is a few numpy
    passes over the reviews plus the bootstrap, whatever the number of applications."""
    scored = review_scores(round_) if scored is None else scored
    if not len(scored):
        return {}
    weighted = scored.weighted
    # Per juror: mean and standard deviation of their weighted scores, then z-scores.
    jurors, juror_of = np.unique(scored.juror, return_inverse=True)
    order = np.argsort(juror_of, kind="stable")
    bounds = np.searchsorted(juror_of[order], np.arange(len(jurors) + 1))
    z = np.zeros(len(weighted))
    for n in range(len(jurors)):
        members = order[bounds[n] : bounds[n + 1]]
        values = weighted[members]
        sd = values.std()
        if sd > 1e-9:
            z[members] = (values - values.mean()) / sd
    # Per application.
    apps, app_of = np.unique(scored.application, return_inverse=True)
    size = len(apps)
    count = np.bincount(app_of, minlength=size)
    mean = np.bincount(app_of, weights=scored.plain, minlength=size) / count
    weighted_mean = np.bincount(app_of, weights=weighted, minlength=size) / count
    normalised = np.bincount(app_of, weights=z, minlength=size) / count
    squares = np.bincount(app_of, weights=(weighted - weighted_mean[app_of]) ** 2, minlength=size)
    sd = np.where(count > 1, np.sqrt(squares / np.maximum(count - 1, 1)), 0.0)
    mixed = (np.bincount(app_of, weights=scored.for_, minlength=size) > 0) & (
        np.bincount(app_of, weights=scored.against, minlength=size) > 0
    )
    disagreement = (sd >= DISAGREEMENT_SD) | mixed
    # Each application's z-scores in review order, for the bootstrap.
    by_app = np.argsort(app_of, kind="stable")
    starts = np.concatenate([[0], np.cumsum(count)])
    z_sorted = z[by_app].tolist()
    figures: dict[int, Figures] = {}
    for n, application_id in enumerate(apps.tolist()):
        figures[application_id] = Figures(
            application_id,
            reviews=int(count[n]),
            mean=float(mean[n]),
            weighted=float(weighted_mean[n]),
            normalised=float(normalised[n]),
            sd=float(sd[n]),
            disagreement=bool(disagreement[n]),
            z_scores=z_sorted[starts[n] : starts[n + 1]],
        )
    _rank(figures, bootstrap)
    return figures


STORED_SECONDS = 24 * 3600


def fingerprint(round_) -> str:
    """What the calibration of the round depends on, in two small queries: its submitted
    reviews (how many, which, whose, when last changed; a score only changes with its
    review's ``updated_at``) and its criteria's weights and scales."""
    reviews = Review.objects.filter(
        application__round=round_, submitted_at__isnull=False
    ).aggregate(
        n=Count("pk"),
        ids=Coalesce(Sum("pk"), 0),
        jurors=Coalesce(Sum("juror_id"), 0),
        unnamed=Count("pk", filter=Q(juror__isnull=True)),
        changed=Max("updated_at"),
    )
    criteria = list(
        Criterion.objects.filter(round=round_)
        .order_by("pk")
        .values_list("pk", "weight", "scale_max")
    )
    text = repr((sorted(reviews.items()), criteria))
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


class FigureTable:
    """The figures of a round as numpy columns, one row per application (by id):
    a handful of objects to store and load, whatever the number of applications
    (unpickling a thousand ``Figures`` with their lists made each load allocate
    thousands of objects and set off the garbage collector's full passes).
    ``Figures`` are made only for the applications asked for."""

    COLUMNS = ("reviews", "mean", "weighted", "normalised", "sd", "disagreement")
    RANKS = ("rank", "rank_low", "rank_high")

    def __init__(self, figures: dict[int, Figures]):
        ids = sorted(figures)
        self.ids = np.array(ids, dtype=np.int64)
        for name in self.COLUMNS:
            self.__dict__[name] = np.array([getattr(figures[pk], name) for pk in ids])
        for name in self.RANKS:
            values = [getattr(figures[pk], name) for pk in ids]
            self.__dict__[name] = np.array([-1 if v is None else v for v in values])

    def __len__(self):
        return len(self.ids)

    def _row(self, pk):
        row = int(np.searchsorted(self.ids, pk))
        return row if row < len(self.ids) and self.ids[row] == pk else None

    def __contains__(self, pk):
        return self._row(pk) is not None

    def get(self, pk, default=None):
        row = self._row(pk)
        if row is None:
            return default
        values = {name: self.__dict__[name][row].item() for name in self.COLUMNS}
        for name in self.RANKS:
            value = int(self.__dict__[name][row])
            values[name] = None if value < 0 else value
        values["disagreement"] = bool(values["disagreement"])
        return Figures(int(pk), **values)

    def __getitem__(self, pk):
        figures = self.get(pk)
        if figures is None:
            raise KeyError(pk)
        return figures

    def by_rank(self, ids) -> list[int]:
        """``ids`` ordered by rank (unranked ones last, then by id)."""
        ids = np.asarray(ids, dtype=np.int64)
        if not len(ids):
            return []
        rows = np.minimum(np.searchsorted(self.ids, ids), max(len(self.ids) - 1, 0))
        ranked = (self.ids[rows] == ids) if len(self.ids) else np.zeros(len(ids), bool)
        ranks = np.where(ranked, self.rank[rows] if len(self.ids) else 0, 10**9)
        return ids[np.lexsort((ids, ranks))].tolist()


def stored(round_) -> FigureTable:
    """``calibrate(round_)``, computed once per change of the round's reviews (see
    ``fingerprint``) and kept in the cache meanwhile as a ``FigureTable``; the
    bootstrap is the costly part and its result does not change between two reviews."""
    key = f"awards:calibration:2:{round_.pk}:{fingerprint(round_)}"  # 2: FigureTable
    table = cache.get(key)
    if table is None:
        table = FigureTable(calibrate(round_))
        cache.set(key, table, STORED_SECONDS)
    return table


def _rank(figures: dict[int, Figures], bootstrap: int) -> None:
    if not figures:
        return
    ids = sorted(figures, key=lambda a: (-figures[a].normalised, a))
    for position, application_id in enumerate(ids, start=1):
        figures[application_id].rank = position
    if bootstrap <= 0:
        return
    rng = np.random.default_rng(SEED)
    means = np.empty((bootstrap, len(ids)))
    # Applications with the same number of reviews are drawn together.
    groups = defaultdict(list)
    for column, application_id in enumerate(ids):
        groups[len(figures[application_id].z_scores)].append(column)
    for count, columns in groups.items():
        z = np.array([figures[ids[c]].z_scores for c in columns])  # (apps, count)
        draws = rng.integers(0, count, size=(bootstrap, len(columns), count))
        picked = z[np.arange(len(columns))[np.newaxis, :, np.newaxis], draws]
        means[:, columns] = picked.mean(axis=2)
    # Rank 1 is the best: order by mean z descending in each draw.
    order = np.argsort(-means, axis=1, kind="stable")
    ranks = np.empty_like(order)
    rows = np.arange(bootstrap)[:, np.newaxis]
    ranks[rows, order] = np.arange(1, len(ids) + 1)[np.newaxis, :]
    low = np.percentile(ranks, 5, axis=0, method="lower")
    high = np.percentile(ranks, 95, axis=0, method="higher")
    for column, application_id in enumerate(ids):
        figures[application_id].rank_low = int(low[column])
        figures[application_id].rank_high = int(high[column])
