"""Exactly-once after a crash: a real worker process killed with SIGKILL mid-batch."""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection
from django.db.models import Count

from kommune360.newsletter import services
from kommune360.newsletter.models import Delivery, Subscriber
from tests.factories.newsletter import CampaignFactory

N = 300
KOMMUNE360 = str(Path(sys.executable).with_name("kommune360"))


def _database_for_subprocess(tmp_path):
    """A DATABASE_URL the worker process can open, holding this test's data."""
    settings_dict = connection.settings_dict
    if connection.vendor == "sqlite":
        # The test database lives in memory; hand the worker a file copy of it.
        path = tmp_path / "worker.sqlite3"
        connection.ensure_connection()
        target = sqlite3.connect(path)
        connection.connection.backup(target)
        target.close()
        return f"sqlite:///{path}", path
    url = "postgres://{USER}@{HOST}:{PORT}/{NAME}".format(**settings_dict)
    return url, None


def _states(db_path, campaign_id):
    if db_path is None:
        return dict(
            Delivery.objects.filter(campaign_id=campaign_id)
            .values_list("state")
            .annotate(n=Count("id"))
        )
    with sqlite3.connect(db_path) as db:
        rows = db.execute(
            "SELECT state, COUNT(*) FROM newsletter_delivery WHERE campaign_id = ? GROUP BY state",
            [campaign_id],
        ).fetchall()
    return dict(rows)


def _worker(env, campaign_id):
    return subprocess.Popen(
        [KOMMUNE360, "newsletter_send", "--campaign", str(campaign_id)]
        + ["--connections", "3", "--batch-size", "40"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def _kill_when(sink, process, count, timeout=60):
    deadline = time.monotonic() + timeout
    while sum(sink.counts().values()) < count:
        assert process.poll() is None, process.stderr.read().decode()[-3000:]
        assert time.monotonic() < deadline, "worker too slow"
        time.sleep(0.005)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()


@pytest.mark.django_db(transaction=True)
def test_killed_worker_resumes_and_sends_each_mail_exactly_once(smtp_sink, tmp_path):
    Subscriber.objects.bulk_create(
        Subscriber(email=f"person{n:04d}@musterstadt.example", state="active") for n in range(N)
    )
    campaign = CampaignFactory()
    assert services.start_sending(campaign, enqueue_task=False) == N
    database_url, db_path = _database_for_subprocess(tmp_path)
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_sink.port}",
        "KOMMUNE360_DATA_DIR": str(tmp_path / "data"),
    }
    smtp_sink.delay = 0.003  # the worker must still be busy when it is killed

    for fraction in (0.3, 0.6):
        worker = _worker(env, campaign.pk)
        _kill_when(smtp_sink, worker, int(N * fraction))
        states = _states(db_path, campaign.pk)
        # Killed in the middle of a batch: claimed rows were left behind.
        assert states.get("sending", 0) > 0, states
        assert states.get("pending", 0) > 0, states

    smtp_sink.delay = 0
    worker = _worker(env, campaign.pk)
    stdout, stderr = worker.communicate(timeout=120)
    assert worker.returncode == 0, stderr.decode()[-3000:]

    counts = smtp_sink.counts()
    expected = {f"person{n:04d}@musterstadt.example" for n in range(N)}
    duplicates = {address: c for address, c in counts.items() if c > 1}
    missing = expected - set(counts)
    assert duplicates == {}
    # The one window decision 0043 leaves: a kill between the journal's ``D`` and the
    # end-of-data (two writes; another sending thread may hold the interpreter between
    # them) counts that message as sent, noted as unconfirmed. At most one per kill.
    unconfirmed = set(
        Delivery.objects.filter(
            campaign_id=campaign.pk, last_error__startswith="nach Abbruch"
        ).values_list("email", flat=True)
        if db_path is None
        else (
            row[0]
            for row in sqlite3.connect(db_path).execute(
                "SELECT email FROM newsletter_delivery WHERE campaign_id = ? AND "
                "last_error LIKE 'nach Abbruch%'",
                [campaign.pk],
            )
        )
    )
    assert missing <= unconfirmed and len(missing) <= 2, (missing, unconfirmed)
    assert set(counts) | missing == expected
    assert _states(db_path, campaign.pk) == {"sent": N}
