"""Several worker machines (decision 0130): with Redis the sending journal is a Redis
list that another machine's worker reads, and a campaign whose worker died is queued
again by the periodic ``newsletter.resume_stalled``."""

import os
import signal
import time
import uuid
from datetime import timedelta

import pytest
import redis
from django.utils import timezone

from kommune360.newsletter import journal, sending, services, tasks
from kommune360.newsletter.models import Campaign, Delivery
from tests.factories.newsletter import CampaignFactory, SubscriberFactory

# One process for the whole file (its tests share this Redis database).
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("redis_journal")]
REDIS_URL = "redis://127.0.0.1:6379/12"


@pytest.fixture
def in_redis(settings):
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    settings.REDIS_URL = REDIS_URL
    settings.NEWSLETTER_JOURNAL_DIR = ""
    # No FLUSHDB: test runs of other checkouts on this machine may use the database at
    # the same moment. Each test uses keys no other run has (a worker id with a random
    # part) and checks and removes only those.
    return client


def test_a_worker_writes_its_journal_to_redis(in_redis, smtp_sink):
    SubscriberFactory.create_batch(3)
    campaign = CampaignFactory()
    services.start_sending(campaign, enqueue_task=False)
    written, keys = [], set()
    original = journal.RedisJournal._append

    def keep(self, line):
        original(self, line)
        keys.add(self.key)
        # In Redis the moment it is written, before the worker goes on.
        written.append(self.client.lindex(self.key, -1))

    journal.RedisJournal._append = keep
    try:
        assert sending.run_campaign(campaign.pk, connections=1)["state"] == "sent"
    finally:
        journal.RedisJournal._append = original
    ids = set(Delivery.objects.values_list("pk", flat=True))
    assert {int(line.split()[1]) for line in written if line.startswith(b"A ")} == ids
    assert len(keys) == 1 and not in_redis.exists(*keys)  # a clean run removes it
    assert not any(journal.journal_dir().iterdir())  # and wrote no file


def test_recovery_reads_a_dead_workers_journal_from_redis(in_redis):
    subscribers = SubscriberFactory.create_batch(4)
    campaign = CampaignFactory()
    services.start_sending(campaign, enqueue_task=False)
    dead = f"anderer-rechner:4242:{uuid.uuid4().hex}"
    Campaign.objects.filter(pk=campaign.pk).update(
        worker=dead, heartbeat_at=timezone.now() - timedelta(minutes=10)
    )
    rows = list(Delivery.objects.order_by("subscriber_id"))
    assert [r.subscriber_id for r in rows] == [s.pk for s in subscribers]
    Delivery.objects.update(state="sending", claimed_by=dead)
    one, two, three, four = (r.pk for r in rows)
    key = journal.redis_key(campaign.pk, dead)
    in_redis.rpush(key, f"D {one}", f"A {one}", f"D {two}", f"D {three}", f"F {three}")

    assert sending.take_over(campaign.pk, "hier:1:neu")

    states = dict(Delivery.objects.values_list("pk", "state"))
    assert states == {one: "sent", two: "sent", three: "pending", four: "pending"}
    assert not in_redis.exists(key)


def test_only_campaigns_of_dead_workers_are_queued_again(in_redis, monkeypatch):
    SubscriberFactory()
    dead, alive, waiting = CampaignFactory(), CampaignFactory(), CampaignFactory()
    for campaign in (dead, alive, waiting):
        services.start_sending(campaign, enqueue_task=False)
    now = timezone.now()
    Campaign.objects.filter(pk=dead.pk).update(
        worker="anderer-rechner:1:x", heartbeat_at=now - timedelta(minutes=10)
    )
    Campaign.objects.filter(pk=alive.pk).update(worker="anderer-rechner:2:y", heartbeat_at=now)
    queued = []

    class Recorder:
        def enqueue(self, pk):
            queued.append(pk)

    monkeypatch.setattr(tasks, "run_campaign_task", Recorder())

    assert sending.resume_stalled() == [dead.pk]
    assert queued == [dead.pk]


def test_a_slow_run_keeps_giving_signs_of_life(smtp_sink, monkeypatch):
    """A rate limit can make one batch last minutes; the heartbeat must not wait for the
    next batch, or another worker would take over a live run and send twice."""
    SubscriberFactory.create_batch(3)
    campaign = CampaignFactory()
    services.start_sending(campaign, enqueue_task=False)
    monkeypatch.setattr(sending, "HEARTBEAT_SECONDS", 0)
    beats = []
    original = sending._beat
    monkeypatch.setattr(sending, "_beat", lambda run: (beats.append(1), original(run)))

    sending.run_campaign(campaign.pk, connections=1, batch_size=10)

    assert len(beats) == 3  # one chance per message, not per batch


def _lines(client, key, expected, seconds=5):
    deadline = time.monotonic() + seconds
    while client.lrange(key, 0, -1) != expected and time.monotonic() < deadline:
        time.sleep(0.01)
    return client.lrange(key, 0, -1)


def test_an_offered_line_reaches_redis_though_the_worker_is_killed_at_once(in_redis):
    key = journal.redis_key(1, f"test:{uuid.uuid4().hex}")
    pid = os.fork()
    if pid == 0:  # the worker: offers, and is killed before anything else
        try:
            journal.RedisJournal(key).offered(41)
        finally:
            os.kill(os.getpid(), signal.SIGKILL)
    os.waitpid(pid, 0)
    try:
        assert _lines(in_redis, key, [b"D 41"]) == [b"D 41"]
    finally:
        in_redis.delete(key)


def test_the_end_of_data_does_not_wait_for_redis_to_answer_the_offer(in_redis):
    """Between ``D`` and the end-of-data there is no round trip to Redis: while Redis
    holds back every write, ``offered`` returns at once (``accepted`` would wait)."""
    key = journal.redis_key(1, f"test:{uuid.uuid4().hex}")
    record = journal.RedisJournal(key)
    record.accepted(40)  # this thread's connection is open
    in_redis.client_pause(1500, all=False)  # writes wait 1.5 s
    try:
        started = time.monotonic()
        record.offered(41)
        offered_in = time.monotonic() - started
    finally:
        in_redis.client_unpause()
    record.close()
    try:
        assert offered_in < 0.75
        assert _lines(in_redis, key, [b"A 40", b"D 41"]) == [b"A 40", b"D 41"]
    finally:
        in_redis.delete(key)
