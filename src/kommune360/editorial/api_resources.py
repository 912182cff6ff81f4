"""The magazine, the podcast and the publications in the public API: the live pages
that anybody may see (``live().public()``), in each language they are published in."""

from datetime import date, datetime

from django.conf import settings
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from pydantic import BaseModel, Field

from kommune360.core.registry import ApiResource, registry

from .models import ArticlePage, EpisodePage, PublicationPage
from .models.magazine import ArticleAuthor


class EpisodeSchema(BaseModel):
    id: int
    titel: str
    sprache: str
    kurzbeschreibung: str
    erschienen: datetime
    dauer_sekunden: int | None
    staffel: int | None
    folge: int | None
    audio: str = Field(description="Address of the audio file.")
    audio_typ: str
    url: str
    geaendert: datetime | None


class ArticleSchema(BaseModel):
    id: int
    titel: str
    sprache: str
    datum: date
    anreisser: str
    autorinnen: list[str]
    themen: list[str]
    lesezeit_minuten: int
    url: str
    geaendert: datetime | None


class PublicationSchema(BaseModel):
    id: int
    titel: str
    sprache: str
    art: str = Field(description="own (eigene Publikation) or recommendation.")
    kurzbeschreibung: str
    jahr: int
    herausgeberin: str
    link: str
    datei: str = Field(description="Address of the file, or empty.")
    url: str
    geaendert: datetime | None


def _absolute(path):
    return settings.SITE_URL + path if path and path.startswith("/") else path or ""


def _public(model):
    return model.objects.live().public().select_related("locale")


def episodes():
    return _public(EpisodePage)


def episode_data(page):
    return {
        "id": page.pk,
        "titel": page.title,
        "sprache": page.locale.language_code,
        "kurzbeschreibung": page.teaser,
        "erschienen": page.published,
        "dauer_sekunden": page.duration,
        "staffel": page.season,
        "folge": page.number,
        "audio": _absolute(page.audio_url),
        "audio_typ": page.audio_type,
        "url": _absolute(page.url),
        "geaendert": page.last_published_at,
    }


def articles():
    return _public(ArticlePage).prefetch_related(
        "topics", Prefetch("authors", queryset=ArticleAuthor.objects.select_related("person"))
    )


def article_data(page):
    return {
        "id": page.pk,
        "titel": page.title,
        "sprache": page.locale.language_code,
        "datum": page.date,
        "anreisser": page.teaser,
        "autorinnen": page.author_names(),
        "themen": [t.name for t in page.topics.all()],
        "lesezeit_minuten": page.reading_time,
        "url": _absolute(page.url),
        "geaendert": page.last_published_at,
    }


def publications():
    return _public(PublicationPage).select_related("document")


def publication_data(page):
    return {
        "id": page.pk,
        "titel": page.title,
        "sprache": page.locale.language_code,
        "art": page.kind,
        "kurzbeschreibung": page.teaser,
        "jahr": page.year,
        "herausgeberin": page.publisher,
        "link": page.external_url,
        "datei": _absolute(page.download_url),
        "url": _absolute(page.url),
        "geaendert": page.last_published_at,
    }


def register():
    resources = (
        ("folgen", _("Podcast"), EpisodeSchema, episodes, episode_data, 50),
        ("artikel", _("Magazinartikel"), ArticleSchema, articles, article_data, 60),
        (
            "publikationen",
            _("Publikationen"),
            PublicationSchema,
            publications,
            publication_data,
            70,
        ),
    )
    for name, label, schema, queryset, serialize, order in resources:
        registry.add(
            ApiResource(
                name,
                label,
                schema,
                queryset,
                serialize,
                lookup="pk",
                lookup_type=int,
                modified="last_published_at",
                order=order,
            )
        )
