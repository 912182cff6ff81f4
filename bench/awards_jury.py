"""The jury at scale: 1,000 applications, 40 jurors, 3 reviews each, with conflicts.

Sets up a fresh SQLite database in a temporary data folder (or the database
``BENCH_DATABASE_URL`` names; it must be empty), migrates it, creates 200 made-up
municipalities in 20 Kreise, 40 jurors living in some of them (so that same-place and
same-Kreis conflicts arise) plus declared conflicts, and ``BENCH_APPLICATIONS``
(1,000) submitted applications. Then:

1. ``assign_s``: one call of ``services.jury.assign`` (a maximum flow, SciPy);
   ``conflicts_violated``: assignments that pair a juror with a conflict (declared or
   detected), counted against ``conflict_pairs`` afterwards.
2. Every assignment gets a submitted review (three criteria), the round moves to the
   decision phase, and a juror's shortlist (``/admin/jury/<round>/``: every application
   the juror may see, calibrated, ranked with bootstrap rank ranges, one page
   rendered) is fetched ``BENCH_REQUESTS`` times (30) through Django's test client,
   never cached (the calibration behind it is stored once per change of the reviews;
   the first request computes it); ``shortlist_p95_ms`` is the 95th percentile,
   ``queries`` the number of database queries of one request, counted as they run
   (``connection.execute_wrapper``).

``BENCH_PROFILE=1`` prints a cProfile of the assignment and of one shortlist request.

Last line of output:

    awards_jury applications=… assign_s=… shortlist_p95_ms=… queries=… conflicts_violated=…

Goals: assign ≤ 2 s, shortlist p95 ≤ 150 ms, queries independent of the number of
applications (``tests/awards/test_jury_scale.py`` pins them), conflicts_violated=0.
"""

import os
import shutil
import statistics
import sys
import tempfile
import time

sys.path[:] = [p for p in sys.path if p and __file__.rpartition("/")[0] != p.rstrip("/")]
DATA = tempfile.mkdtemp(prefix="k360-awards-bench-")
os.environ["KOMMUNE360_DATA_DIR"] = DATA
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kommune360.settings")
os.environ.setdefault("DEBUG", "1")
os.environ["STAFF_REQUIRE_MFA"] = "false"
if os.environ.get("BENCH_DATABASE_URL"):
    os.environ["DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]

import django  # noqa: E402

django.setup()

from datetime import timedelta  # noqa: E402

from django.contrib.auth.models import Group  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

APPLICATIONS = int(os.environ.get("BENCH_APPLICATIONS", "1000"))
JURORS = int(os.environ.get("BENCH_JURORS", "40"))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "30"))
PROFILE = bool(os.environ.get("BENCH_PROFILE"))


def profiled(label, function, *args):
    """Run ``function``; with ``BENCH_PROFILE`` set, print its top cProfile lines."""
    if not PROFILE:
        return function(*args)
    import cProfile
    import io
    import pstats

    profile = cProfile.Profile()
    result = profile.runcall(function, *args)
    out = io.StringIO()
    stats = pstats.Stats(profile, stream=out)
    stats.sort_stats("cumulative").print_stats(45)
    stats.sort_stats("tottime").print_stats(20)
    log(f"--- profile: {label}\n{out.getvalue()}")
    return result


def count_queries(function):
    """The database queries ``function`` runs, counted as they execute (the debug query
    log is emptied at each request's start, so comparing its length misleads)."""
    count = 0

    def counter(execute, sql, params, many, context):
        nonlocal count
        count += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counter):
        function()
    return count


def log(*args):
    print(*args, file=sys.stderr, flush=True)


def setup():
    from kommune360.accounts.models import User
    from kommune360.awards.models import Application, Conflict, Criterion, Round
    from kommune360.core.models import Municipality

    kreise = [
        Municipality.objects.create(
            ags=f"03{900 + k:03d}", name=f"Landkreis Muster {k}", kind="landkreis", state="03"
        )
        for k in range(20)
    ]
    places = Municipality.objects.bulk_create(
        [
            Municipality(
                ags=f"03{900 + n % 20:03d}{n:03d}",
                name=f"Musterort {n}",
                kind="gemeinde",
                state="03",
                district=kreise[n % 20],
            )
            for n in range(200)
        ]
    )
    jury_group = Group.objects.get(name="Jury")
    jurors = User.objects.bulk_create(
        [
            User(
                email=f"juror{n}@jury{n}.example",
                first_name="Jana",
                last_name=f"Jurorin {n}",
                municipality=places[(n * 7) % 200] if n % 2 == 0 else None,
            )
            for n in range(JURORS)
        ]
    )
    jury_group.user_set.add(*jurors)
    now = timezone.now()
    round_ = Round.objects.create(
        title="Benchmark-Runde",
        phase=Round.Phase.REVIEW,
        opens_at=now - timedelta(days=30),
        closes_at=now - timedelta(days=1),
        reviews_per_application=3,
    )
    round_.jurors.set(jurors)
    round_.save()
    for n, (name, weight) in enumerate(
        [("Wirkung", 3), ("Übertragbarkeit", 2), ("Beteiligung", 1)]
    ):
        Criterion.objects.create(round=round_, name=name, weight=weight, sort_order=n)
    applications = Application.objects.bulk_create(
        [
            Application(
                round=round_,
                applicant=None,
                municipality=places[n % 200],
                applicant_kind="municipality",
                organisation=f"Gemeindeverwaltung Musterort {n % 200}",
                title=f"Lösung {n}",
                summary="Eine bewährte Lösung.",
                state=Application.State.SUBMITTED,
                submitted_at=now - timedelta(days=2),
                version=1,
            )
            for n in range(APPLICATIONS)
        ]
    )
    Conflict.objects.bulk_create(
        [
            Conflict(application=applications[n], juror=jurors[n % JURORS], source="declared")
            for n in range(0, APPLICATIONS, 10)
        ]
    )
    return round_, jurors


def fill_reviews(round_):
    from kommune360.awards.models import Assignment, Review, Score

    criteria = list(round_.criteria.all())
    now = timezone.now()
    pairs = list(Assignment.objects.values_list("application_id", "juror_id"))
    reviews = Review.objects.bulk_create(
        [
            Review(
                application_id=a,
                juror_id=j,
                recommendation="award" if (a + j) % 3 else "not",
                submitted_at=now,
            )
            for a, j in pairs
        ]
    )
    Score.objects.bulk_create(
        [
            Score(
                review=review,
                criterion=c,
                value=1 + (review.application_id * 7 + review.juror_id + c.pk) % 5,
            )
            for review in reviews
            for c in criteria
        ]
    )
    return len(reviews)


def main():
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    log(f"migrated in {time.perf_counter() - started:.1f} s")
    from kommune360.awards.models import Assignment, Round
    from kommune360.awards.services import jury

    round_, jurors = setup()
    log(f"set up {APPLICATIONS} applications, {JURORS} jurors")
    started = time.perf_counter()
    assigned = profiled("assign", jury.assign, round_, None)
    assign_s = time.perf_counter() - started
    conflicts = jury.conflict_pairs(round_)
    pairs = set(Assignment.objects.values_list("application_id", "juror_id"))
    violated = len(pairs & conflicts)
    loads = [Assignment.objects.filter(juror=j).count() for j in jurors]
    log(
        f"assigned {assigned} reviews in {assign_s:.2f} s, conflicts {len(conflicts)}, "
        f"load {min(loads)}–{max(loads)}"
    )
    log(f"reviews {fill_reviews(round_)}")
    Round.objects.filter(pk=round_.pk).update(phase=Round.Phase.DECISION)
    from django.conf import settings

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    client = Client()
    client.force_login(jurors[1])
    url = f"/admin/jury/{round_.pk}/"
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    queries = count_queries(lambda: client.get(url))
    profiled("shortlist", client.get, url)
    times = []
    for _ in range(REQUESTS):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    p95 = statistics.quantiles(times, n=20)[-1]
    log(f"shortlist median {statistics.median(times):.0f} ms, load {os.getloadavg()[0]:.1f}")
    print(
        f"awards_jury applications={APPLICATIONS} assign_s={assign_s:.2f} "
        f"shortlist_p95_ms={p95:.0f} queries={queries} conflicts_violated={violated}"
    )


if __name__ == "__main__":
    try:
        main()
    finally:
        if not os.environ.get("BENCH_KEEP"):
            shutil.rmtree(DATA, ignore_errors=True)
