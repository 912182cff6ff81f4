"""The impact page at five years of data, rendered without the page cache.

Builds, in a fresh SQLite database in a temporary folder, five years of data: a million
download events (as the editorial app stores them: daily counts per episode or
publication), 100,000 event registrations and 50,000 survey answers, plus manual
figures, indicators and targets. Then the refresh task pre-aggregates every year
(``impact.figures.refresh``) and ``GET /wirkung/<year>/`` is sent ``BENCH_REQUESTS``
times (default 200) in-process through the whole middleware stack with a session cookie,
so the anonymous page cache never answers. Last line:

    impact rows=… p95_ms=… queries=…

``rows`` = download events + registrations + answers behind the page, ``queries`` per
request. Goal: p95 ≤ 200 ms, queries independent of the amount of data.
Environment: ``BENCH_SCALE`` (default 1.0; 0.1 builds a tenth), ``BENCH_REQUESTS``.
"""

import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta

sys.path[:] = [p for p in sys.path if p and __file__.rpartition("/")[0] != p.rstrip("/")]
DATA_DIR = tempfile.mkdtemp(prefix="k360-impact-bench-")
os.environ["KOMMUNE360_DATA_DIR"] = DATA_DIR
os.environ["DATABASE_URL"] = f"sqlite:///{DATA_DIR}/bench.sqlite3"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kommune360.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

SCALE = float(os.environ.get("BENCH_SCALE", "1.0"))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "200"))
YEARS = [2021, 2022, 2023, 2024, 2025]


def log(message):
    print(message, file=sys.stderr, flush=True)


def build():
    from django.core.management import call_command
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

    call_command("migrate", verbosity=0)
    rng = random.Random(19)
    tz = timezone.get_default_timezone()
    pages = dict(zip(("episode", "publication"), Page.objects.order_by("pk")[:2], strict=True))
    downloads = int(1_000_000 * SCALE)
    days = [date(YEARS[0], 1, 1) + timedelta(days=n) for n in range(365 * len(YEARS))]
    per_day = downloads // (len(days) * 2)
    rows = [
        DownloadDay(page=pages[kind], day=day, kind=kind, count=per_day)
        for day in days
        for kind in ("episode", "publication")
    ]
    DownloadDay.objects.bulk_create(rows, batch_size=5000)
    registrations = int(100_000 * SCALE)
    events = []
    for n in range(max(registrations // 200, 1)):
        starts = datetime(rng.choice(YEARS), rng.randint(1, 12), rng.randint(1, 28), 10, tzinfo=tz)
        events.append(
            Event(
                title=f"Treffen {n}",
                slug=f"treffen-{n}",
                kind="network",
                starts_at=starts,
                ends_at=starts + timedelta(hours=6),
                is_published=True,
            )
        )
    Event.objects.bulk_create(events, batch_size=1000)
    events = list(Event.objects.all())
    Registration.objects.bulk_create(
        (
            Registration(
                event=events[n % len(events)],
                name=f"Person {n}",
                email=f"p{n}@beispiel.example",
                status="confirmed",
                access_key=f"k{n:038d}",
            )
            for n in range(registrations)
        ),
        batch_size=5000,
    )
    survey = Survey.objects.create(
        title="Nachbefragung", subject_key="events.event", subject_id=events[0].pk, is_active=False
    )
    questions = [
        Question.objects.create(survey=survey, text=f"Frage {k}", kind=kind, order=k)
        for k, kind in enumerate(["scale", "yes_no", "number", "scale", "text"])
    ]
    answers = int(50_000 * SCALE)
    responses = Response.objects.bulk_create(
        (
            Response(survey=survey, month=date(rng.choice(YEARS), rng.randint(1, 12), 1))
            for _n in range(answers // len(questions))
        ),
        batch_size=5000,
    )
    Answer.objects.bulk_create(
        (
            Answer(response=r, question=q, text="Beispiel")
            if q.kind == "text"
            else Answer(
                response=r,
                question=q,
                number=rng.randint(0, 1) if q.kind == "yes_no" else rng.randint(1, 5),
            )
            for r in responses
            for q in questions
        ),
        batch_size=5000,
    )
    for year in YEARS:
        ManualFigure.objects.create(
            key="sticker",
            year=year,
            label="Sticker",
            value=1000 + year,
            source="Lagerliste",
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
        for year in YEARS:
            Target.objects.create(indicator=indicator, year=year, value=100)
    return downloads + registrations + answers


def main():
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from kommune360.impact.figures import refresh

    started = time.perf_counter()
    rows = build()
    log(f"built {rows} rows in {time.perf_counter() - started:.0f} s")
    started = time.perf_counter()
    for year in YEARS:
        refresh(year)
    log(f"pre-aggregated five years in {time.perf_counter() - started:.1f} s")
    client = Client()
    client.cookies["sessionid"] = "bench"  # a session cookie: the page cache stays out
    url = f"/wirkung/{YEARS[-1]}/"
    for _n in range(5):
        assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    times = []
    for _n in range(REQUESTS):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    log(f"median {statistics.median(times):.1f} ms")
    print(f"impact rows={rows} p95_ms={p95:.1f} queries={len(queries)}")


if __name__ == "__main__":
    main()
