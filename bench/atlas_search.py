"""Search and facet speed of the Angebotsatlas at 50,000 offers, on SQLite and PostgreSQL.

For each database the script builds the same 50,000 offers (seeded random generator,
so every run builds the same data), indexes them with the atlas's German search index,
and then runs the same mixed queries (plain words, inflected words, facets only, words
with facets) the way the offer list view does: search, result count, every facet
count, sorting and one page of results (p50/p95 reported), and separately the whole
view rendered to HTML — the server time of one request without the network. Next to
it, it times the database's own full-text query alone for the same
words (SQLite: FTS5 ``MATCH``; PostgreSQL: ``to_tsvector('german') @@
plainto_tsquery('german')`` on a GIN index), counting the matches and fetching one
page of ids.

The last line of output is

    atlas_search sqlite_p95_ms=… postgres_p95_ms=… sqlite_ratio=… postgres_ratio=…

with ratio = our p95 / bare full-text p95. Goal: p95 ≤ 50 ms on both, ratio ≤ 3.

Environment: ``BENCH_OFFERS`` (default 50000), ``BENCH_QUERIES`` (default 240),
``BENCH_POSTGRES_URL`` (default ``postgres://postgres@127.0.0.1:5432/
kommune360_atlas_bench``; the database is dropped and created), ``BENCH_SKIP_POSTGRES=1``.
"""

import sys

# bench/http.py would shadow the standard library's http package: keep this folder off
# the import path.
sys.path[:] = [p for p in sys.path if p and __file__.rpartition("/")[0] != p.rstrip("/")]

import json  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
OFFERS = int(os.environ.get("BENCH_OFFERS", "50000"))
QUERIES = int(os.environ.get("BENCH_QUERIES", "240"))
POSTGRES_URL = os.environ.get(
    "BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/kommune360_atlas_bench"
)
SEED = 50_000

# (singular, plural / inflected form): titles use both, queries use either.
NOUNS = [
    ("Fortbildung", "Fortbildungen"),
    ("Verwaltung", "Verwaltungen"),
    ("Führungskraft", "Führungskräfte"),
    ("Planung", "Planungen"),
    ("Jugendhilfe", "Jugendhilfen"),
    ("Werkstatt", "Werkstätten"),
    ("Beteiligung", "Beteiligungen"),
    ("Schulung", "Schulungen"),
    ("Veränderung", "Veränderungen"),
    ("Netzwerk", "Netzwerke"),
    ("Kommune", "Kommunen"),
    ("Strategie", "Strategien"),
    ("Methode", "Methoden"),
    ("Straße", "Straßen"),
    ("Zusammenarbeit", "Zusammenarbeiten"),
    ("Digitalisierung", "Digitalisierungen"),
    ("Steuerung", "Steuerungen"),
    ("Begleitung", "Begleitungen"),
    ("Gemeinde", "Gemeinden"),
    ("Projekt", "Projekte"),
    ("Prozess", "Prozesse"),
    ("Team", "Teams"),
    ("Leitung", "Leitungen"),
    ("Beratung", "Beratungen"),
    ("Konferenz", "Konferenzen"),
    ("Förderung", "Förderungen"),
    ("Wirkung", "Wirkungen"),
    ("Kennzahl", "Kennzahlen"),
    ("Bürgerin", "Bürgerinnen"),
    ("Dienstleistung", "Dienstleistungen"),
    ("Innovation", "Innovationen"),
    ("Erfahrung", "Erfahrungen"),
    ("Haushalt", "Haushalte"),
    ("Satzung", "Satzungen"),
    ("Genehmigung", "Genehmigungen"),
    ("Landkreis", "Landkreise"),
    ("Jugendamt", "Jugendämter"),
    ("Ausschuss", "Ausschüsse"),
    ("Verfahren", "Verfahren"),
    ("Grundlage", "Grundlagen"),
]
ADJECTIVES = [
    "agile",
    "digitale",
    "kommunale",
    "praktische",
    "neue",
    "gemeinsame",
    "wirksame",
    "kompakte",
    "vernetzte",
    "moderne",
    "mutige",
    "offene",
]
FILLER = ["mit", "und", "für", "in", "der", "die", "im", "zur", "vom", "über"]
PROVIDER_WORDS = ["Beispiel", "Muster", "Probe", "Demo", "Test", "Modell"]
PROVIDER_KINDS = ["Akademie", "Stiftung", "Institut", "Netzwerk", "Hochschule", "Werkstatt"]


def log(message):
    print(message, file=sys.stderr, flush=True)


def percentile(values, share):
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


# --- Worker: runs inside one database ------------------------------------------------------


def build(rng):
    from django.db import connection, transaction
    from django.utils import timezone

    from kommune360.atlas.models import Offer, Provider
    from kommune360.atlas.search import index_offers
    from kommune360.core.demo import load_core_demo
    from kommune360.core.models import Format, Method, Municipality, State, TargetGroup, Topic

    load_core_demo()
    methods = list(Method.objects.all())
    topics = list(Topic.objects.all())
    groups = list(TargetGroup.objects.all())
    formats = list(Format.objects.all())
    providers = Provider.objects.bulk_create(
        [
            Provider(
                name=f"{rng.choice(PROVIDER_WORDS)}-{rng.choice(PROVIDER_KINDS)} {n:03d}",
                slug=f"anbieter-{n}",
                type=rng.choice(Provider.Type.values),
            )
            for n in range(300)
        ]
    )
    # Offers for a Land name it, offers for a Kommune name one of 400 (drawn apart from
    # ``rng``, so that the texts and facets stay those of earlier runs).
    places = random.Random(SEED + 1)
    municipalities = Municipality.objects.bulk_create(
        [
            Municipality(
                ags=f"0999{n:04d}",
                name=f"Beispielgemeinde {n:03d}",
                kind=Municipality.Kind.GEMEINDE,
                state="09",
            )
            for n in range(400)
        ]
    )
    now = timezone.now()
    started = time.perf_counter()
    batch = 2000
    for start in range(0, OFFERS, batch):
        rows = []
        for n in range(start, min(start + batch, OFFERS)):
            words = []
            for _ in range(rng.randint(2, 4)):
                noun = rng.choice(NOUNS)[rng.randint(0, 1)]
                words.append(f"{rng.choice(ADJECTIVES).capitalize()} {noun}")
            title = " ".join(words)[:200]
            summary = " ".join(
                rng.choice(NOUNS)[rng.randint(0, 1)]
                if rng.random() < 0.6
                else rng.choice(FILLER + ADJECTIVES)
                for _ in range(20)
            )[:300]
            description = " ".join(
                rng.choice(NOUNS)[rng.randint(0, 1)]
                if rng.random() < 0.4
                else rng.choice(FILLER + ADJECTIVES)
                for _ in range(40)
            )
            cost = rng.choice(Offer.Cost.values)
            offer = Offer(
                title=title,
                slug=f"angebot-{n}",
                summary=summary,
                description=description,
                provider=rng.choice(providers),
                format=rng.choice(formats),
                delivery=rng.choice(Offer.Delivery.values),
                region=rng.choice(Offer.Region.values),
                cost=cost,
                cost_amount=rng.choice([50, 150, 400, 900]) if cost == "betrag" else None,
                certificate=rng.random() < 0.4,
                status=Offer.Status.PUBLISHED,
                published_at=now,
                last_checked=now.date(),
            )
            offer.cost_band = offer.compute_cost_band()
            if offer.region == Offer.Region.STATE:
                offer.state = places.choice(State.values)
            elif offer.region == Offer.Region.MUNICIPALITY:
                offer.municipality = places.choice(municipalities)
            rows.append(offer)
        with transaction.atomic():
            created = Offer.objects.bulk_create(rows)
            for relation, terms, most in (
                ("methods", methods, 2),
                ("topics", topics, 2),
                ("target_groups", groups, 3),
            ):
                through = getattr(Offer, relation).through
                field = next(
                    f.name for f in through._meta.get_fields() if f.name not in ("id", "offer")
                )
                links = []
                for offer in created:
                    for term in rng.sample(terms, rng.randint(1, most)):
                        links.append(through(offer_id=offer.pk, **{f"{field}_id": term.pk}))
                through.objects.bulk_create(links)
        index_offers([o.pk for o in created])
        log(
            f"  {min(start + batch, OFFERS)} offers built and indexed "
            f"({time.perf_counter() - started:.0f} s)"
        )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE")
        else:
            cursor.execute("ANALYZE")


def build_bare_fulltext():
    """The database's own full-text index over the same text (the comparison)."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "CREATE VIRTUAL TABLE bench_fts USING fts5(body, "
                "tokenize = 'unicode61 remove_diacritics 2')"
            )
            cursor.execute(
                "INSERT INTO bench_fts (rowid, body) SELECT o.id, o.title || ' ' || o.summary "
                "|| ' ' || o.description || ' ' || p.name FROM atlas_offer o "
                "JOIN atlas_provider p ON p.id = o.provider_id"
            )
        else:
            cursor.execute(
                "CREATE TABLE bench_fts AS SELECT o.id, to_tsvector('german', o.title || ' ' "
                "|| o.summary || ' ' || o.description || ' ' || p.name) AS body "
                "FROM atlas_offer o JOIN atlas_provider p ON p.id = o.provider_id"
            )
            cursor.execute("CREATE INDEX bench_fts_body ON bench_fts USING gin (body)")
            cursor.execute("ANALYZE bench_fts")


def bare_query(words):
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            match = " AND ".join('"' + w.replace('"', "") + '"' for w in words)
            cursor.execute("SELECT count(*) FROM bench_fts WHERE bench_fts MATCH %s", [match])
            cursor.fetchone()
            cursor.execute("SELECT rowid FROM bench_fts WHERE bench_fts MATCH %s LIMIT 20", [match])
            cursor.fetchall()
        else:
            text = " ".join(words)
            cursor.execute(
                "SELECT count(*) FROM bench_fts WHERE body @@ plainto_tsquery('german', %s)",
                [text],
            )
            cursor.fetchone()
            cursor.execute(
                "SELECT id FROM bench_fts WHERE body @@ plainto_tsquery('german', %s) LIMIT 20",
                [text],
            )
            cursor.fetchall()


def make_queries(rng):
    from kommune360.atlas.filters import facets
    from kommune360.core.models import Method, TargetGroup, Topic

    slugs = {
        "methode": list(Method.objects.values_list("slug", flat=True)),
        "zielgruppe": list(TargetGroup.objects.values_list("slug", flat=True)),
        "thema": list(Topic.objects.values_list("slug", flat=True)),
    }
    choice_facets = {f.param: list(f.choices.values) for f in facets() if f.kind == "choice"}
    queries = []
    for n in range(QUERIES):
        kind = ("words", "inflected", "facets", "both")[n % 4]
        params = {}
        words = []
        if kind in ("words", "inflected", "both"):
            count = rng.choice([1, 1, 2])
            for _ in range(count):
                singular, plural = rng.choice(NOUNS)
                words.append(plural if kind == "inflected" else singular)
            params["q"] = " ".join(words)
        if kind in ("facets", "both"):
            for _ in range(rng.choice([1, 2])):
                if rng.random() < 0.5:
                    param = rng.choice(list(slugs))
                    params.setdefault(param, []).append(rng.choice(slugs[param]))
                else:
                    param = rng.choice(list(choice_facets))
                    params.setdefault(param, []).append(rng.choice(choice_facets[param]))
            if rng.random() < 0.3:
                params["bescheinigung"] = "1"
        queries.append((kind, params, words))
    return queries


def worker():
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kommune360.settings")
    django.setup()
    from urllib.parse import urlencode

    from django.conf import settings
    from django.core.management import call_command
    from django.core.paginator import Paginator
    from django.db import connection, reset_queries
    from django.http import QueryDict
    from django.test import RequestFactory
    from django.test.utils import override_settings
    from django.urls import get_resolver, reverse

    from kommune360.atlas.filters import PER_PAGE, OfferQuery
    from kommune360.atlas.views import offer_list

    # Import every app's URLs, views and forms now: the page links to all of them, and a
    # half-edited module elsewhere should fail the run at once, not after the build.
    assert len(get_resolver().url_patterns) > 0
    reverse("atlas:list")

    # Plain static storage: the benchmark never runs collectstatic.
    override_settings(
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    ).enable()
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    log(f"[{connection.vendor}] migrated ({time.perf_counter() - started:.0f} s)")
    rng = random.Random(SEED)
    log(f"[{connection.vendor}] building {OFFERS} offers …")
    build(rng)
    build_bare_fulltext()
    queries = make_queries(random.Random(SEED + 1))
    factory = RequestFactory()

    def run_view(params):
        request = factory.get("/angebote/", params)
        request.htmx = False
        from django.contrib.auth.models import AnonymousUser

        request.user = AnonymousUser()
        response = offer_list(request)
        assert response.status_code == 200
        return response

    def run_search(params):
        """What the list view does before rendering: the matches, their count, every
        facet count, the order and one page of offers (as ``views.offer_list``)."""
        query = OfferQuery(QueryDict(urlencode(params, doseq=True)))
        query.facet_groups()
        page = Paginator(query.page_results(), PER_PAGE).get_page(query.page_number)
        list(page.object_list)

    for _kind, params, _words in queries[:20]:  # warm caches and connections
        run_view(params)
        run_search(params)
    ours, views, bare, by_kind = [], [], [], {}
    for kind, params, words in queries:
        reset_queries()
        started = time.perf_counter()
        run_search(params)
        elapsed = (time.perf_counter() - started) * 1000
        ours.append(elapsed)
        by_kind.setdefault(kind, []).append(elapsed)
        started = time.perf_counter()
        run_view(params)
        views.append((time.perf_counter() - started) * 1000)
        if words:
            started = time.perf_counter()
            bare_query(words)
            bare.append((time.perf_counter() - started) * 1000)
    result = {
        "vendor": connection.vendor,
        "queries": len(ours),
        "p50": statistics.median(ours),
        "p95": percentile(ours, 0.95),
        "view_p50": statistics.median(views),
        "view_p95": percentile(views, 0.95),
        "bare_p50": statistics.median(bare),
        "bare_p95": percentile(bare, 0.95),
        "by_kind": {k: percentile(v, 0.95) for k, v in by_kind.items()},
    }
    print("RESULT " + json.dumps(result), flush=True)


# --- Main: one worker process per database ----------------------------------------------------


def run(database_url, data_dir):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "PYTEST_VERSION", "DEBUG"}
    }
    env.update(
        {
            "DATABASE_URL": database_url,
            "KOMMUNE360_DATA_DIR": str(data_dir),  # created by the settings
            "SECRET_KEY": "bench-" + "x" * 50,
            "KOMMUNE360_TASKS": "immediate",
            "PAGE_CACHE_SECONDS": "0",
            "LOG_LEVEL": "ERROR",
        }
    )
    completed = subprocess.run(
        [sys.executable, __file__, "--worker"],
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
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def main():
    from concurrent.futures import ThreadPoolExecutor

    results = {}
    with tempfile.TemporaryDirectory(prefix="kommune360-atlas-bench-") as folder:
        targets = {"sqlite": f"sqlite:///{folder}/bench.sqlite3"}
        if os.environ.get("BENCH_SKIP_POSTGRES") != "1":
            reset_postgres(POSTGRES_URL)
            targets["postgres"] = POSTGRES_URL
        # BENCH_PARALLEL=1 builds and measures both databases at once (faster, noisier).
        workers = len(targets) if os.environ.get("BENCH_PARALLEL") == "1" else 1
        try:
            with ThreadPoolExecutor(max_workers=workers) as pool:
                futures = {
                    name: pool.submit(run, url, Path(folder) / name)
                    for name, url in targets.items()
                }
                results = {name: future.result() for name, future in futures.items()}
        finally:
            if "postgres" in targets:
                reset_postgres(POSTGRES_URL)
    for name, r in results.items():
        kinds = " ".join(f"{k}_p95={v:.1f}" for k, v in sorted(r["by_kind"].items()))
        print(
            f"{name}: {r['queries']} queries, p50={r['p50']:.1f} ms p95={r['p95']:.1f} ms; "
            f"bare full-text p50={r['bare_p50']:.1f} ms p95={r['bare_p95']:.1f} ms; "
            f"whole view rendered to HTML p50={r['view_p50']:.1f} ms p95={r['view_p95']:.1f} ms; "
            f"search p95 by kind: {kinds}"
        )
    parts = []
    for name in ("sqlite", "postgres"):
        if name in results:
            parts.append(f"{name}_p95_ms={results[name]['p95']:.1f}")
    for name in ("sqlite", "postgres"):
        if name in results:
            ratio = results[name]["p95"] / max(results[name]["bare_p95"], 1e-6)
            parts.append(f"{name}_ratio={ratio:.2f}")
    print("atlas_search " + " ".join(parts))


if __name__ == "__main__":
    if "--worker" in sys.argv:
        worker()
    else:
        main()
