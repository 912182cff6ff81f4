"""The offers endpoint of the public API at 50,000 offers, on SQLite and PostgreSQL.

For each database the script builds the 50,000 offers of ``bench/atlas_search.py``
(same seeded generator) in one process, then, in a fresh process as an application
server would be, sends in-process through the whole middleware stack
(Django's test client: no network, no page cache – the API's JSON is never cached),
``GET /api/v1/angebote/?q=<word>&<facet>=<value>&<facet>=<value>``: one search word
and two facets, rotating over words and facet values, 20 offers per page. Interleaved
with it, the bare view (``/__bench__/bare``, the same middleware, three bytes) is
measured the same way. The per-client rate limit is lifted for the run.

The last line is

    api offers_p95_ms=… offers_rps=… bare_rps=… ratio=…

with the worse (higher p95) database's figures (both are printed above it), rps =
requests per second of one thread, ratio = offers_rps / bare_rps.
Goals: p95 ≤ 30 ms, ratio ≥ 0.3.

Environment: ``BENCH_OFFERS`` (default 50000), ``BENCH_REQUESTS`` (default 300 per
target), ``BENCH_POSTGRES_URL`` (default ``postgres://postgres@127.0.0.1:5432/
kommune360_api_bench``; dropped and created), ``BENCH_SKIP_POSTGRES=1``,
``BENCH_SKIP_SQLITE=1``, ``BENCH_PROFILE=1`` (profile of 100 requests on stderr).
"""

import sys

sys.path[:] = [p for p in sys.path if p and __file__.rpartition("/")[0] != p.rstrip("/")]

import json  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402
from urllib.parse import urlencode  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "300"))
POSTGRES_URL = os.environ.get(
    "BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/kommune360_api_bench"
)


def log(message):
    print(message, file=sys.stderr, flush=True)


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))]


def setup():
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kommune360.settings")
    django.setup()
    sys.path.insert(0, str(ROOT / "bench"))
    from django.conf import settings
    from django.test.utils import override_settings

    override_settings(
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
        ALLOWED_HOSTS=["*"],
    ).enable()


def build():
    """Migrate and write the 50,000 offers, then leave the database as a running site's
    would be: statistics gathered (PostgreSQL's autovacuum analyses a table after that
    many new rows; SQLite's ``ANALYZE``) and SQLite's write-ahead log written back."""
    setup()
    import atlas_search
    from django.core.management import call_command
    from django.db import connection

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    log(f"[{connection.vendor}] migrated ({time.perf_counter() - started:.0f} s)")
    atlas_search.build(random.Random(atlas_search.SEED))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def measure():
    """In a process of its own, as an application server's, started after the build."""
    setup()
    import atlas_search
    from django.db import connection
    from django.test import Client

    from kommune360.api.middleware import READS
    from kommune360.atlas.filters import facets
    from kommune360.core.models import Method, TargetGroup

    READS.limit = 10**9
    rng = random.Random(7)
    methods = list(Method.objects.values_list("slug", flat=True))
    groups = list(TargetGroup.objects.values_list("slug", flat=True))
    choices = {f.param: list(f.choices.values) for f in facets() if f.kind == "choice"}
    queries = []
    for _ in range(REQUESTS):
        word = rng.choice(atlas_search.NOUNS)[rng.randint(0, 1)]
        first, second = rng.sample(["methode", "zielgruppe", *choices], 2)
        params = {"q": word}
        for facet in (first, second):
            values = {"methode": methods, "zielgruppe": groups}.get(facet) or choices[facet]
            params[facet] = rng.choice(values)
        queries.append(urlencode(params))  # as a client sends it: encoded once, ahead

    client = Client()

    def timed(url, query=""):
        started = time.perf_counter()
        response = client.get(f"{url}?{query}" if query else url)
        elapsed = (time.perf_counter() - started) * 1000
        assert response.status_code == 200, (url, query, response.content[:300])
        return elapsed

    for params in queries[:20]:  # the snapshot is built on the first request
        timed("/api/v1/angebote/", params)
        timed("/__bench__/bare")
    if os.environ.get("BENCH_PROFILE"):
        import cProfile
        import pstats

        profile = cProfile.Profile()
        profile.enable()
        for params in queries[:100]:
            timed("/api/v1/angebote/", params)
        profile.disable()
        pstats.Stats(profile, stream=sys.stderr).sort_stats("tottime").print_stats(30)
    offers, bare = [], []
    for params in queries:
        offers.append(timed("/api/v1/angebote/", params))
        bare.append(timed("/__bench__/bare"))
    result = {
        "vendor": connection.vendor,
        "p50": statistics.median(offers),
        "p95": percentile(offers, 0.95),
        "offers_rps": 1000 / statistics.mean(offers),
        "bare_rps": 1000 / statistics.mean(bare),
    }
    print("RESULT " + json.dumps(result), flush=True)


def run(database_url, data_dir):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "PYTEST_VERSION", "DEBUG"}
    }
    env.update(
        {
            "DATABASE_URL": database_url,
            "KOMMUNE360_DATA_DIR": str(data_dir),
            "SECRET_KEY": "bench-" + "x" * 50,
            "KOMMUNE360_TASKS": "immediate",
            "KOMMUNE360_BENCH": "1",
            "PAGE_CACHE_SECONDS": "0",
            "SECURE_SSL_REDIRECT": "false",
            "LOG_LEVEL": "ERROR",
        }
    )
    subprocess.run([sys.executable, __file__, "--build"], env=env, cwd=ROOT, check=True)
    completed = subprocess.run(
        [sys.executable, __file__, "--measure"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        check=True,
    )
    line = next(x for x in completed.stdout.splitlines() if x.startswith("RESULT "))
    return json.loads(line.removeprefix("RESULT "))


def reset_postgres(url):
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def main():
    results = {}
    with tempfile.TemporaryDirectory(prefix="kommune360-api-bench-") as folder:
        if os.environ.get("BENCH_SKIP_SQLITE") != "1":
            results["sqlite"] = run(f"sqlite:///{folder}/bench.sqlite3", Path(folder) / "sqlite")
        if os.environ.get("BENCH_SKIP_POSTGRES") != "1":
            reset_postgres(POSTGRES_URL)
            try:
                results["postgres"] = run(POSTGRES_URL, Path(folder) / "postgres")
            finally:
                reset_postgres(POSTGRES_URL)
    for name, r in results.items():
        print(
            f"{name}: offers p50={r['p50']:.1f} ms p95={r['p95']:.1f} ms "
            f"offers_rps={r['offers_rps']:.0f} bare_rps={r['bare_rps']:.0f} "
            f"ratio={r['offers_rps'] / r['bare_rps']:.2f}"
        )
    worst = max(results.values(), key=lambda r: r["p95"])
    print(
        f"api offers_p95_ms={worst['p95']:.1f} offers_rps={worst['offers_rps']:.0f} "
        f"bare_rps={worst['bare_rps']:.0f} ratio={worst['offers_rps'] / worst['bare_rps']:.2f}"
    )


if __name__ == "__main__":
    if "--build" in sys.argv:
        build()
    elif "--measure" in sys.argv:
        measure()
    else:
        main()
