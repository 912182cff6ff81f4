"""Query counts of every editorial page, pinned; lists stay constant with more items."""

import pytest

from kommune360.core.models import Person
from kommune360.editorial.models import ArticleAuthor, EpisodeChapter, EpisodeGuest
from tests.factories.core import TopicFactory
from tests.factories.editorial import (
    ArticlePageFactory,
    EpisodePageFactory,
    ImageFactory,
    PublicationPageFactory,
    RecommendationPageFactory,
)

pytestmark = pytest.mark.django_db


def _article(magazine, topic, person, image, **kwargs):
    article = ArticlePageFactory.build(image=image, image_alt="Beispiel", **kwargs)
    article.topics = [topic]
    article.authors = [ArticleAuthor(person=person)]
    magazine.add_child(instance=article)
    article.save_revision().publish()
    return article


def _episode(podcast, person, audio=None, **kwargs):
    """An episode; ``audio``: the stored file of another episode, to share it."""
    if audio is not None:
        kwargs.update(audio_file=audio.audio_file.name, audio_size=audio.audio_size)
    episode = EpisodePageFactory.build(**kwargs)
    episode.guests = [EpisodeGuest(person=person, role="Gast")]
    episode.chapters = [EpisodeChapter(start=0, title="Anfang")]
    podcast.add_child(instance=episode)
    episode.save_revision().publish()
    return episode


@pytest.fixture
def content(home_page, magazine, podcast, publications):
    def add(count):
        topic = TopicFactory()
        person = Person.objects.create(name="Erika Beispiel")
        image = ImageFactory()
        audio = None
        for _ in range(count):
            _article(magazine, topic, person, image)
            episode = _episode(podcast, person, audio)
            audio = audio or episode
            PublicationPageFactory(parent=publications)
            RecommendationPageFactory(parent=publications)

    home_page.body = [
        ("latest_episode", {"heading": "Neu"}),
        ("latest_articles", {"heading": "Magazin", "count": 3}),
    ]
    home_page.save_revision().publish()
    return add


def _count(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # renditions are made and site root paths cached on the first view
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


# Pinned counts (after the first view). The layout (site settings, footer, navigation,
# the language switch's versions of the page) takes its share of each; lists must not
# grow with their length.
LISTS = {
    "/": 18,  # incl. the sections of events (1), the newsletter sign-up (2), Wirkung (3)
    "/magazin/": 15,
    "/podcast/": 13,
    "/publikationen/": 12,
    "/podcast/feed.xml": 7,
    "/magazin/feed.xml": 7,
}


def test_list_queries_are_pinned_and_do_not_grow(client, content):
    search = "/suche/?q=Musterstadt"
    content(2)
    few = {url: _count(client, url) for url in [*LISTS, search]}
    content(9)
    many = {url: _count(client, url) for url in [*LISTS, search]}
    assert {url: few[url] for url in LISTS} == LISTS
    assert {url: many[url] for url in LISTS} == LISTS
    # Search: one query per source plus one per model on the shown page, never per hit.
    assert many[search] <= few[search] <= 22


# Articles and publications take contributions (Mitdenken): two queries for that list.
DETAILS = {"article": 18, "episode": 13, "publication": 14, "recommendation": 13}


def test_detail_queries_are_pinned(client, home_page, magazine, podcast, publications):
    topic = TopicFactory()
    person = Person.objects.create(name="Erika Beispiel")
    article = _article(magazine, topic, person, ImageFactory(), slug="artikel")
    article.body = [
        *[(block.block_type, block.value) for block in article.body],
        ("image", {"image": ImageFactory(), "alt": "Bild", "caption": ""}),
        ("link", {"page": home_page, "url": "", "title": "", "text": ""}),
    ]
    article.save_revision().publish()
    episode = _episode(podcast, person, slug="folge")
    own = PublicationPageFactory(parent=publications, slug="eigene")
    recommendation = RecommendationPageFactory(parent=publications, slug="empfehlung")
    counts = {
        "article": _count(client, article.url),
        "episode": _count(client, episode.url),
        "publication": _count(client, own.url),
        "recommendation": _count(client, recommendation.url),
    }
    assert counts == DETAILS


def test_an_article_reads_its_authors_once_but_a_preview_keeps_the_edited_ones(
    rf, home_page, magazine, django_assert_num_queries
):
    from kommune360.editorial.models import ArticlePage

    saved = Person.objects.create(name="Erika Beispiel")
    article = _article(magazine, TopicFactory(), saved, None, slug="vorschau")
    edited = Person.objects.create(name="Max Muster")

    served = ArticlePage.objects.get(pk=article.pk)
    request = rf.get(served.url)
    served.get_context(request)  # finds the site for the request
    # Nothing else is read for a request that gets every part from the shared parts …
    with django_assert_num_queries(0):
        served.get_context(request)
    # … and once, for all of them, when a part is rendered.
    served.read_for_shared_parts(request)
    with django_assert_num_queries(0):
        assert served.author_names() == ["Erika Beispiel"]
        assert served.extra_structured_data(None)["author"] == [
            {"@type": "Person", "name": "Erika Beispiel"}
        ]

    preview = ArticlePage.objects.get(pk=article.pk)
    preview.authors = [ArticleAuthor(person=edited)]  # changed in the editor, not saved
    request = rf.get(preview.url)
    request.is_preview = True
    preview.get_context(request)
    preview.read_for_shared_parts(request)
    assert preview.author_names() == ["Max Muster"]


def test_an_episode_reads_its_guests_once_but_a_preview_keeps_the_edited_ones(
    rf, home_page, podcast, django_assert_num_queries
):
    from kommune360.editorial.models import EpisodePage

    saved = Person.objects.create(name="Erika Beispiel")
    episode = _episode(podcast, saved, slug="vorschau")
    edited = Person.objects.create(name="Max Muster")

    served = EpisodePage.objects.get(pk=episode.pk)
    request = rf.get(served.url)
    served.get_context(request)  # finds the site for the request
    with django_assert_num_queries(0):
        context = served.get_context(request)
    served.read_for_shared_parts(request)
    with django_assert_num_queries(0):
        assert [guest.person.name for guest in context["guests"]] == ["Erika Beispiel"]
        assert [chapter.title for chapter in context["chapters"]] == ["Anfang"]
        assert served.search_keywords() == ["Erika Beispiel Gast", "Anfang"]

    preview = EpisodePage.objects.get(pk=episode.pk)
    preview.guests = [EpisodeGuest(person=edited, role="Moderation")]  # not saved
    request = rf.get(preview.url)
    request.is_preview = True
    context = preview.get_context(request)
    assert [guest.person.name for guest in context["guests"]] == ["Max Muster"]


# A logged-in member's view once the shared parts are stored (core.shared_parts): the
# session and the user; the lists are read only where they are rendered. The same with
# 2 and with 9 items of each kind.
MEMBER_LISTS = {
    "/": 2,
    "/magazin/": 2,
    "/podcast/": 2,
    "/publikationen/": 2,
    "/podcast/feed.xml": 2,
    "/suche/?q=Musterstadt": 2,
}


def test_members_get_the_lists_from_the_shared_parts(client, home_page, content, settings):
    from kommune360.core.models import SiteSettings
    from tests.factories.accounts import UserFactory

    settings.SHARED_PARTS_SECONDS = 600
    SiteSettings.for_site(home_page.get_site())  # created on a running site's first view
    client.force_login(UserFactory())
    content(2)
    few = {url: _count(client, url) for url in MEMBER_LISTS}
    content(9)
    many = {url: _count(client, url) for url in MEMBER_LISTS}
    assert few == MEMBER_LISTS
    assert many == MEMBER_LISTS
