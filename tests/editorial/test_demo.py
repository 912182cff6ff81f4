import feedparser
import pytest

from kommune360.core.demo import load_core_demo
from kommune360.editorial.demo import load_editorial_demo
from kommune360.editorial.models import ArticlePage, EpisodePage, PublicationPage

pytestmark = pytest.mark.django_db


def german(model):
    """The German pages (each has an English alias too, decision 0080)."""
    return model.objects.filter(locale__language_code="de")


def test_demo_content_is_complete_and_idempotent(client, home_page):
    load_core_demo()
    load_editorial_demo()
    counts = (
        german(EpisodePage).count(),
        german(ArticlePage).count(),
        german(PublicationPage).count(),
    )
    assert EpisodePage.objects.count() == 2 * counts[0]  # and their English aliases
    load_editorial_demo()
    assert (
        german(EpisodePage).count(),
        german(ArticlePage).count(),
        german(PublicationPage).count(),
    ) == counts
    assert EpisodePage.objects.count() == 2 * counts[0]

    schneidewind = german(EpisodePage).get(slug="diensteid-fuer-transformation")
    assert [guest.person.name for guest in schneidewind.guests.all()] == [
        "Mia Musterfrau",
        "Uwe Schneidewind",
    ]
    assert "Inseln" in schneidewind.transcript
    assert german(EpisodePage).get(slug="weg-mit-der-agilitaet").transcript
    assert german(PublicationPage).get(slug="change-guide").document.file.size > 0
    assert german(PublicationPage).get(slug="kgst-generative-ki").publisher.startswith("KGSt")
    assert german(ArticlePage).get(slug="its-a-match").image_alt

    # every list has a second page, and the home page shows the new sections
    for url in ["/magazin/?seite=2", "/podcast/?seite=2", "/publikationen/?seite=2"]:
        assert b"Seite 2 von 2" in client.get(url).content, url
    home = client.get("/").content.decode()
    assert "Brauchen wir einen Diensteid für Transformation?" in home
    assert "It&#x27;s a Match!" in home

    feed = feedparser.parse(client.get("/podcast/feed.xml").content)
    assert len(feed.entries) == counts[0]
    for entry in feed.entries[:2]:
        assert int(entry.enclosures[0].length) > 10_000
    # searchable at once, without a worker or update_index, in German word forms
    search = client.get("/suche/", {"q": "Diensteide Transformationen"}).content.decode()
    assert "Brauchen wir einen Diensteid für Transformation?" in search
    islands = client.get("/suche/", {"q": "Insel Möglichmachen"}).content.decode()
    assert "Brauchen wir einen Diensteid für Transformation?" in islands
    assert "<mark>Inseln</mark> des <mark>Möglichmachens</mark>" in islands
    assert (
        "It&#x27;s a Match!"
        in client.get("/suche/", {"q": "Jugendhilfeplanerinnen"}).content.decode()
    )

    # the generated audio is a real MP3 (frame sync at the start)
    audio = schneidewind.audio_file.open("rb").read(2)
    assert audio[0] == 0xFF and audio[1] & 0xE0 == 0xE0
