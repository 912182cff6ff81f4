"""2,000 people register at the same moment for an event with 200 places.

Sets up a fresh PostgreSQL database (``BENCH_DATABASE_URL``, default
``postgres://postgres@127.0.0.1:5432/kommune360_rush``; it is dropped and created),
migrates it, creates the event and 2,000 logged-in people (sessions written directly,
no password hashing), serves the site as in production (gunicorn, DEBUG off, plain
HTTP on loopback) and sends all registrations over HTTP from ``BENCH_CLIENTS``
concurrent client threads (default 100) on keep-alive connections, each registration
one POST of the registration form with the person's session cookie and a CSRF token.

Success is the redirect to the person's registration page. Afterwards the database is
counted: nobody may hold a place beyond the capacity, nobody may be there twice.

The same clients also send as many POSTs to ``/__bench__/bare`` (a view that answers
three bytes through the same middleware stack, ``KOMMUNE360_BENCH=1``) right before
and right after the rush: ``ratio`` = registrations per second / bare requests per
second at that moment, which makes runs on a busy machine comparable. On stderr: the
CPU milliseconds per registration of the server, the database backends and the
client, and the load average. The last line of output is

    registration_rush confirmed=… waitlisted=… errors=… overbooked=… regs_per_s=…
        bare_rps=… ratio=… load=…

(one line; ``load`` is the one-minute load average at the end of the rush).

Goal: confirmed=200 waitlisted=1800 errors=0 overbooked=0 regs_per_s>=200.
Environment: ``BENCH_PEOPLE`` (2000), ``BENCH_CAPACITY`` (200), ``BENCH_CLIENTS``
(100), ``BENCH_WORKERS`` / ``BENCH_THREADS`` (gunicorn, default 4 / 4),
``BENCH_KEEP=1`` keeps the database and the temporary data folder,
``BENCH_TEMPLATE=<name>`` copies a migrated database instead of starting empty.
"""

import sys

# This folder goes to the end of the import path (for the ``support`` package):
# bench/http.py would shadow the standard library's http package.
_HERE = __file__.rpartition("/")[0]
sys.path[:] = [p for p in sys.path if p and p.rstrip("/") != _HERE] + [_HERE]

import http.client  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import secrets  # noqa: E402
import shutil  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
import urllib.parse  # noqa: E402
from pathlib import Path  # noqa: E402

from support.serving import (  # noqa: E402
    BARE,
    BIN,
    HOST,
    ROOT,
    free_port,
    log,
    site_environment,
    start_gunicorn,
    stop,
    wait_until_up,
)

DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/kommune360_rush"
)
PEOPLE = int(os.environ.get("BENCH_PEOPLE", "2000"))
CAPACITY = int(os.environ.get("BENCH_CAPACITY", "200"))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "100"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))
THREADS = int(os.environ.get("BENCH_THREADS", "4"))
SLUG = "registration-rush"


def recreate_database():
    import psycopg

    parsed = urllib.parse.urlparse(DATABASE_URL)
    name = parsed.path.lstrip("/")
    admin_url = parsed._replace(path="/postgres").geturl()
    template = os.environ.get("BENCH_TEMPLATE", "")
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(
            f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else "")
        )


def drop_database():
    import psycopg

    parsed = urllib.parse.urlparse(DATABASE_URL)
    admin_url = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{parsed.path.lstrip("/")}" WITH (FORCE)')


def django_step(env, step, output):
    subprocess.run(
        [sys.executable, __file__, f"--{step}", str(output)],
        env=env,
        cwd=ROOT,
        check=True,
        timeout=900,
    )


# --- Steps that run inside Django (subprocesses with the site's environment) -----------


def _setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kommune360.settings")
    import django

    django.setup()


def prepare(output):
    """Create the event and PEOPLE users with sessions; write their cookies to ``output``."""
    _setup_django()
    from datetime import timedelta

    from django.conf import settings
    from django.utils import timezone
    from support.sessions import logged_in

    from kommune360.accounts.models import User
    from kommune360.events.models import Event

    now = timezone.now()
    Event.objects.create(
        title="Registration rush",
        slug=SLUG,
        kind=Event.Kind.FESTIVAL,
        starts_at=now + timedelta(days=30),
        ends_at=now + timedelta(days=30, hours=8),
        city="Musterstadt",
        capacity=CAPACITY,
        is_published=True,
    )
    users = User.objects.bulk_create(
        User(email=f"rush{n}@beispiel.example", first_name="Rush", last_name=str(n), password="!")
        for n in range(PEOPLE)
    )
    people = logged_in(users, "Rush")
    Path(output).write_text(
        json.dumps(
            {
                "people": people,
                "session_cookie": settings.SESSION_COOKIE_NAME,
                "csrf_cookie": settings.CSRF_COOKIE_NAME,
            }
        )
    )


def count(output):
    _setup_django()
    from django.db.models import Count

    from kommune360.events.models import Event, Registration

    event = Event.objects.get(slug=SLUG)
    by_status = dict(
        Registration.objects.filter(event=event)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    duplicates = (
        Registration.objects.filter(event=event)
        .exclude(status="cancelled")
        .values("email")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .count()
    )
    Path(output).write_text(
        json.dumps({"by_status": by_status, "duplicates": duplicates, "capacity": event.capacity})
    )


# --- The load client -------------------------------------------------------------------


class Client(threading.Thread):
    """One keep-alive connection that sends POSTs to ``path`` until ``jobs`` is empty."""

    def __init__(self, port, path, jobs, cookies, results, expect):
        super().__init__(daemon=True)
        self.port, self.path, self.jobs, self.cookies = port, path, jobs, cookies
        self.results, self.expect = results, expect
        self.connection = None

    def post(self, person):
        token = secrets.token_hex(16)  # 32 characters: a valid unmasked CSRF secret
        body = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": token, "name": person["name"], "privacy": "on"}
        )
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"{self.cookies[0]}={person['session']}; {self.cookies[1]}={token}",
        }
        for attempt in range(2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection(HOST, self.port, timeout=60)
            try:
                self.connection.request("POST", self.path, body, headers)
                response = self.connection.getresponse()
                response.read()
                if response.getheader("Connection", "").lower() == "close":
                    self.connection.close()
                    self.connection = None
                return response.status, response.getheader("Location", "")
            except (OSError, http.client.HTTPException) as error:
                self.connection.close()
                self.connection = None
                if attempt:
                    return 0, repr(error)
        return 0, "unreachable"

    def run(self):
        while True:
            try:
                person = self.jobs.pop()
            except IndexError:
                return
            status, location = self.post(person)
            ok = self.expect(status, location)
            self.results.append((ok, status, location if not ok else ""))


def registered(status, location):
    return status == 302 and "/veranstaltungen/anmeldung/" in location


def answered(status, location):
    return status == 200


def send_all(port, path, people, cookies, expect):
    """POST to ``path`` once per person from CLIENTS threads; returns (results, seconds)."""
    jobs, results = list(people), []
    clients = [
        Client(port, path, jobs, cookies, results, expect) for _ in range(min(CLIENTS, len(jobs)))
    ]
    started = time.perf_counter()
    for client in clients:
        client.start()
    for client in clients:
        client.join()
    return results, time.perf_counter() - started


# --- CPU time per party, from /proc (Linux) ---------------------------------------------


def _cpu_seconds(pid):
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:  # gone meanwhile
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def _process_group(pgid):
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[2]) == pgid:
                pids.append(int(entry.name))
    return pids


def _database_backends():
    import psycopg

    with psycopg.connect(DATABASE_URL) as connection:
        rows = connection.execute(
            "SELECT pid FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return [pid for (pid,) in rows]


def cpu_now(server):
    """CPU seconds so far per process: the server's group, the database backends of the
    benchmark database (the web processes keep theirs, CONN_MAX_AGE), and this client."""
    import resource

    own = resource.getrusage(resource.RUSAGE_SELF)
    return {
        "server": {pid: _cpu_seconds(pid) for pid in _process_group(server.pid)},
        "db": {pid: _cpu_seconds(pid) for pid in _database_backends()},
        "client": {0: own.ru_utime + own.ru_stime},
    }


def cpu_used(before, after):
    """Seconds per party between two ``cpu_now``; processes started meanwhile count fully."""
    return {
        party: sum(seconds - before[party].get(pid, 0.0) for pid, seconds in now.items())
        for party, now in after.items()
    }


def main():
    data_dir = Path(tempfile.mkdtemp(prefix="kommune360-rush-"))
    (data_dir / "static").mkdir()  # WhiteNoise looks there; nothing here needs static files
    port = free_port()
    env = site_environment(data_dir, port, DATABASE_URL=DATABASE_URL)
    server = None
    try:
        log(f"Database {DATABASE_URL}: recreating and migrating …")
        recreate_database()
        subprocess.run(
            [str(BIN / "kommune360"), "migrate", "--no-input", "-v0"],
            env=env,
            cwd=ROOT,
            check=True,
            timeout=900,
        )
        people_file = data_dir / "people.json"
        log(f"Creating the event ({CAPACITY} places) and {PEOPLE} logged-in people …")
        django_step(env, "prepare", people_file)
        setup = json.loads(people_file.read_text())
        log(f"Starting gunicorn ({WORKERS} workers × {THREADS} threads) on port {port} …")
        server = start_gunicorn(
            env,
            port,
            workers=WORKERS,
            threads=THREADS,
            keep_alive=30,
            options=("--backlog", "4096", "--log-level", "warning"),
        )
        wait_until_up(port, server, "/healthz", answers=(200, 503), seconds=90)
        people, cookies = setup["people"], (setup["session_cookie"], setup["csrf_cookie"])
        log(f"{len(people)} POSTs to the bare view …")
        bare_before = send_all(port, BARE, people, cookies, answered)
        log(f"{PEOPLE} registrations from {min(CLIENTS, PEOPLE)} concurrent clients …")
        cpu_before = cpu_now(server)
        results, elapsed = send_all(
            port, f"/veranstaltungen/{SLUG}/anmelden/", people, cookies, registered
        )
        cpu_after = cpu_now(server)
        load = os.getloadavg()[0]
        log(f"{len(people)} POSTs to the bare view …")
        bare_after = send_all(port, BARE, people, cookies, answered)
        bare_rps = sum(len(r) for r, _ in (bare_before, bare_after)) / (
            bare_before[1] + bare_after[1]
        )
        bare_errors = sum(1 for r, _ in (bare_before, bare_after) for ok, *_ in r if not ok)
        cpu = {k: v * 1000 / len(results) for k, v in cpu_used(cpu_before, cpu_after).items()}
        log(
            "CPU ms per registration: "
            + " ".join(f"{k}={v:.2f}" for k, v in cpu.items())
            + f"; load average {load:.2f}"
            + (f"; {bare_errors} bare requests failed" if bare_errors else "")
        )
        errors = [r for r in results if not r[0]]
        for _, status, detail in errors[:5]:
            log(f"  error: HTTP {status} {detail[:200]}")
        counts_file = data_dir / "counts.json"
        django_step(env, "count", counts_file)
        counts = json.loads(counts_file.read_text())
        by_status = counts["by_status"]
        holding = by_status.get("confirmed", 0) + by_status.get("offered", 0)
        overbooked = max(holding - counts["capacity"], 0) + counts["duplicates"]
        log(f"{len(results)} answers in {elapsed:.1f} s; statuses {by_status}")
        regs_per_s = len(results) / elapsed
        print(
            f"registration_rush confirmed={by_status.get('confirmed', 0)} "
            f"waitlisted={by_status.get('waitlisted', 0)} errors={len(errors)} "
            f"overbooked={overbooked} regs_per_s={regs_per_s:.0f} "
            f"bare_rps={bare_rps:.0f} ratio={regs_per_s / bare_rps:.2f} load={load:.1f}",
            flush=True,
        )
        ok = (
            by_status.get("confirmed", 0) == CAPACITY
            and by_status.get("waitlisted", 0) == PEOPLE - CAPACITY
            and not errors
            and not overbooked
        )
        return 0 if ok else 1
    finally:
        stop(server)
        if not os.environ.get("BENCH_KEEP"):
            shutil.rmtree(data_dir, ignore_errors=True)
            try:
                drop_database()
            except Exception as error:  # the result above stands; report the leftover
                log(f"Could not drop the benchmark database: {error}")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--prepare":
        prepare(sys.argv[2])
    elif len(sys.argv) == 3 and sys.argv[1] == "--count":
        count(sys.argv[2])
    else:
        sys.exit(main())
