"""Privacy-friendly download counting (IAB Podcast Measurement Guidelines 2.x).

A request for a file becomes at most one count per client, item and day:

- the client is a keyed hash (``core.hashing``) of the day's salt, the visitor's address
  (``core.visitor``, behind the trusted proxies) and the user agent; the salt is
  random, lives for one day and is deleted with the day's client rows, so no address is
  stored and yesterday's hashes can no longer be tied to anyone;
- a client counts once enough of the file was fetched: for audio the bytes of the
  first minute (or the whole file if shorter), for publications the whole file.
  Byte ranges of several requests add up, overlapping ranges count once;
- user agents of bots, crawlers and monitoring tools are not counted;
- HEAD requests fetch nothing and count nothing.
"""

import re
import secrets
from datetime import date

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone

from kommune360.core.hashing import keyed_hash
from kommune360.core.visitor import visitor_address

from .models import DailySalt, DownloadClient, DownloadDay

# Substrings of user agents that are not people listening or reading (lower case).
# Based on the public OPAWG/IAB bot lists, kept short on purpose.
BOT_PATTERN = re.compile(
    r"bot|crawl|spider|slurp|archiver|facebookexternalhit|feedfetcher|monitor|uptime|"
    r"pingdom|headless|python-requests|python-urllib|curl/|wget|httpclient|okhttp|"
    r"go-http-client|scrapy|lighthouse|preview",
    re.IGNORECASE,
)
AUDIO_SECONDS_TO_COUNT = 60


def is_bot(user_agent):
    return not user_agent or bool(BOT_PATTERN.search(user_agent))


def _salt(day: date) -> str:
    key = f"editorial:download-salt:{day.isoformat()}"
    if salt := cache.get(key):
        return salt
    row = DailySalt.objects.filter(day=day).first()
    if row is None:
        try:
            with transaction.atomic():
                row = DailySalt.objects.create(day=day, salt=secrets.token_hex(32))
        except IntegrityError:
            row = DailySalt.objects.get(day=day)
        forget_old_days(day)
    cache.set(key, row.salt, 60 * 60 * 25)
    return row.salt


def forget_old_days(today: date) -> None:
    """Delete the salts and client rows of past days (the counts stay)."""
    DailySalt.objects.filter(day__lt=today).delete()
    DownloadClient.objects.filter(day__lt=today).delete()


def client_hash(request, day: date) -> str:
    user_agent = request.headers.get("User-Agent", "")
    return keyed_hash(
        f"editorial:download:{_salt(day)}", f"{visitor_address(request)}|{user_agent}", length=64
    )


def covered_bytes(ranges):
    total, last_end = 0, -1
    for start, end in sorted(ranges):
        if end <= last_end:
            continue
        total += end - max(start, last_end + 1) + 1
        last_end = end
    return total


def _merge(ranges):
    merged = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return merged


def threshold_bytes(size, duration_seconds=None):
    """Bytes a client must fetch before it counts."""
    if duration_seconds:
        return max(1, min(size, size * AUDIO_SECONDS_TO_COUNT // duration_seconds))
    return size


def record_download(request, page, kind, start, end, size, duration_seconds=None):
    """Note that bytes ``start``–``end`` of ``page``'s file went to this client.

    Returns True when this request made the client count for today.
    """
    if request.method != "GET" or is_bot(request.headers.get("User-Agent", "")):
        return False
    day = timezone.localdate()
    client = client_hash(request, day)
    needed = threshold_bytes(size, duration_seconds)
    with transaction.atomic():
        try:
            row, _ = DownloadClient.objects.select_for_update().get_or_create(
                day=day, page_id=page.pk, client=client
            )
        except IntegrityError:
            row = DownloadClient.objects.select_for_update().get(
                day=day, page_id=page.pk, client=client
            )
        if row.counted:
            return False
        row.ranges = _merge([*row.ranges, [start, end]])
        if covered_bytes(row.ranges) >= needed:
            row.counted = True
            row.ranges = []
            counter, _ = DownloadDay.objects.get_or_create(
                page_id=page.pk, day=day, defaults={"kind": kind}
            )
            DownloadDay.objects.filter(pk=counter.pk).update(count=F("count") + 1)
        row.save(update_fields=["ranges", "counted"])
    return row.counted


def downloads_of(page, since=None):
    rows = DownloadDay.objects.filter(page_id=page.pk)
    if since:
        rows = rows.filter(day__gte=since)
    return rows.aggregate(total=Sum("count"))["total"] or 0


def total_downloads(kind, start=None, end=None, **kwargs):
    """Figure for the impact page: downloads of one kind, optionally within dates."""
    rows = DownloadDay.objects.filter(kind=kind)
    if start:
        rows = rows.filter(day__gte=start)
    if end:
        rows = rows.filter(day__lte=end)
    return rows.aggregate(total=Sum("count"))["total"] or 0


def _year_bounds(year, start, end):
    if year:
        return date(year, 1, 1), date(year, 12, 31)
    return start, end


def podcast_downloads(start=None, end=None, year=None, **kwargs):
    return total_downloads(DownloadDay.Kind.EPISODE, *_year_bounds(year, start, end))


def publication_downloads(start=None, end=None, year=None, **kwargs):
    return total_downloads(DownloadDay.Kind.PUBLICATION, *_year_bounds(year, start, end))
