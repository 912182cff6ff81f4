import json
from xml.etree import ElementTree as etree

import feedparser
import pytest

from kommune360.core.models import Person
from kommune360.editorial.feeds import podcast_guid
from kommune360.editorial.models import EpisodeChapter, EpisodeGuest
from tests.factories.editorial import (
    ArticlePageFactory,
    EpisodePageFactory,
    ImageFactory,
)

pytestmark = pytest.mark.django_db

ITUNES = "http://www.itunes.com/dtds/podcast-1.0.dtd"
PODCAST = "https://podcastindex.org/namespace/1.0"


@pytest.fixture
def episodes(podcast):
    podcast.cover_image = ImageFactory()
    podcast.save_revision().publish()
    guest = Person.objects.create(name="Uwe Beispiel", role="Oberbürgermeister")
    first = EpisodePageFactory(parent=podcast, slug="erste", number=1)
    second = EpisodePageFactory.build(slug="zweite", number=2, duration=95)
    second.guests = [EpisodeGuest(person=guest, role="Gast")]
    second.chapters = [
        EpisodeChapter(start=0, title="Anfang"),
        EpisodeChapter(start=30, title="Mut"),
    ]
    podcast.add_child(instance=second)
    second.save_revision().publish()
    return [first, second]


def test_podcast_feed_has_every_tag_directories_need(client, podcast, episodes):
    response = client.get("/podcast/feed.xml")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "rss20"
    channel = feed.feed
    assert channel.title == "Kommunen-Podcast"
    assert channel.language == "de"
    assert channel.author == "Kommune 360°"
    assert "itunes_explicit" in channel  # "false" (Apple's spelling; feedparser maps it to None)
    assert channel.image.href.endswith(".jpg")
    assert channel.tags[0].term == "Government"
    assert channel.publisher_detail.email == "podcast@kommune360.example"

    assert len(feed.entries) == 2
    newest = feed.entries[0]
    second = episodes[1]
    assert newest.title == second.title
    assert newest.id == str(second.guid)
    assert newest.guidislink is False
    assert newest.itunes_duration == "95"
    assert newest.itunes_episode == "2"
    assert newest.itunes_season == "1"
    assert newest.published_parsed is not None
    for entry, episode in zip(feed.entries, reversed(episodes), strict=True):
        (enclosure,) = entry.enclosures
        assert enclosure.type == "audio/mpeg"
        assert int(enclosure.length) == episode.audio_file.size
        assert enclosure.href == f"http://testserver/download/{episode.pk}/{episode.slug}.mp3"

    # Tags feedparser does not parse: read them from the XML.
    root = etree.fromstring(response.content)
    channel_el = root.find("channel")
    assert channel_el.findtext(f"{{{ITUNES}}}type") == "episodic"
    assert channel_el.findtext(f"{{{ITUNES}}}explicit") == "false"
    assert channel_el.findtext(f"{{{PODCAST}}}guid") == str(
        podcast_guid("http://testserver/podcast/feed.xml")
    )
    item = channel_el.findall("item")[0]
    transcript = item.find(f"{{{PODCAST}}}transcript")
    assert transcript.get("type") == "text/html"
    assert transcript.get("url") == f"http://testserver/podcast/folge/{second.pk}/transkript/"
    chapters = item.find(f"{{{PODCAST}}}chapters")
    assert chapters.get("type") == "application/json+chapters"
    person = item.find(f"{{{PODCAST}}}person")
    assert (person.get("role"), person.text) == ("guest", "Uwe Beispiel")
    assert item.findtext(f"{{{ITUNES}}}episodeType") == "full"
    assert item.findtext(f"{{{ITUNES}}}explicit") == "false"
    # the older episode has no chapters, so no chapters tag
    assert channel_el.findall("item")[1].find(f"{{{PODCAST}}}chapters") is None


def test_guids_stay_when_title_and_slug_change(client, podcast, episodes):
    episode = episodes[0]
    before = feedparser.parse(client.get("/podcast/feed.xml").content).entries[1].id
    episode.title = "Neuer Titel"
    episode.slug = "neuer-titel"
    episode.save_revision().publish()
    after = feedparser.parse(client.get("/podcast/feed.xml").content).entries[1]
    assert after.title == "Neuer Titel"
    assert after.id == before == str(episode.guid)


def test_copied_episode_gets_its_own_guid(podcast, episodes):
    copy = episodes[0].copy(update_attrs={"slug": "kopie", "title": "Kopie"})
    assert copy.specific.guid != episodes[0].guid


def test_chapters_json_and_transcript_page(client, podcast, episodes):
    episode = episodes[1]
    chapters = client.get(f"/podcast/folge/{episode.pk}/kapitel.json")
    transcript = client.get(f"/podcast/folge/{episode.pk}/transkript/")

    assert chapters["Content-Type"] == "application/json+chapters"
    data = json.loads(chapters.content)
    assert data["version"] == "1.2.0"
    assert data["chapters"] == [
        {"startTime": 0, "title": "Anfang"},
        {"startTime": 30, "title": "Mut"},
    ]
    assert transcript.status_code == 200
    assert b"Willkommen in Musterstadt" in transcript.content


def test_unpublished_episode_is_not_in_the_feed(client, podcast, episodes):
    episodes[0].unpublish()
    feed = feedparser.parse(client.get("/podcast/feed.xml").content)
    assert [entry.title for entry in feed.entries] == [episodes[1].title]
    assert client.get(f"/download/{episodes[0].pk}/erste.mp3").status_code == 404


def test_magazine_feed(client, magazine):
    ArticlePageFactory(parent=magazine, title="Neu im Magazin", teaser="Kurz gesagt.")
    feed = feedparser.parse(client.get("/magazin/feed.xml").content)
    assert not feed.bozo
    assert feed.entries[0].title == "Neu im Magazin"
    assert feed.entries[0].summary == "Kurz gesagt."
    assert feed.entries[0].link == "http://testserver/magazin/neu-im-magazin/"
