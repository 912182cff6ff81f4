"""The pages of a search in id order (``facet_index.Matches``): the smallest matching ids
after a cursor, unpacked only as far as the page needs, across the chunks it unpacks."""

import numpy as np
import pytest

from kommune360.atlas.facet_index import Matches, Snapshot


def _snapshot(size, rng):
    ids = np.sort(rng.choice(np.arange(1, size * 3), size=size, replace=False)).astype(np.int64)
    return Snapshot(token="t", ids=ids)


@pytest.mark.parametrize("size", [1, 63, 64, 4095, 4096, 4097, 10_000])
@pytest.mark.parametrize("share", [0.0, 0.001, 0.3, 1.0])
def test_first_after_is_the_smallest_matching_ids_above_the_cursor(size, share):
    rng = np.random.default_rng(size)
    snap = _snapshot(size, rng)
    keep = rng.random(size) < share
    matches = Matches(snap, snap.pack(keep), int(keep.sum()))
    expected = snap.ids[keep]
    assert len(matches) == len(expected)
    cursors = [0, int(snap.ids[0]), int(snap.ids[size // 2]), int(snap.ids[-1]), 10**9]
    cursors += [int(pk) for pk in rng.choice(expected, size=min(3, len(expected)))]
    for after in cursors:
        for count in (1, 21, 101):
            assert matches.first_after(after, count) == expected[expected > after][:count].tolist()


def test_every_offer_matches_without_a_vector():
    snap = _snapshot(50, np.random.default_rng(1))
    matches = Matches(snap, None, 50)
    assert matches.first_after(int(snap.ids[9]), 5) == snap.ids[10:15].tolist()
