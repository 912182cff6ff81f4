import gzip
import json
import os
import re

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import ValidationError
from wagtail.models import Workflow

from kommune360.core.models import Person
from kommune360.editorial.models import ArticleAuthor, ArticlePage, EpisodeGuest
from tests.factories.core import TopicFactory
from tests.factories.editorial import (
    ArticlePageFactory,
    EpisodePageFactory,
    ImageFactory,
    PublicationPageFactory,
    RecommendationPageFactory,
)

pytestmark = pytest.mark.django_db


def json_ld(response):
    match = re.search(
        rb'<script type="application/ld\+json">(.*?)</script>', response.content, re.S
    )
    assert match, "no JSON-LD on the page"
    return json.loads(match.group(1))


def test_workflow_redaktion_then_freigabe_is_on_the_home_page(home_page):
    workflow = Workflow.objects.get(name="Redaktion → Freigabe")
    tasks = [task.specific for task in workflow.tasks]
    assert [task.name for task in tasks] == ["Redaktion", "Freigabe"]
    assert [[g.name for g in task.groups.all()] for task in tasks] == [
        ["Redaktion"],
        ["Administration"],
    ]
    assert home_page.get_workflow() == workflow


def test_article_shows_body_blocks_authors_topics_and_reading_time(client, magazine):
    image = ImageFactory()
    topic = TopicFactory(name="Jugendhilfe")
    person = Person.objects.create(name="Erika Beispiel")
    article = ArticlePageFactory.build(
        title="It's a Match!",
        slug="its-a-match",
        image=image,
        image_alt="Zwei Kreise",
        body=[
            ("paragraph", "<p>" + "Wort " * 450 + "</p>"),
            ("heading", {"text": "Spielräume nutzen"}),
            (
                "quote",
                {"text": "Planung braucht Leitung.", "person": None, "attribution": "Musterfrau"},
            ),
            ("image", {"image": image, "alt": "Ein Diagramm aus Musterstadt", "caption": "Grafik"}),
            ("fact_box", {"heading": "Auf einen Blick", "text": "<ul><li>Ziele</li></ul>"}),
            (
                "link",
                {"page": None, "url": "/angebote/beispiel/", "title": "Ein Angebot", "text": ""},
            ),
        ],
    )
    article.authors = [ArticleAuthor(person=person)]
    article.topics = [topic]
    magazine.add_child(instance=article)
    article.save_revision().publish()

    response = client.get("/magazin/its-a-match/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "3 Minuten Lesezeit" in html
    assert "Erika Beispiel" in html and "Jugendhilfe" in html
    assert "Spielräume nutzen" in html and "– Musterfrau" in html
    assert 'alt="Ein Diagramm aus Musterstadt"' in html
    assert "Auf einen Blick" in html and 'href="/angebote/beispiel/"' in html
    # the article's renditions in WebP with their size (the header's logo is the site's)
    images = [tag for tag in re.findall(r"<img [^>]*>", html) if "site-brand__logo" not in tag]
    assert len(images) == 2
    for tag in images:
        assert re.search(r'src="[^"]+\.webp"', tag), tag
        assert re.search(r'width="\d+"', tag) and re.search(r'height="\d+"', tag), tag
    data = json_ld(response)
    assert data["@type"] == "Article"
    assert data["author"] == [{"@type": "Person", "name": "Erika Beispiel"}]
    assert '<meta property="og:type" content="article">' in html
    assert '<meta property="og:image" content="http://testserver/media/images/' in html


def test_title_image_needs_alt_text(magazine):
    article = ArticlePageFactory.build(image=ImageFactory(), image_alt=" ")
    with pytest.raises(ValidationError) as error:
        article.full_clean()
    assert "image_alt" in error.value.message_dict


def test_image_block_requires_alt_text():
    from kommune360.editorial.blocks import ImageBlock

    block = ImageBlock()
    with pytest.raises(ValidationError):
        block.clean(block.to_python({"image": ImageFactory().pk, "alt": "", "caption": ""}))


def test_link_block_needs_a_page_or_a_local_address():
    from kommune360.editorial.blocks import InternalLinkBlock

    block = InternalLinkBlock()
    with pytest.raises(ValidationError):
        block.clean(block.to_python({"page": None, "url": "", "title": "x", "text": ""}))
    with pytest.raises(ValidationError):
        block.clean(
            block.to_python({"page": None, "url": "https://example.org", "title": "", "text": ""})
        )
    assert block.clean(
        block.to_python({"page": None, "url": "/angebote/x/", "title": "", "text": ""})
    )


def test_magazine_filters_by_topic_and_paginates(client, magazine):
    topic = TopicFactory(name="Digitalisierung")
    tagged = ArticlePageFactory.build(title="Mit Thema")
    tagged.topics = [topic]
    magazine.add_child(instance=tagged)
    tagged.save_revision().publish()
    for _ in range(11):
        ArticlePageFactory(parent=magazine)

    first = client.get("/magazin/")
    second = client.get("/magazin/?seite=2")
    filtered = client.get(f"/magazin/?thema={topic.slug}")

    assert first.content.count(b'class="kern-card teaser-card"') == 10
    assert second.content.count(b'class="kern-card teaser-card"') == 2
    assert b"Seite 2 von 2" in second.content
    assert filtered.content.count(b'class="kern-card teaser-card"') == 1
    assert b"Mit Thema" in filtered.content


def test_episode_page_has_player_guests_chapters_and_transcript(client, podcast):
    episode = EpisodePageFactory.build(
        title="Mut in der Verwaltung", slug="mut", season=1, number=6
    )
    person = Person.objects.create(name="Uwe Beispiel", role="Oberbürgermeister")
    episode.guests = [EpisodeGuest(person=person, role="Gast")]
    from kommune360.editorial.models import EpisodeChapter

    episode.chapters = [
        EpisodeChapter(start=0, title="Begrüßung"),
        EpisodeChapter(start=65, title="Mut"),
    ]
    podcast.add_child(instance=episode)
    episode.save_revision().publish()

    response = client.get("/podcast/mut/")

    html = response.content.decode()
    assert f'controls preload="metadata" src="/download/{episode.pk}/mut.mp3">' in html
    assert "Uwe Beispiel" in html and "Gast" in html
    assert "1:05" in html and "Begrüßung" in html
    assert 'id="transkript"' in html and "Willkommen in Musterstadt" in html
    assert "Staffel 1, Folge 6" in html
    data = json_ld(response)
    assert data["@type"] == "PodcastEpisode"
    assert data["episodeNumber"] == 6
    assert data["associatedMedia"]["contentSize"] == str(episode.audio_file.size)


def test_the_episode_list_names_guests_but_not_the_host(client, podcast):
    episode = EpisodePageFactory.build(title="Mut", slug="mut-liste")
    host = Person.objects.create(name="Mia Moderatorin", role="Redaktion")
    guest = Person.objects.create(name="Uwe Beispiel", role="Oberbürgermeister")
    episode.guests = [
        EpisodeGuest(person=host, role="Moderation"),
        EpisodeGuest(person=guest, role="Gast"),
    ]
    podcast.add_child(instance=episode)
    episode.save_revision().publish()

    html = client.get("/podcast/").content.decode()

    assert "Zu Gast: Uwe Beispiel</p>" in html
    assert "Mia Moderatorin" not in html


def test_transcript_is_required(podcast):
    episode = EpisodePageFactory.build(transcript="")
    with pytest.raises(ValidationError) as error:
        episode.full_clean()
    assert "transcript" in error.value.message_dict


def test_publications_show_file_size_and_format_or_publisher(client, publications):
    own = PublicationPageFactory(parent=publications, title="Change-Guide", slug="change-guide")
    RecommendationPageFactory(
        parent=publications, title="KI in Kommunen", slug="ki", publisher="KGSt", year=2024
    )

    own_html = client.get("/publikationen/change-guide/").content.decode()
    external_html = client.get("/publikationen/ki/").content.decode()
    index_html = client.get("/publikationen/").content.decode()

    size = own.document.file_size
    assert f"Herunterladen (PDF, {size}" in own_html
    assert f'href="/download/{own.pk}/change-guide.pdf"' in own_html
    assert (
        "KGSt" in external_html
        and 'href="https://beispiel-akademie.example/leitfaden"' in external_html
    )
    assert "PDF," in index_html and "Empfehlung · 2024 · KGSt" in index_html
    assert json_ld(client.get("/publikationen/ki/"))["@type"] == "CreativeWork"


def test_recommendation_needs_publisher_and_link(publications):
    page = RecommendationPageFactory.build(publisher="", external_url="")
    with pytest.raises(ValidationError) as error:
        page.full_clean()
    assert {"publisher", "external_url"} <= set(error.value.message_dict)


def test_own_publication_needs_a_file(publications):
    page = PublicationPageFactory.build(document=None)
    with pytest.raises(ValidationError) as error:
        page.full_clean()
    assert "document" in error.value.message_dict


def test_home_shows_latest_episode_and_articles(client, home_page, magazine, podcast):
    ArticlePageFactory(parent=magazine, title="Älterer Artikel")
    ArticlePageFactory(parent=magazine, title="Neuester Artikel")
    episode = EpisodePageFactory(parent=podcast, title="Neueste Folge")
    home_page.body = [
        ("latest_episode", {"heading": "Neu im Podcast"}),
        ("latest_articles", {"heading": "Aus dem Magazin", "count": 1}),
    ]
    home_page.save_revision().publish()

    html = client.get("/").content.decode()

    assert "Neu im Podcast" in html and "Neueste Folge" in html and "<audio" in html
    # the transcript is on the episode's page, not on the home page
    assert f'href="{episode.url}#transkript"' in html
    assert "Neuester Artikel" in html and "Älterer Artikel" not in html


def test_other_apps_contribute_home_sections_through_the_registry(
    client, home_page, monkeypatch, settings, tmp_path
):
    from kommune360.core.registry import HomeSection, registry
    from kommune360.editorial.blocks import contributed_section_choices

    (tmp_path / "section.html").write_text("<p>Beitrag eines {{ who }}</p>")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
    entries = {kind: list(found) for kind, found in registry._entries.items()}
    monkeypatch.setattr(registry, "_entries", entries)
    registry.add(HomeSection("demo", "Demo", "section.html", context=lambda r: {"who": "Moduls"}))

    assert ("demo", "Demo") in contributed_section_choices()
    html = client.get("/").content.decode()
    assert "<p>Beitrag eines Moduls</p>" in html
    home_page.body = [("section", {"section": "demo"}), ("heading", {"text": "Danach"})]
    home_page.save_revision().publish()
    html = client.get("/").content.decode()
    # placed by the editor: once, where the editor put it
    assert html.count("Beitrag eines Moduls") == 1
    assert html.index("Beitrag eines Moduls") < html.index("Danach")


def test_every_page_type_has_open_graph_and_json_ld(
    client, home_page, magazine, podcast, publications
):
    ArticlePageFactory(parent=magazine, slug="a")
    EpisodePageFactory(parent=podcast, slug="e")
    PublicationPageFactory(parent=publications, slug="p")
    expected = {
        "/": "WebSite",
        "/magazin/": "CollectionPage",
        "/magazin/a/": "Article",
        "/podcast/": "PodcastSeries",
        "/podcast/e/": "PodcastEpisode",
        "/publikationen/": "CollectionPage",
        "/publikationen/p/": "CreativeWork",
    }
    for url, schema_type in expected.items():
        response = client.get(url)
        assert response.status_code == 200, url
        assert json_ld(response)["@type"] == schema_type, url
        assert b'<meta property="og:title"' in response.content, url
        assert (
            b'<link rel="canonical" href="http://testserver' + url.encode() + b'">'
            in response.content
        )


def test_json_ld_cannot_close_the_script_tag(client, magazine):
    ArticlePageFactory(parent=magazine, slug="x", title="</script><script>alert(1)</script>")
    html = client.get("/magazin/x/").content.decode()
    assert "</script><script>alert(1)" not in html
    assert "\\u003C/script\\u003E" in html


def test_sitemap_lists_the_pages(client, magazine):
    ArticlePageFactory(parent=magazine, slug="im-sitemap")
    response = client.get("/sitemap.xml")
    assert b"/magazin/im-sitemap/" in response.content


def test_reading_time_counts_words():
    article = ArticlePage(teaser="eins zwei", body=[("paragraph", "<p>" + "wort " * 399 + "</p>")])
    assert article.compute_reading_time() == 3


def transferred_without_images(client, response):
    """Bytes a first visit transfers for the page without images: the HTML, every
    stylesheet and script it links, gzip-compressed as WhiteNoise (and any proxy) serves
    them, and every web font those stylesheets declare (woff2, compressed already)."""
    html = response.content
    total = len(gzip.compress(html))
    assets = re.findall(rb'<link rel="stylesheet" href="([^"]+)"|<script src="([^"]+)"', html)
    assert assets, "no stylesheet or script found"
    fonts = set()
    for stylesheet, script in assets:
        url = (stylesheet or script).decode()
        path = finders.find(url.removeprefix(settings.STATIC_URL).split("?")[0])
        assert path, url
        with open(path, "rb") as file:
            content = file.read()
        total += len(gzip.compress(content))
        if stylesheet:
            for font in re.findall(rb'url\(["\']?([^"\')]+\.woff2)', content):
                fonts.add(os.path.normpath(os.path.join(os.path.dirname(path), font.decode())))
    return total + sum(os.path.getsize(font) for font in fonts)


def test_pages_stay_under_150_kb_without_images(client, home_page, magazine, podcast, publications):
    for _ in range(12):
        ArticlePageFactory(parent=magazine)
        EpisodePageFactory(parent=podcast)
        PublicationPageFactory(parent=publications)
    article = ArticlePageFactory(
        parent=magazine, slug="lang", body=[("paragraph", "<p>" + "Wort " * 2000 + "</p>")]
    )
    episode = EpisodePageFactory(
        parent=podcast, slug="lang", transcript="<p>" + "Satz. " * 3000 + "</p>"
    )
    publication = PublicationPageFactory(parent=publications, slug="lang")
    urls = [
        "/",
        "/magazin/",
        article.url,
        "/podcast/",
        episode.url,
        "/publikationen/",
        publication.url,
        "/suche/?q=Beispiel",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        size = transferred_without_images(client, response)
        assert size < 150 * 1024, (url, size)


def test_link_block_links_an_offer_chosen_in_the_admin(client, magazine):
    from kommune360.atlas.models import Offer
    from kommune360.editorial.blocks import InternalLinkBlock
    from tests.factories.atlas import OfferFactory

    offer = OfferFactory(title="Lernpfad Change", summary="Zwölf Monate mit Kolleg:innen.")
    draft = OfferFactory(title="Noch nicht fertig", status=Offer.Status.DRAFT)
    block = InternalLinkBlock()
    assert block.clean(block.to_python({"offer": offer.pk, "title": "", "text": ""}))
    ArticlePageFactory(
        parent=magazine,
        slug="mit-angebot",
        body=[
            ("link", {"offer": offer, "page": None, "url": "", "title": "", "text": ""}),
            ("link", {"offer": draft, "page": None, "url": "", "title": "", "text": ""}),
        ],
    )
    html = client.get("/magazin/mit-angebot/").content.decode()
    assert f'href="{offer.get_absolute_url()}">Lernpfad Change</a>' in html
    assert "Zwölf Monate mit Kolleg:innen." in html
    assert "Noch nicht fertig" not in html
