"""Newsletter sending: throughput, and exactly-once after a kill.

What it does, all on 127.0.0.1 in a fresh temporary data folder (on /dev/shm when it
exists; removed at the end):

1. Creates the tables (from the models, as the test runner does: the schema is the
   same as after ``migrate``, minus minutes of migrations), 100,000 active subscribers
   and one campaign (the demo's December issue when it exists, else a similar body),
   and freezes its recipient list (100,000 ``Delivery`` rows).
2. Reference: a bare ``smtplib`` loop, ``BENCH_CONNECTIONS`` threads with one
   connection each, sends one rendered message of that campaign to every address to
   an aiosmtpd sink (its own process) that logs each accepted message.
3. The real thing: ``kommune360 newsletter_send`` with the same number of connections
   sends the campaign to a fresh sink. When about half has arrived, the worker is
   killed with SIGKILL; a new worker is started and finishes the campaign.
4. Counts, from the sink's log, how often each address received the campaign.

The sink is aiosmtpd (its SMTP state machine and handler API) made light so that it
measures the sender: uvloop as event loop when installed (test extras), DATA read in
one piece up to the end-of-data line instead of line by line, the handler counts and
discards (no parsing), and it announces PIPELINING (RFC 2920) like Postfix does. The
bare loop is ``smtplib.sendmail``, which does not pipeline; the worker does.

Rates are messages per second between the first and the last message the sink saw
(for the worker: summed over both runs, without the dead time around the kill). The
log also gives CPU seconds per 1,000 messages for sender and sink (the worker's
include its two Django start-ups); unlike the rates they hardly change when other work
shares the machine.
The last line of output is

    newsletter_send msgs_per_s=… bare_msgs_per_s=… ratio=… duplicates=… missing=…

Goal: msgs_per_s >= 830, ratio >= 0.7, duplicates=0, missing=0.

Environment: ``BENCH_SUBSCRIBERS`` (default 100000), ``BENCH_CONNECTIONS`` (default 4),
``BENCH_BARE_MESSAGES`` (default: as many as subscribers), ``BENCH_DATABASE_URL``
(default: SQLite in the data folder), ``BENCH_KEEP=1`` keeps the data folder.
"""

import sys

# bench/http.py would shadow the standard library's http package: keep this folder
# off the import path.
sys.path[:] = [p for p in sys.path if p and __file__.rpartition("/")[0] != p.rstrip("/")]

import os  # noqa: E402
import secrets  # noqa: E402
import shutil  # noqa: E402
import signal  # noqa: E402
import smtplib  # noqa: E402
import socket  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
from collections import Counter  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
HOST = "127.0.0.1"
SUBSCRIBERS = int(os.environ.get("BENCH_SUBSCRIBERS", "100000"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "4"))
BARE_MESSAGES = int(os.environ.get("BENCH_BARE_MESSAGES", str(SUBSCRIBERS)))
GOAL_RATE, GOAL_RATIO = 830, 0.7


def log(message):
    print(message, file=sys.stderr, flush=True)


def free_port():
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


# --- The sink (runs as its own process: ``newsletter_send.py --sink PORT LOGFILE``) ------


def run_sink(port, logfile):
    """An aiosmtpd server that logs ``time recipient`` per accepted message.

    Kept light so that it measures the sender, not itself: the handler neither parses
    nor stores the message, and DATA is read in one piece up to the end-of-data line
    instead of aiosmtpd's line-by-line loop (a 20 kB message is ~300 lines, each an
    ``await``; that loop alone capped the sink at ~750 messages/s on two cores).
    """
    import asyncio

    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import SMTP

    try:
        import uvloop
    except ImportError:
        uvloop = None

    out = open(logfile, "a", buffering=1)  # noqa: SIM115 - lives as long as the process

    class Handler:
        async def handle_EHLO(self, server, session, envelope, hostname, responses):
            session.host_name = hostname
            return [*responses[:-1], "250-PIPELINING", responses[-1]]

        async def handle_DATA(self, server, session, envelope):
            now = time.time()
            out.write("".join(f"{now:.6f} {rcpt}\n" for rcpt in envelope.rcpt_tos))
            return "250 2.0.0 Ok: queued"

    class CountingSMTP(SMTP):
        # The stream limit doubles as the longest line and, here, the longest message.
        line_length_limit = 1 << 22

        async def smtp_DATA(self, arg):
            if await self.check_helo_needed():
                return
            if not self.envelope.rcpt_tos:
                await self.push("503 Error: need RCPT command")
                return
            await self.push("354 End data with <CR><LF>.<CR><LF>")
            try:
                data = await self._reader.readuntil(b"\r\n.\r\n")
            except asyncio.LimitOverrunError:
                self._writer.close()
                return
            self.envelope.original_content = self.envelope.content = data[:-3]
            status = await self._call_handler_hook("DATA")
            self._set_post_data_state()
            await self.push(status)

    class CountingController(Controller):
        def factory(self):
            return CountingSMTP(self.handler, **self.SMTP_kwargs)

    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM, signal.SIGINT})
    loop = uvloop.new_event_loop() if uvloop else None
    controller = CountingController(Handler(), hostname=HOST, port=port, loop=loop)
    controller.start()
    print("ready", flush=True)
    signal.sigwait({signal.SIGTERM, signal.SIGINT})
    controller.stop()


class Sink:
    def __init__(self, folder, name):
        self.port = free_port()
        self.logfile = folder / f"sink-{name}.log"
        self.logfile.touch()
        self.process = subprocess.Popen(
            [sys.executable, __file__, "--sink", str(self.port), str(self.logfile)],
            stdout=subprocess.PIPE,
        )
        assert self.process.stdout.readline().strip() == b"ready"
        self._offset = 0
        self._lines = 0

    def count(self):
        with open(self.logfile, "rb") as f:
            f.seek(self._offset)
            data = f.read()
        complete = data.rpartition(b"\n")[0]
        if complete:
            self._offset += len(complete) + 1
            self._lines += complete.count(b"\n") + 1
        return self._lines

    def entries(self):
        rows = []
        for line in self.logfile.read_text().splitlines():
            stamp, _sep, rcpt = line.partition(" ")
            rows.append((float(stamp), rcpt))
        return rows

    def cpu_seconds(self):
        """user + system CPU time of the sink process so far."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rpartition(")")[2].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)


def child_cpu(process):
    """Wait for a child and return its user + system CPU time (setup included)."""
    _pid, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    return usage.ru_utime + usage.ru_stime


def cpu_line(name, count, sender, sink):
    """CPU per 1,000 messages: comparable when other work shares the machine."""
    per = 1000 / count if count else 0
    return f"{name}: CPU per 1000 messages: sender {sender * per:.2f} s, sink {sink * per:.2f} s"


def span_rate(stamps):
    stamps = sorted(stamps)
    if len(stamps) < 2:
        return 0.0, 0.0
    return len(stamps), stamps[-1] - stamps[0]


# --- Setting up -------------------------------------------------------------------------


def setup_django(folder):
    os.environ.update(
        {
            "KOMMUNE360_DATA_DIR": str(folder / "data"),
            "SECRET_KEY": secrets.token_urlsafe(50),
            "DEBUG": "false",
            "SECURE_SSL_REDIRECT": "false",
            "KOMMUNE360_TASKS": "immediate",
            "LOG_LEVEL": "ERROR",
            "DATABASE_URL": os.environ.get("BENCH_DATABASE_URL")
            or f"sqlite:///{folder / 'bench.sqlite3'}",
        }
    )
    os.environ.pop("PYTEST_VERSION", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kommune360.settings")
    import django

    django.setup()
    from django.apps import apps
    from django.conf import settings
    from django.core.management import call_command

    settings.MIGRATION_MODULES = {config.label: None for config in apps.get_app_configs()}
    call_command("migrate", run_syncdb=True, verbosity=0)


def create_campaign():
    from django.db import transaction

    from kommune360.newsletter import services
    from kommune360.newsletter.models import Campaign, Subscriber, new_token

    started = time.monotonic()
    with transaction.atomic():
        Subscriber.objects.bulk_create(
            (
                Subscriber(email=f"leser{n:06d}@bench.example", state="active", token=new_token())
                for n in range(SUBSCRIBERS)
            ),
            batch_size=5000,
        )
    try:
        from kommune360.newsletter.demo import december_body

        body = december_body()
    except ImportError:  # pragma: no cover - older tree
        from tests.factories.newsletter import campaign_body

        body = campaign_body()
    campaign = Campaign.objects.create(subject="Rückblick 2024 (Bench)", body=body)
    count = services.start_sending(campaign, enqueue_task=False)
    log(f"{count} recipients frozen in {time.monotonic() - started:.1f} s")
    return campaign


# --- Reference: a bare smtplib loop ---------------------------------------------------------


def bare_loop(campaign, port):
    from kommune360.newsletter.models import Subscriber
    from kommune360.newsletter.rendering import MailTemplate

    template = MailTemplate(campaign)
    first = Subscriber.objects.order_by("pk").first()
    message = template.message_bytes(to=first.email, subscriber_token=first.token, delivery_id=0)
    # message_bytes doubles leading dots for SMTP; smtplib.sendmail does that itself.
    message = message.replace(b"\r\n..", b"\r\n.")
    sender = template.sender
    addresses = [f"leser{n % SUBSCRIBERS:06d}@bench.example" for n in range(BARE_MESSAGES)]
    log(f"bare: {len(message)} bytes per message, {CONNECTIONS} connections")

    def worker(part):
        smtp = smtplib.SMTP(HOST, port)
        for address in part:
            smtp.sendmail(sender, [address], message)
        smtp.quit()

    threads = [
        threading.Thread(target=worker, args=(addresses[i::CONNECTIONS],))
        for i in range(CONNECTIONS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


# --- The worker, killed at half --------------------------------------------------------------


def start_worker(campaign_id, port):
    env = {**os.environ, "EMAIL_URL": f"smtp://{HOST}:{port}"}
    return subprocess.Popen(
        [str(BIN / "kommune360"), "newsletter_send", "--campaign", str(campaign_id)]
        + ["--connections", str(CONNECTIONS), "--batch-size", "500"],
        env=env,
        cwd=ROOT,
    )


def main():
    base = Path("/dev/shm") if Path("/dev/shm").is_dir() else None
    folder = Path(tempfile.mkdtemp(prefix="k360-bench-newsletter-", dir=base))
    sinks = []
    try:
        setup_django(folder)
        from django.db import connections

        campaign = create_campaign()
        connections.close_all()

        sink = Sink(folder, "bare")
        sinks.append(sink)
        cpu = time.process_time()
        bare_loop(campaign, sink.port)
        bare_cpu = time.process_time() - cpu, sink.cpu_seconds()
        bare_count, bare_span = span_rate([t for t, _r in sink.entries()])
        sink.stop()
        bare_rate = bare_count / bare_span if bare_span else 0.0
        log(f"bare: {bare_count} messages in {bare_span:.1f} s = {bare_rate:.0f}/s")
        log(cpu_line("bare", bare_count, *bare_cpu))

        sink = Sink(folder, "worker")
        sinks.append(sink)
        worker = start_worker(campaign.pk, sink.port)
        while sink.count() < SUBSCRIBERS // 2:
            if worker.poll() is not None:
                raise SystemExit("worker ended before it could be killed")
            time.sleep(0.01)
        os.kill(worker.pid, signal.SIGKILL)
        worker_cpu = child_cpu(worker)
        killed_at = time.time()
        log(f"worker killed after {sink.count()} messages; restarting")
        worker = start_worker(campaign.pk, sink.port)
        worker_cpu += child_cpu(worker)
        if worker.returncode != 0:
            raise SystemExit("restarted worker failed")
        sink_cpu = sink.cpu_seconds()
        entries = sink.entries()
        sink.stop()

        first_run = [t for t, _r in entries if t <= killed_at]
        second_run = [t for t, _r in entries if t > killed_at]
        n1, s1 = span_rate(first_run)
        n2, s2 = span_rate(second_run)
        rate = (n1 + n2) / (s1 + s2) if s1 + s2 else 0.0
        log(f"worker: {n1} + {n2} messages in {s1:.1f} + {s2:.1f} s = {rate:.0f}/s")
        log(cpu_line("worker", n1 + n2, worker_cpu, sink_cpu))

        counts = Counter(rcpt for _t, rcpt in entries)
        expected = {f"leser{n:06d}@bench.example" for n in range(SUBSCRIBERS)}
        duplicates = sum(c - 1 for c in counts.values() if c > 1)
        missing = len(expected - set(counts))
        ratio = rate / bare_rate if bare_rate else 0.0
        ok = rate >= GOAL_RATE and ratio >= GOAL_RATIO and not duplicates and not missing
        log("goal met" if ok else "goal NOT met")
        print(
            f"newsletter_send msgs_per_s={rate:.0f} bare_msgs_per_s={bare_rate:.0f} "
            f"ratio={ratio:.2f} duplicates={duplicates} missing={missing}",
            flush=True,
        )
    finally:
        for sink in sinks:
            if sink.process.poll() is None:
                sink.stop()
        if os.environ.get("BENCH_KEEP") != "1":
            shutil.rmtree(folder, ignore_errors=True)
        else:
            log(f"kept {folder}")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--sink":
        run_sink(int(sys.argv[2]), sys.argv[3])
    else:
        sys.path.insert(0, str(ROOT))
        main()
