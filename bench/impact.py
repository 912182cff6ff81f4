"""The impact page at five years of data, rendered without the page cache.

Builds, in a fresh SQLite database in a temporary folder (or the empty database
``--database-url`` / ``BENCH_DATABASE_URL`` names), five years of data: a million
download events (as the editorial app stores them: counts per page and day, 30 pages),
100,000 registrations for 500 events and 50,000 survey answers, plus manual figures,
indicators and targets. The big tables are written with COPY (PostgreSQL) or one
``executemany`` per table (SQLite) in one transaction. Then the periodic work runs
(``impact.figures.refresh`` for every year, ``impact.tallies.rebuild``, which the
answers written here in bulk need instead of ``surveys.submit``), and
``GET /wirkung/<year>/`` is sent ``--requests`` times (200) in-process through the whole
middleware stack with a session cookie, so the anonymous page cache never answers.
Last line:

    impact rows=… p95_ms=… queries=…

``rows`` = download events + registrations + answers behind the page, ``queries`` per
request. Goal: p95 ≤ 200 ms, queries independent of the amount of data
(``tests/impact/test_queries.py`` pins them). ``--scale 0.1`` builds a tenth (also
``BENCH_SCALE``); ``BENCH_KEEP=1`` keeps the data folder.
"""

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta

sys.path[:] = [p for p in sys.path if p and __file__.rpartition("/")[0] != p.rstrip("/")]
parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
parser.add_argument("--scale", type=float, default=float(os.environ.get("BENCH_SCALE", "1")))
parser.add_argument("--requests", type=int, default=int(os.environ.get("BENCH_REQUESTS", "200")))
parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", ""))
ARGS = parser.parse_args()

DATA_DIR = tempfile.mkdtemp(prefix="k360-impact-bench-")
os.environ["KOMMUNE360_DATA_DIR"] = DATA_DIR
os.environ["DATABASE_URL"] = ARGS.database_url or f"sqlite:///{DATA_DIR}/bench.sqlite3"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kommune360.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

YEARS = [2021, 2022, 2023, 2024, 2025]
PAGES = 30  # 20 episodes, 10 publications
BATCH = 10_000


def log(message):
    print(message, file=sys.stderr, flush=True)


def insert(model, objects):
    """Write unsaved ``objects`` of ``model`` without the ORM's per-row work: COPY on
    PostgreSQL, ``executemany`` on SQLite, ``BATCH`` rows at a time. The values go
    through each field's own conversion, as ``bulk_create`` would do."""
    from django.db import connection

    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    batch = []

    def flush():
        if not batch:
            return
        if connection.vendor == "postgresql":
            sql = f"COPY {table} ({columns}) FROM STDIN"
            with connection.connection.cursor() as cursor, cursor.copy(sql) as copy:
                for row in batch:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(fields))
            with connection.cursor() as cursor:
                cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", batch)
        batch.clear()

    connection.ensure_connection()
    for obj in objects:
        batch.append(tuple(f.get_db_prep_save(getattr(obj, f.attname), connection) for f in fields))
        if len(batch) >= BATCH:
            flush()
    flush()


def download_days(pages, downloads):
    """Rows of ``DownloadDay`` over five years whose counts add up to ``downloads``."""
    from kommune360.editorial.models import DownloadDay

    days = [date(YEARS[0], 1, 1) + timedelta(days=n) for n in range(365 * len(YEARS) + 1)]
    cells = [(page, day) for page in pages for day in days]
    each, rest = divmod(downloads, len(cells))
    for index, (page, day) in enumerate(cells):
        kind = "episode" if page.pk % 3 else "publication"
        count = each + (1 if index < rest else 0)
        yield DownloadDay(page_id=page.pk, day=day, kind=kind, count=count)


def build(scale):
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone
    from wagtail.models import Page

    from kommune360.editorial.models import DownloadDay
    from kommune360.events.models import Event, Registration
    from kommune360.impact.models import (
        Answer,
        Indicator,
        ManualFigure,
        Question,
        Response,
        Survey,
        Target,
    )

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    log(f"migrated in {time.perf_counter() - started:.0f} s")
    started = time.perf_counter()
    tz = timezone.get_default_timezone()
    root = Page.objects.get(depth=1)
    pages = [
        root.add_child(instance=Page(title=f"Datei {n}", slug=f"datei-{n}")) for n in range(PAGES)
    ]
    downloads = int(1_000_000 * scale)
    registrations = int(100_000 * scale)
    answers = int(50_000 * scale)
    with transaction.atomic():
        insert(DownloadDay, download_days(pages, downloads))
        starts = [
            datetime(YEARS[n % 5], 1 + n % 12, 1 + n % 28, 10, tzinfo=tz)
            for n in range(max(registrations // 200, 1))
        ]
        events = Event.objects.bulk_create(
            (
                Event(
                    title=f"Treffen {n}",
                    slug=f"treffen-{n}",
                    kind="network",
                    starts_at=start,
                    ends_at=start + timedelta(hours=6),
                    is_published=True,
                )
                for n, start in enumerate(starts)
            ),
            batch_size=1000,
        )
        now = timezone.now()
        statuses = ["confirmed"] * 8 + ["waitlisted", "cancelled"]
        insert(
            Registration,
            (
                Registration(
                    event_id=events[n % len(events)].pk,
                    name=f"Person {n}",
                    email=f"p{n}@beispiel.example",
                    status=statuses[n % len(statuses)],
                    access_key=f"k{n:039d}",
                    created_at=now,
                    status_changed_at=now,
                )
                for n in range(registrations)
            ),
        )
        survey = Survey.objects.create(
            title="Nachbefragung", subject_key="events.event", subject_id=events[0].pk
        )
        questions = [
            Question.objects.create(survey=survey, text=f"Frage {k}", kind=kind, order=k)
            for k, kind in enumerate(["scale", "yes_no", "number", "scale", "text"])
        ]
        responses = answers // len(questions)
        insert(
            Response,
            (
                Response(survey_id=survey.pk, month=date(YEARS[n % 5], 1 + n // 5 % 12, 1))
                for n in range(responses)
            ),
        )
        response_ids = list(Response.objects.order_by("pk").values_list("pk", flat=True))
        insert(
            Answer,
            (
                Answer(response_id=r, question_id=q.pk, text="Beispiel")
                if q.kind == "text"
                else Answer(
                    response_id=r,
                    question_id=q.pk,
                    number=(r % 2) if q.kind == "yes_no" else 1 + (r * 7 + k) % 5,
                )
                for r in response_ids
                for k, q in enumerate(questions)
            ),
        )
        for year in YEARS:
            ManualFigure.objects.create(
                key="sticker",
                year=year,
                label="Sticker",
                value=1000 + year,
                source="Lager",
                stage=1,
            )
        for key, question in (("events.participants", None), ("", questions[0])):
            indicator = Indicator.objects.create(
                name=key or "Zustimmung",
                stage=2 if key else 5,
                figure_key=key,
                question=question,
                source="figure" if key else "question",
            )
            Target.objects.bulk_create(
                Target(indicator=indicator, year=year, value=100) for year in YEARS
            )
    log(f"seeded in {time.perf_counter() - started:.0f} s")
    return downloads + registrations + responses * len(questions)


def main():
    from django.conf import settings
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from kommune360.impact import tallies
    from kommune360.impact.figures import refresh

    rows = build(ARGS.scale)
    started = time.perf_counter()
    for year in YEARS:
        refresh(year)
    tallies.rebuild()
    log(f"pre-aggregated five years in {time.perf_counter() - started:.1f} s")
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = "bench"  # the page cache stays out
    url = f"/wirkung/{YEARS[-1]}/"
    for _n in range(5):
        assert client.get(url).status_code == 200
    reset_queries()  # with DEBUG the log is full after seeding: the capture would see 0
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert "X-Page-Cache" not in response
    times = []
    for _n in range(ARGS.requests):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    log(
        f"{connection.vendor}: median {statistics.median(times):.1f} ms, "
        f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )
    print(f"impact rows={rows} p95_ms={p95:.1f} queries={len(queries)}")


if __name__ == "__main__":
    try:
        main()
    finally:
        if not os.environ.get("BENCH_KEEP"):
            shutil.rmtree(DATA_DIR, ignore_errors=True)
