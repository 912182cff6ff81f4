"""The sending journal: an append-only file per worker of what it offered to the
SMTP server (``D``), and what the server accepted (``A``) or refused (``F``).

A worker that takes over after a crash reads a dead worker's journal
(``sending.recover``); docs/decisions/0043 explains why this gives exactly once.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings


def option(name, default):
    return getattr(settings, f"NEWSLETTER_{name}", default)


def journal_dir():
    path = Path(option("JOURNAL_DIR", "") or Path(settings.DATA_DIR) / "newsletter-journal")
    path.mkdir(parents=True, exist_ok=True)
    return path


def journal_path(campaign_id, worker):
    safe = "".join(c if c.isalnum() or c in "-." else "_" for c in worker)
    return journal_dir() / f"campaign-{campaign_id}-{safe}.log"


class Journal:
    """Append-only record of what one worker offered to the SMTP server.

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


def read_journal(path):
    offered, accepted, refused = set(), set(), set()
    target = {b"D": offered, b"A": accepted, b"F": refused}
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return offered, accepted, refused
    for line in data.splitlines():
        kind, _sep, number = line.partition(b" ")
        if kind in target and number.isdigit():  # a torn last line is ignored
            target[kind].add(int(number))
    return offered, accepted, refused
