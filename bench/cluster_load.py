"""Mixed load on the multi-server setup (``ops/cluster.py``) with locust, one app server
and one worker killed half-way.

Starts a fresh cluster (nginx, two gunicorn app servers, two RQ workers, PostgreSQL,
Redis, moto's S3 server) with mail going to an SMTP sink (``newsletter_send.py --sink``),
creates members with sessions, a rush event, 20,000 newsletter addresses and a
campaign, and runs locust users for ``BENCH_SECONDS`` (600) through nginx:

- 70 % anonymous visitors browsing every public section (home, atlas list, search and
  offers, events, Lernpfade, Magazin, Podcast, Publikationen, Mitdenken, newsletter,
  site search);
- 20 % logged-in members searching the atlas, opening events and Lernpfade and their
  account;
- 5 % members registering for the rush event (capacity ``BENCH_CAPACITY``);
- 5 % newsletter sign-ups and Mitdenken contributions under an offer (each from its
  own address: the cluster trusts two proxies here and the load client plays the outer
  one, ``X-Forwarded-For``).

The campaign is started when the load begins and sent by the workers meanwhile. At
``BENCH_KILL_AT`` of the run (0.5) app server 1 and the worker sending the campaign are
killed with SIGKILL and started again ``BENCH_RESTART_AFTER`` seconds later (60).
Afterwards the sink's log is compared with the 20,000 addresses and the rush event is
counted.

Environment: ``BENCH_SECONDS`` (600), ``BENCH_USERS`` (60), ``BENCH_SPAWN_RATE`` (20),
``BENCH_MEMBERS`` (300), ``BENCH_CAPACITY`` (100), ``BENCH_ADDRESSES`` (20000),
``BENCH_MAIL_WAIT`` (300: seconds to wait after the load for the campaign to finish),
``CLUSTER_PORT`` (8100) and the other ``CLUSTER_*`` of ops/cluster.py.

Stderr: progress, requests in flight at the kill, load average. Last line:

    cluster_load users= rps= p95_ms= errors= errors_after_kill= overbooked=
        duplicate_mails= missing_mails=

Goals: errors=0 apart from the killed server's requests in flight
(errors_after_kill ≤ in flight at the kill), overbooked=0, duplicate_mails=0,
missing_mails=0, p95 ≤ 300 ms.
"""

import sys

# bench/http.py would shadow the standard library's http package.
_HERE = __file__.rpartition("/")[0]
sys.path[:] = [p for p in sys.path if p and p.rstrip("/") != _HERE]

# locust patches the standard library (gevent) and must come first.
from gevent import monkey  # noqa: E402

monkey.patch_all()

import contextlib  # noqa: E402
import importlib.util  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import secrets  # noqa: E402
import socket  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections import Counter  # noqa: E402
from pathlib import Path  # noqa: E402

import gevent  # noqa: E402
from locust import HttpUser, between, task  # noqa: E402
from locust.env import Environment  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location("k360_cluster", ROOT / "ops" / "cluster.py")
cluster_module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(cluster_module)

SECONDS = float(os.environ.get("BENCH_SECONDS", 600))
USERS = int(os.environ.get("BENCH_USERS", 60))
SPAWN_RATE = float(os.environ.get("BENCH_SPAWN_RATE", 20))
MEMBERS = int(os.environ.get("BENCH_MEMBERS", 300))
CAPACITY = int(os.environ.get("BENCH_CAPACITY", 100))
ADDRESSES = int(os.environ.get("BENCH_ADDRESSES", 20_000))
KILL_AT = float(os.environ.get("BENCH_KILL_AT", 0.5))
RESTART_AFTER = float(os.environ.get("BENCH_RESTART_AFTER", 60))
MAIL_WAIT = float(os.environ.get("BENCH_MAIL_WAIT", 300))
PUBLIC = [
    "/",
    "/angebote/",
    "/angebote/?q=Digitalisierung",
    "/angebote/?q=Führung",
    "/veranstaltungen/",
    "/lernpfade/",
    "/magazin/",
    "/podcast/",
    "/publikationen/",
    "/mitdenken/",
    "/newsletter/",
    "/newsletter/archiv/",
    "/suche/?q=Verwaltung",
    "/en/",
]


def log(message):
    print(message, file=sys.stderr, flush=True)


class State:
    data: dict = {}
    kill_time: float | None = None
    in_flight = 0
    in_flight_at_kill = 0
    errors = 0
    errors_after_kill = 0
    statuses: Counter = Counter()


def _record(response, expected=(200, 302)):
    State.statuses[response.status_code] += 1
    if response.status_code not in expected:
        State.errors += 1
        if State.kill_time is not None:
            State.errors_after_kill += 1
        response.failure(f"status {response.status_code}")
    else:
        response.success()


class Visit:
    """A request counted while it is in flight (for the kill)."""

    def __init__(self, user, method, path, name=None, expected=(200, 302), **kwargs):
        self.user, self.method, self.path, self.kwargs = user, method, path, kwargs
        self.name, self.expected = name or path.split("?")[0], expected

    def __call__(self):
        State.in_flight += 1
        try:
            with self.user.client.request(
                self.method,
                self.path,
                name=self.name,
                catch_response=True,
                allow_redirects=False,
                **self.kwargs,
            ) as response:
                _record(response, self.expected)
        finally:
            State.in_flight -= 1


class Anonymous(HttpUser):
    weight = 70
    wait_time = between(0.5, 2)

    @task
    def browse(self):
        pages = PUBLIC + State.data["offers"] + State.data["events"] + State.data["paths"]
        Visit(self, "GET", random.choice(pages))()


class Member(HttpUser):
    weight = 20
    wait_time = between(0.5, 2)

    def on_start(self):
        person = random.choice(State.data["people"])
        self.client.cookies.set(State.data["session_cookie"], person["session"])

    @task
    def journey(self):
        step = random.choice(
            [
                "/angebote/?q=" + random.choice(["Moderation", "Agil", "Daten", "Beteiligung"]),
                random.choice(State.data["events"] or ["/veranstaltungen/"]),
                random.choice(State.data["paths"] or ["/lernpfade/"]),
                "/konto/",
            ]
        )
        Visit(self, "GET", step)()


class Registrant(HttpUser):
    weight = 5
    wait_time = between(1, 3)

    @task
    def register(self):
        person = random.choice(State.data["people"])
        token = secrets.token_hex(16)
        cookies = {
            State.data["session_cookie"]: person["session"],
            State.data["csrf_cookie"]: token,
        }
        Visit(
            self,
            "POST",
            f"/veranstaltungen/{State.data['rush']}/anmelden/",
            name="/veranstaltungen/[rush]/anmelden/",
            data={"csrfmiddlewaretoken": token, "name": person["name"], "privacy": "on"},
            cookies=cookies,
        )()


class Participant(HttpUser):
    weight = 5
    wait_time = between(1, 3)

    @task
    def sign_up(self):
        address = f"10.{random.randrange(256)}.{random.randrange(256)}.{random.randrange(1, 255)}"
        Visit(
            self,
            "POST",
            "/newsletter/",
            data={
                "email": f"neu{secrets.token_hex(5)}@cluster.example",
                "topics": State.data["topic"],
                "consent": "on",
            },
            headers={"X-Forwarded-For": address},
        )()
        Visit(
            self,
            "POST",
            "/mitdenken/beitragen/",
            data={
                **State.data["contribution"],
                "email": f"beitrag{secrets.token_hex(5)}@cluster.example",
            },
            headers={"X-Forwarded-For": address},
        )()


def _sink(folder):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    logfile = folder / "sink.log"
    logfile.touch()
    process = subprocess.Popen(
        [
            sys.executable,
            str(ROOT / "bench" / "newsletter_send.py"),
            "--sink",
            str(port),
            str(logfile),
        ],
        stdout=subprocess.PIPE,
    )
    assert process.stdout.readline().strip() == b"ready"
    return process, port, logfile


def _sending_worker(cluster, campaign_id):
    """The worker part whose process sends the campaign now (worker1 if none does)."""
    import psycopg

    with psycopg.connect(cluster.config.database_url) as db:
        row = db.execute(
            "SELECT worker FROM newsletter_campaign WHERE id = %s", [campaign_id]
        ).fetchone()
    pid = (row[0] or "").split(":")[1] if row and row[0] else ""
    for name in cluster_module.WORKERS:
        if pid.isdigit() and int(pid) in cluster.processes(name):
            return name
    return "worker1"


def _shell(cluster, code):
    return cluster.run(
        "app1",
        "shell",
        "-c",
        f"import sys; sys.path += [{str(ROOT)!r}, {str(ROOT / 'bench')!r}]; "
        f"from support import cluster_data; {code}",
    )


class CpuMeter:
    """CPU seconds used by each part of the cluster, the services it uses and the load
    client while the load runs, sampled every ``period`` seconds: a process's time counts
    from its first to its last sample, so parts killed and started again count both
    lives (less the last ``period`` before the kill)."""

    def __init__(self, cluster, sink, period=2.0):
        self.cluster, self.sink, self.period = cluster, sink, period
        self.seen = {}  # pid → [group, first, last]
        self.running = True

    def _processes(self):
        import psutil

        for name in self.cluster.status():
            for pid in self.cluster.processes(name):
                yield name, pid
        for process in psutil.process_iter(["name"]):
            if process.info["name"] in ("postgres", "redis-server"):
                yield process.info["name"], process.pid
        yield "smtp sink", self.sink.pid
        yield "load client", os.getpid()

    def sample(self):
        import psutil

        for group, pid in self._processes():
            with contextlib.suppress(psutil.Error):
                times = psutil.Process(pid).cpu_times()
                used = times.user + times.system + times.children_user + times.children_system
                entry = self.seen.setdefault(pid, [group, used, used])
                entry[2] = used

    def run(self):
        while self.running:
            self.sample()
            gevent.sleep(self.period)

    def report(self, seconds):
        self.running = False
        self.sample()
        groups = Counter()
        for group, first, last in self.seen.values():
            groups[group] += last - first
        listed = ", ".join(f"{name} {value:.0f}" for name, value in groups.most_common())
        return f"CPU seconds during the {seconds:.0f} s of load ({os.cpu_count()} cores): {listed}"


def main():
    folder = Path(tempfile.mkdtemp(prefix="cluster-load-"))
    sink, sink_port, sink_log = _sink(folder)
    config = cluster_module.Config(
        CLUSTER_SITE_EMAIL_URL=f"smtp://127.0.0.1:{sink_port}",
        # The load client plays an outer proxy: each sign-up has an address of its own.
        CLUSTER_SITE_TRUSTED_PROXY_COUNT="2",
        CLUSTER_SITE_NEWSLETTER_RATE_LIMIT=str(round(ADDRESSES / max(60.0, SECONDS * 0.8), 1)),
    )
    cluster = cluster_module.Cluster(config)
    try:
        log("cluster starting …")
        cluster.start()
        output = folder / "prepared.json"
        _shell(
            cluster, f"cluster_data.prepare({str(output)!r}, {MEMBERS}, {CAPACITY}, {ADDRESSES})"
        )
        State.data = json.loads(output.read_text())
        State.data["rush"] = "cluster-rush"
        log(f"prepared: {MEMBERS} members, {ADDRESSES} addresses; load for {SECONDS:.0f} s")
        _shell(cluster, f"cluster_data.start_campaign({State.data['campaign']})")

        env = Environment(
            user_classes=[Anonymous, Member, Registrant, Participant], host=config.url
        )
        runner = env.create_local_runner()
        meter = CpuMeter(cluster, sink)
        gevent.spawn(meter.run)
        runner.start(USERS, spawn_rate=SPAWN_RATE)
        started = time.monotonic()
        gevent.sleep(SECONDS * KILL_AT)
        State.in_flight_at_kill = State.in_flight
        State.kill_time = time.monotonic()
        cluster.kill("app1")
        victim = _sending_worker(cluster, State.data["campaign"])
        cluster.kill(victim)
        log(f"the campaign was being sent by {victim}")
        log(
            f"killed app1 and {victim} at {State.kill_time - started:.0f} s "
            f"({State.in_flight_at_kill} in flight)"
        )
        gevent.sleep(min(RESTART_AFTER, max(0.0, SECONDS - (time.monotonic() - started))))
        gevent.spawn(cluster.restart, "app1")
        gevent.spawn(cluster.restart, victim)
        gevent.sleep(max(0.0, SECONDS - (time.monotonic() - started)))
        runner.quit()
        elapsed = time.monotonic() - started
        log(meter.report(elapsed))
        total = env.stats.total
        load = os.getloadavg()[0]

        deadline = time.monotonic() + MAIL_WAIT
        counts_file = folder / "counts.json"
        while True:
            _shell(cluster, f"cluster_data.count({str(counts_file)!r}, {State.data['campaign']})")
            counts = json.loads(counts_file.read_text())
            if counts["campaign"] == "sent" or time.monotonic() > deadline:
                break
            time.sleep(5)
        received = Counter(line.split(" ", 1)[1] for line in sink_log.read_text().splitlines())
        expected = {f"leser{n:06d}@cluster.example" for n in range(ADDRESSES)}
        duplicates = sum(n - 1 for rcpt, n in received.items() if rcpt in expected and n > 1)
        missing = len(expected - set(received))
        overbooked = max(0, counts["confirmed"] - counts["capacity"])
        slowest = sorted(
            env.stats.entries.values(),
            key=lambda entry: entry.get_response_time_percentile(0.95),
            reverse=True,
        )[:8]
        log(
            "slowest (p50/p95 ms, requests): "
            + "; ".join(
                f"{e.method} {e.name} {e.median_response_time:.0f}/"
                f"{e.get_response_time_percentile(0.95):.0f} {e.num_requests}"
                for e in slowest
            )
        )
        log(
            f"campaign {counts['campaign']} {counts['deliveries']}; "
            f"statuses {dict(State.statuses)}; "
            f"in flight at kill {State.in_flight_at_kill}; load average {load:.1f}; "
            f"{total.num_requests} requests in {elapsed:.0f} s"
        )
        print(
            f"cluster_load users={USERS} rps={total.num_requests / elapsed:.1f} "
            f"p95_ms={total.get_response_time_percentile(0.95):.0f} errors={State.errors} "
            f"errors_after_kill={State.errors_after_kill} overbooked={overbooked} "
            f"duplicate_mails={duplicates} missing_mails={missing}"
        )
    finally:
        if os.environ.get("BENCH_KEEP") != "1":
            cluster.stop(quiet=True)
        sink.terminate()


if __name__ == "__main__":
    main()
