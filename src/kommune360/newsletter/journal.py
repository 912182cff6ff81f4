"""The sending journal: an append-only record per worker of what it offered to the
SMTP server (``D``), and what the server accepted (``A``) or refused (``F``).

A worker that takes over after a crash reads a dead worker's journal
(``sending.recover``); docs/decisions/0043 explains why this gives exactly once.

Where it lives (decision 0130): with ``REDIS_URL`` and no ``NEWSLETTER_JOURNAL_DIR``
in Redis, one list per campaign and worker, so that a worker on another machine can
read a dead worker's journal; otherwise an append-only file in the data folder (one
machine) or in ``NEWSLETTER_JOURNAL_DIR``.
"""

from __future__ import annotations

import os
import threading
from functools import cache
from pathlib import Path

from django.conf import settings

# A dead worker's journal is read within NEWSLETTER_WORKER_TIMEOUT; a week is plenty.
REDIS_JOURNAL_SECONDS = 7 * 24 * 3600


def option(name, default):
    return getattr(settings, f"NEWSLETTER_{name}", default)


def in_redis() -> bool:
    return bool(getattr(settings, "REDIS_URL", "")) and not option("JOURNAL_DIR", "")


@cache
def _redis(url):
    import redis

    return redis.Redis.from_url(url)


def redis_client():
    return _redis(settings.REDIS_URL)


def journal_dir():
    path = Path(option("JOURNAL_DIR", "") or Path(settings.DATA_DIR) / "newsletter-journal")
    path.mkdir(parents=True, exist_ok=True)
    return path


def _safe(worker):
    return "".join(c if c.isalnum() or c in "-." else "_" for c in worker)


def journal_path(campaign_id, worker):
    return journal_dir() / f"campaign-{campaign_id}-{_safe(worker)}.log"


def redis_key(campaign_id, worker):
    return f"newsletter:journal:{campaign_id}:{_safe(worker)}"


class Journal:
    """Append-only record of what one worker offered to the SMTP server, in a file.

    One unbuffered ``os.write`` per line (O_APPEND, so threads do not interleave).
    It survives the process being killed, because the data sits in the page cache;
    a power cut is a different story (docs/newsletter.md).
    """

    def __init__(self, path):
        self.path = path
        self.fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)

    def offered(self, delivery_id):
        os.write(self.fd, b"D %d\n" % delivery_id)

    def accepted(self, delivery_id):
        os.write(self.fd, b"A %d\n" % delivery_id)

    def refused(self, delivery_id):
        os.write(self.fd, b"F %d\n" % delivery_id)

    def close(self, remove=False):
        os.close(self.fd)
        if remove:
            self.path.unlink(missing_ok=True)


class RedisJournal:
    """The same record as a Redis list, one ``RPUSH`` per line, each sending thread on a
    connection of its own, so the line survives the worker (and, with Redis's
    append-only file, a restart of Redis; docs/operations.md).

    ``A`` and ``F`` are answered by Redis before the worker goes on. ``D`` is written to
    the socket and its answer read before the next line: between ``D`` and the
    end-of-data there are then two adjacent writes, as with the file, instead of a round
    trip to Redis, and a worker killed while it waited for that answer left a ``D`` for
    an end-of-data the SMTP server never got (one mail missing). A ``D`` written just
    before a kill still reaches Redis: the kernel sends what a killed process wrote
    before it closes the socket (nothing unread is left on it, so it closes normally).
    """

    def __init__(self, key):
        self.key = key
        self.client = redis_client()
        self.client.expire(self.key, REDIS_JOURNAL_SECONDS)
        # Each sending thread writes on a connection of its own: [connection, unanswered].
        self.local = threading.local()
        self.lines = []
        self.lock = threading.Lock()

    def _line(self):
        line = getattr(self.local, "line", None)
        if line is None:
            line = self.local.line = [self.client.connection_pool.get_connection(), 0]
            with self.lock:
                self.lines.append(line)
        return line

    @staticmethod
    def _answers(line):
        connection = line[0]
        try:
            while line[1]:
                line[1] -= 1
                connection.read_response()
        except Exception:
            connection.disconnect()
            raise

    def _send(self, text):
        line = self._line()
        self._answers(line)
        line[0].send_command("RPUSH", self.key, text)
        line[1] += 1
        return line

    def _append(self, text):
        self._answers(self._send(text))

    def offered(self, delivery_id):
        self._send(b"D %d" % delivery_id)

    def accepted(self, delivery_id):
        self._append(b"A %d" % delivery_id)

    def refused(self, delivery_id):
        self._append(b"F %d" % delivery_id)

    def close(self, remove=False):
        try:
            for line in self.lines:
                self._answers(line)
        finally:
            for connection, _unanswered in self.lines:
                self.client.connection_pool.release(connection)
            self.lines = []
        if remove:
            self.client.delete(self.key)
        else:
            self.client.expire(self.key, REDIS_JOURNAL_SECONDS)


def open_journal(campaign_id, worker):
    """The journal this worker writes for this campaign (Redis or a file)."""
    if in_redis():
        return RedisJournal(redis_key(campaign_id, worker))
    return Journal(journal_path(campaign_id, worker))


def _parse(lines, offered, accepted, refused):
    target = {b"D": offered, b"A": accepted, b"F": refused}
    for line in lines:
        kind, _sep, number = line.partition(b" ")
        if kind in target and number.isdigit():  # a torn last line is ignored
            target[kind].add(int(number))
    return offered, accepted, refused


def read_journal(path):
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        data = b""
    return _parse(data.splitlines(), set(), set(), set())


def read_worker_journal(campaign_id, worker):
    """(offered, accepted, refused) of a worker's journal, wherever it was kept: Redis
    and the file are both read, so a switch to Redis while a campaign ran loses nothing."""
    found = read_journal(journal_path(campaign_id, worker))
    if getattr(settings, "REDIS_URL", ""):
        _parse(redis_client().lrange(redis_key(campaign_id, worker), 0, -1), *found)
    return found


def discard_worker_journal(campaign_id, worker):
    journal_path(campaign_id, worker).unlink(missing_ok=True)
    if getattr(settings, "REDIS_URL", ""):
        redis_client().delete(redis_key(campaign_id, worker))
