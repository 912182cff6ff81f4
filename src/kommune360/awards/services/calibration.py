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

Everything is computed from two value queries, whatever the number of applications.
"""

from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np

from ..models import Review, Score

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


def review_scores(round_, application_ids=None):
    """(review id, application id, juror id, recommendation) and the weighted and plain
    score of each submitted review of the round."""
    reviews = Review.objects.filter(application__round=round_, submitted_at__isnull=False)
    if application_ids is not None:
        reviews = reviews.filter(application_id__in=application_ids)
    rows = list(reviews.values_list("pk", "application_id", "juror_id", "recommendation"))
    sums = defaultdict(lambda: [0.0, 0.0, 0.0, 0])
    for review_id, value, weight, scale in Score.objects.filter(
        review__in=[r[0] for r in rows]
    ).values_list("review_id", "value", "criterion__weight", "criterion__scale_max"):
        entry = sums[review_id]
        # Scales may differ per criterion: score on a common 1–5 scale.
        normalised = 1 + (value - 1) * 4 / max(scale - 1, 1)
        entry[0] += weight * normalised
        entry[1] += weight
        entry[2] += normalised
        entry[3] += 1
    scored = []
    for review_id, application_id, juror_id, recommendation in rows:
        s = sums.get(review_id)
        if not s or not s[1]:
            continue
        scored.append((application_id, juror_id, recommendation, s[0] / s[1], s[2] / s[3]))
    return scored


def calibrate(round_, *, bootstrap=BOOTSTRAP, scored=None) -> dict[int, Figures]:
    scored = review_scores(round_) if scored is None else scored
    by_juror = defaultdict(list)
    for _app, juror, _rec, weighted, _plain in scored:
        by_juror[juror].append(weighted)
    stats = {}
    for juror, values in by_juror.items():
        array = np.array(values)
        stats[juror] = (array.mean(), array.std())
    figures: dict[int, Figures] = {}
    recommendations = defaultdict(set)
    weighted_by_app = defaultdict(list)
    plain_by_app = defaultdict(list)
    for application_id, juror, recommendation, weighted, plain in scored:
        mean, sd = stats[juror]
        z = (weighted - mean) / sd if sd > 1e-9 else 0.0
        entry = figures.setdefault(application_id, Figures(application_id))
        entry.z_scores.append(z)
        weighted_by_app[application_id].append(weighted)
        plain_by_app[application_id].append(plain)
        recommendations[application_id].add(recommendation)
    for application_id, entry in figures.items():
        weighted = np.array(weighted_by_app[application_id])
        entry.reviews = len(weighted)
        entry.mean = float(np.mean(plain_by_app[application_id]))
        entry.weighted = float(weighted.mean())
        entry.normalised = float(np.mean(entry.z_scores))
        entry.sd = float(weighted.std(ddof=1)) if len(weighted) > 1 else 0.0
        recs = recommendations[application_id]
        entry.disagreement = entry.sd >= DISAGREEMENT_SD or bool(recs & FOR and recs & AGAINST)
    _rank(figures, bootstrap)
    return figures


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
        picked = np.take_along_axis(z[np.newaxis, :, :].repeat(bootstrap, 0), draws, axis=2)
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
