import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from kommune360.core.registry import registry
from kommune360.editorial import downloads
from kommune360.editorial.models import DailySalt, DownloadClient, DownloadDay
from tests.factories.editorial import EpisodePageFactory, PublicationPageFactory

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0"
APP = "AntennaPod/3.5"


@pytest.fixture(autouse=True)
def _fresh_cache():
    # The day's salt is cached; the database of each test starts without it.
    cache.clear()


@pytest.fixture
def episode(podcast):
    # 10 s of audio: the first minute is the whole file
    return EpisodePageFactory(parent=podcast, slug="folge", duration=10)


@pytest.fixture
def long_episode(podcast):
    # The same file declared as 600 s long: one minute is a tenth of the file.
    return EpisodePageFactory(parent=podcast, slug="lang", duration=600)


def content(response):
    return b"".join(response.streaming_content)


def count(page):
    return downloads.downloads_of(page)


def test_whole_file_and_range_requests(client, episode):
    size = episode.audio_file.size
    full_data = episode.audio_file.open("rb").read()
    url = f"/download/{episode.pk}/folge.mp3"

    full = client.get(url, HTTP_USER_AGENT=BROWSER)
    part = client.get(url, HTTP_RANGE="bytes=100-199", HTTP_USER_AGENT=BROWSER)
    tail = client.get(url, HTTP_RANGE="bytes=-50", HTTP_USER_AGENT=BROWSER)
    open_end = client.get(url, HTTP_RANGE=f"bytes={size - 10}-", HTTP_USER_AGENT=BROWSER)
    beyond = client.get(url, HTTP_RANGE=f"bytes={size}-", HTTP_USER_AGENT=BROWSER)

    assert full.status_code == 200
    assert full["Accept-Ranges"] == "bytes"
    assert full["Content-Type"] == "audio/mpeg"
    assert int(full["Content-Length"]) == size
    assert content(full) == full_data
    assert part.status_code == 206
    assert part["Content-Range"] == f"bytes 100-199/{size}"
    assert part["Content-Length"] == "100"
    assert content(part) == full_data[100:200]
    assert tail["Content-Range"] == f"bytes {size - 50}-{size - 1}/{size}"
    assert content(tail) == full_data[-50:]
    assert open_end["Content-Range"] == f"bytes {size - 10}-{size - 1}/{size}"
    assert beyond.status_code == 416
    assert beyond["Content-Range"] == f"bytes */{size}"


def test_second_download_on_the_same_day_does_not_count(client, episode):
    url = f"/download/{episode.pk}/folge.mp3"
    content(client.get(url, HTTP_USER_AGENT=BROWSER))
    content(client.get(url, HTTP_USER_AGENT=BROWSER))
    assert count(episode) == 1
    # another client (other user agent) counts
    content(client.get(url, HTTP_USER_AGENT=APP))
    assert count(episode) == 2
    # another address counts too
    content(client.get(url, HTTP_USER_AGENT=BROWSER, REMOTE_ADDR="192.0.2.7"))
    assert count(episode) == 3


def test_behind_the_proxy_each_visitor_counts_once(client, episode, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    url = f"/download/{episode.pk}/folge.mp3"

    def fetch(forwarded):
        headers = {"User-Agent": BROWSER, "X-Forwarded-For": forwarded}
        content(client.get(url, REMOTE_ADDR="10.0.0.2", headers=headers))

    fetch("192.0.2.1")
    fetch("192.0.2.2")
    assert count(episode) == 2  # two people, not one proxy
    fetch("203.0.113.9, 192.0.2.1")  # a forged entry makes nobody new
    assert count(episode) == 2


def test_partial_requests_count_once_the_first_minute_was_fetched(client, long_episode):
    size = long_episode.audio_file.size
    minute = size * 60 // 600
    url = f"/download/{long_episode.pk}/lang.mp3"

    client.get(url, HTTP_RANGE="bytes=0-1", HTTP_USER_AGENT=APP)  # a player probing
    assert count(long_episode) == 0
    client.get(url, HTTP_RANGE="bytes=0-1", HTTP_USER_AGENT=APP)  # same bytes again
    client.get(url, HTTP_RANGE=f"bytes=0-{minute // 2}", HTTP_USER_AGENT=APP)
    assert count(long_episode) == 0
    client.get(url, HTTP_RANGE=f"bytes={minute // 2}-{minute + 100}", HTTP_USER_AGENT=APP)
    assert count(long_episode) == 1
    client.get(url, HTTP_RANGE=f"bytes={minute}-", HTTP_USER_AGENT=APP)
    assert count(long_episode) == 1


def test_bots_and_head_requests_do_not_count(client, episode):
    url = f"/download/{episode.pk}/folge.mp3"
    for agent in ["Googlebot/2.1", "curl/8.5.0", "python-requests/2.32", ""]:
        content(client.get(url, HTTP_USER_AGENT=agent))
    response = client.head(url, HTTP_USER_AGENT=BROWSER)
    assert response.status_code == 200
    assert int(response["Content-Length"]) == episode.audio_file.size
    assert count(episode) == 0


def test_no_address_is_stored_and_old_days_are_forgotten(client, episode):
    yesterday = timezone.localdate() - timedelta(days=1)
    DailySalt.objects.create(day=yesterday, salt="alt")
    DownloadClient.objects.create(day=yesterday, page=episode, client="x" * 64)

    content(client.get(f"/download/{episode.pk}/folge.mp3", HTTP_USER_AGENT=BROWSER))

    assert list(DailySalt.objects.values_list("day", flat=True)) == [timezone.localdate()]
    (row,) = DownloadClient.objects.all()
    assert row.day == timezone.localdate()
    assert "127.0.0.1" not in row.client and len(row.client) == 64
    assert DownloadDay.objects.get(page=episode).count == 1


def test_publication_downloads_count_when_the_file_was_fetched(client, publications):
    publication = PublicationPageFactory(parent=publications, slug="guide")
    size = publication.document.file.size
    url = f"/download/{publication.pk}/guide.pdf"

    client.get(url, HTTP_RANGE="bytes=0-99", HTTP_USER_AGENT=BROWSER)
    assert count(publication) == 0
    client.get(url, HTTP_RANGE=f"bytes=100-{size - 1}", HTTP_USER_AGENT=BROWSER)
    response = client.get(url, HTTP_USER_AGENT=BROWSER)

    assert response["Content-Type"] == "application/pdf"
    assert count(publication) == 1
    assert DownloadDay.objects.get(page=publication).kind == "publication"


def test_figures_are_in_the_registry(client, episode, publications):
    content(client.get(f"/download/{episode.pk}/folge.mp3", HTTP_USER_AGENT=BROWSER))
    figures = {figure.key: figure for figure in registry.figures()}
    assert figures["podcast_downloads"].compute() == 1
    assert figures["publication_downloads"].compute() == 0
    today = timezone.localdate()
    assert figures["podcast_downloads"].compute(start=today + timedelta(days=1)) == 0
    assert figures["podcast_downloads"].compute(year=today.year) == 1
    assert figures["podcast_downloads"].compute(year=today.year - 1) == 0


def test_editors_see_downloads_per_item(admin_client, episode):
    content(admin_client.get(f"/download/{episode.pk}/folge.mp3", HTTP_USER_AGENT=BROWSER))
    response = admin_client.get(f"/admin/pages/{episode.pk}/edit/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Downloads" in html and "In den letzten 30 Tagen" in html
    assert "<dt>Insgesamt</dt><dd>1</dd>" in html


def test_threshold():
    assert downloads.threshold_bytes(1000, duration_seconds=600) == 100
    assert downloads.threshold_bytes(1000, duration_seconds=30) == 1000
    assert downloads.threshold_bytes(1000) == 1000
    assert downloads.covered_bytes([[0, 9], [5, 14], [20, 29]]) == 25


def test_downloads_work_inside_the_language_prefix(client, episode, publications):
    """The English pages link /en/download/…; those addresses serve and count too."""
    html = client.get("/en/podcast/folge/").content.decode()
    audio = re.search(r'<audio [^>]*src="([^"]+)"', html).group(1)
    assert audio == f"/en/download/{episode.pk}/folge.mp3"
    size = episode.audio_file.size

    whole = client.get(audio, HTTP_USER_AGENT=BROWSER)
    part = client.get(audio, HTTP_RANGE="bytes=0-99", HTTP_USER_AGENT=APP)
    assert whole.status_code == 200 and len(content(whole)) == size
    assert part.status_code == 206 and part["Content-Range"] == f"bytes 0-99/{size}"
    assert count(episode) == 1

    publication = PublicationPageFactory(parent=publications, slug="leitfaden")
    page = client.get("/en/publikationen/leitfaden/")
    assert page.status_code == 200
    links = re.findall(r'href="([^"]*/download/[^"]+)"', page.content.decode())
    assert links == [f"/en/download/{publication.pk}/leitfaden.pdf"], links
    link = links[0]
    response = client.get(link, HTTP_USER_AGENT=BROWSER)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert len(content(response)) == publication.document.file.size


@pytest.mark.django_db
def test_a_file_gone_from_the_storage_answers_404_not_500(client, episode):
    episode.audio_file.storage.delete(episode.audio_file.name)
    url = f"/download/{episode.pk}/folge.mp3"
    assert client.get(url, HTTP_USER_AGENT=BROWSER).status_code == 404
    assert client.get(url, HTTP_RANGE="bytes=0-9", HTTP_USER_AGENT=BROWSER).status_code == 404
