"""The pairing of one "It's a Match!" round with 5,000 participants.

Builds a seeded random round (roles, topics, offers and seeks, municipalities in Kreise
and Länder, 1–3 partners, some exclusions of their own municipality or Kreis, a few
named exclusions) and times ``network.matching.solver.solve_large`` — scores, candidate
pairs, pricing, the relaxation and the integer programme — measuring the peak memory
of the process (ru_maxrss).
Then, on a 200-person round, it compares the total score of the way large rounds are
paired (best candidates, the linear relaxation over every pair by pricing, integer
programme around its fractional rest) with the exact optimum (integer programme over
every allowed pair). To stderr: the optimum's ratio to the relaxation's upper bound at
200, and the 5,000-person total's ratio to its own upper bound (a guarantee).

The last line of output is

    matching participants=… pairs=… seconds=… peak_mib=… optimal_ratio=…

Goals: ≤ 10 s and ≤ 1 GiB at 5,000, optimal_ratio ≥ 0.999.
Environment: ``BENCH_PARTICIPANTS`` (default 5000), ``BENCH_SEED`` (default 360).
"""

import os
import random
import resource
import sys
import time
from pathlib import Path

sys.path[:] = [p for p in sys.path if p and __file__.rpartition("/")[0] != p.rstrip("/")]
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from kommune360.network.matching.solver import (  # noqa: E402
    CANDIDATES,
    Person,
    solve,
    solve_large,
    upper_bound,
)

ROLES = (
    ["jugendamtsleitung"] * 3
    + ["jugendhilfeplanung"] * 3
    + [
        "sozialplanung",
        "verwaltungsleitung",
        "organisationsentwicklung",
        "andere",
    ]
)
KINDS = ["stadt", "gemeinde", "landkreis", "kreisfreie_stadt"]


def make_round(n, rng):
    people = []
    for key in range(1, n + 1):
        state = f"{rng.randint(1, 16):02d}"
        district = f"{state}{rng.randint(1, 30):03d}"
        people.append(
            Person(
                key=key,
                role=rng.choice(ROLES),
                topics=frozenset(rng.sample(range(1, 25), rng.randint(1, 4))),
                offers=frozenset(rng.sample(range(1, 25), rng.randint(0, 2))),
                seeks=frozenset(rng.sample(range(1, 25), rng.randint(0, 2))),
                municipality=f"{district}{rng.randint(1, 20):03d}",
                district=district,
                state=state,
                kind=rng.choice(KINDS),
                population=int(rng.lognormvariate(10.5, 1.0)),
                capacity=rng.choice([1, 1, 1, 2, 2, 3]),
                exclude_municipality=rng.random() < 0.6,
                exclude_district=rng.random() < 0.3,
                excluded=frozenset(rng.sample(range(1, n + 1), 2))
                if rng.random() < 0.1
                else frozenset(),
            )
        )
    return people


def main():
    n = int(os.environ.get("BENCH_PARTICIPANTS", "5000"))
    seed = int(os.environ.get("BENCH_SEED", "360"))
    people = make_round(n, random.Random(seed))
    started, cpu = time.perf_counter(), time.process_time()
    pairs, bound = solve_large(people)
    seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu
    total_large = sum(w for _a, _b, w in pairs)
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    # The way of large rounds (best candidates, relaxation, integer rest) against the
    # exact optimum (every pair, integer programme) and the relaxation's bound.
    small = make_round(200, random.Random(seed + 1))
    total = sum(w for _a, _b, w in solve(small, candidates=CANDIDATES, exact=False))
    optimum = sum(w for _a, _b, w in solve(small, exact=True))
    ratio = total / optimum
    print(f"200: LP bound ratio {optimum / upper_bound(small):.4f}", file=sys.stderr)
    print(f"{n}: total / LP bound {total_large / bound:.5f} (guaranteed)", file=sys.stderr)
    print(f"{n}: {cpu:.2f} s of CPU (the machine's load stretches the wall clock)", file=sys.stderr)
    matched = len({k for a, b, _w in pairs for k in (a, b)})
    print(f"{matched} of {n} participants have at least one partner", file=sys.stderr)
    print(
        f"matching participants={n} pairs={len(pairs)} seconds={seconds:.2f} "
        f"peak_mib={peak_mib:.0f} optimal_ratio={ratio:.4f}"
    )


if __name__ == "__main__":
    main()
