"""Factories for editorial pages, images and documents.

Pages are created under ``parent`` (default: the site's home page) and published
through Wagtail (``save_revision().publish()``), like editors do.
"""

import functools
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import factory
from django.core.files.base import ContentFile
from factory.django import DjangoModelFactory
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Site

from kommune360.editorial import media
from kommune360.editorial.models import (
    ArticlePage,
    EpisodePage,
    MagazineIndexPage,
    PodcastIndexPage,
    PublicationIndexPage,
    PublicationPage,
)

BERLIN = ZoneInfo("Europe/Berlin")


def home():
    return Site.objects.get(is_default_site=True).root_page.specific


class ImageFactory(DjangoModelFactory):
    class Meta:
        model = get_image_model()

    title = factory.Sequence(lambda n: f"Beispielbild {n}")
    file = factory.LazyFunction(
        lambda: ContentFile(media.png_bytes(800, 450), name="beispielbild.png")
    )


class DocumentFactory(DjangoModelFactory):
    class Meta:
        model = get_document_model()

    title = factory.Sequence(lambda n: f"Beispieldatei {n}")
    file = factory.LazyFunction(
        lambda: ContentFile(media.pdf_bytes("Beispiel", ["Eine Zeile"]), name="beispiel.pdf")
    )

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        document = model_class(*args, **kwargs)
        document._set_document_file_metadata()
        document.save()
        return document


@functools.cache
def mp3(seconds=10):
    return media.mp3_bytes(seconds)


def audio_file(seconds=10, name="folge.mp3"):
    """A new MP3 of ``seconds`` to store (a real one, encoded by LAME)."""
    return ContentFile(mp3(seconds), name=name)


class PageFactory(DjangoModelFactory):
    class Meta:
        abstract = True

    title = factory.Sequence(lambda n: f"Beispielseite {n}")
    slug = factory.LazyAttribute(lambda o: o.title.lower().replace(" ", "-").replace(":", ""))

    @classmethod
    def _create(cls, model_class, *args, parent=None, publish=True, **kwargs):
        parent = parent or home()
        page = model_class(*args, **kwargs)
        parent.add_child(instance=page)
        revision = page.save_revision()
        if publish:
            revision.publish()
            page.refresh_from_db()
        return page


class MagazineIndexPageFactory(PageFactory):
    class Meta:
        model = MagazineIndexPage

    title = "Magazin"
    slug = "magazin"


class ArticlePageFactory(PageFactory):
    class Meta:
        model = ArticlePage

    title = factory.Sequence(lambda n: f"Beispielartikel {n}")
    teaser = "Ein erfundener Artikel aus Musterstadt."
    date = factory.Sequence(lambda n: datetime(2024, 1, 1).date() + timedelta(days=n))
    body = factory.LazyFunction(
        lambda: [("paragraph", "<p>In Musterstadt arbeiten Leitung und Planung zusammen.</p>")]
    )


class PodcastIndexPageFactory(PageFactory):
    class Meta:
        model = PodcastIndexPage

    title = "Kommunen-Podcast"
    slug = "podcast"
    intro = "Gespräche über Verwaltung."
    owner_email = "podcast@kommune360.example"


class EpisodePageFactory(PageFactory):
    class Meta:
        model = EpisodePage

    title = factory.Sequence(lambda n: f"Beispielfolge {n}")
    teaser = "Eine erfundene Folge."
    published = factory.Sequence(
        lambda n: datetime(2024, 1, 1, 6, 0, tzinfo=BERLIN) + timedelta(days=n)
    )
    audio_file = factory.LazyFunction(audio_file)
    duration = 10
    season = 1
    number = factory.Sequence(lambda n: n + 1)
    transcript = "<p><b>Moderation:</b> Willkommen in Musterstadt.</p>"


class PublicationIndexPageFactory(PageFactory):
    class Meta:
        model = PublicationIndexPage

    title = "Publikationen"
    slug = "publikationen"


class PublicationPageFactory(PageFactory):
    class Meta:
        model = PublicationPage

    title = factory.Sequence(lambda n: f"Beispielpublikation {n}")
    kind = PublicationPage.Kind.OWN
    teaser = "Ein erfundener Leitfaden."
    year = 2024
    document = factory.SubFactory(DocumentFactory)


class RecommendationPageFactory(PublicationPageFactory):
    kind = PublicationPage.Kind.RECOMMENDATION
    document = None
    publisher = "Beispiel-Akademie"
    external_url = "https://beispiel-akademie.example/leitfaden"
