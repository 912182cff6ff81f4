"""The podcast feed (RSS 2.0 with iTunes and Podcasting 2.0 tags) and the magazine feed."""

import uuid

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils.feedgenerator import Rss201rev2Feed
from django.utils.translation import gettext_lazy as _

from kommune360.core.languages import in_shown_language

from .models import MagazineIndexPage

# Namespace of the Podcasting 2.0 <podcast:guid> (uuid5 of the feed address without scheme).
PODCAST_GUID_NAMESPACE = uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6")
COVER_SPEC = "fill-1400x1400|format-jpeg"


def podcast_guid(feed_url):
    return uuid.uuid5(PODCAST_GUID_NAMESPACE, feed_url.split("://", 1)[-1].rstrip("/"))


def podcast_feed_context(request, podcast):
    feed_url = request.build_absolute_uri(reverse("editorial:podcast_feed"))
    cover_url = ""
    if podcast.cover_image:
        rendition = podcast.cover_image.get_rendition(COVER_SPEC)
        cover_url = request.build_absolute_uri(rendition.url)
    episodes = list(podcast.episodes().prefetch_related("chapters")[:300])
    items = []
    for episode in episodes:
        items.append(
            {
                "episode": episode,
                "url": episode.absolute_url(request),
                "audio_url": request.build_absolute_uri(episode.audio_url),
                "length": episode.audio_size or episode.audio_file.size,
                "transcript_url": request.build_absolute_uri(
                    reverse("editorial:episode_transcript", args=[episode.pk])
                ),
                "chapters_url": request.build_absolute_uri(
                    reverse("editorial:episode_chapters", args=[episode.pk])
                )
                if episode.chapters.all()
                else "",
            }
        )
    return {
        "podcast": podcast,
        "podcast_url": podcast.absolute_url(request),
        "feed_url": feed_url,
        "podcast_guid": podcast_guid(feed_url),
        "cover_url": cover_url,
        "items": items,
        "last_build": episodes[0].published if episodes else podcast.last_published_at,
    }


class MagazineFeed(Feed):
    feed_type = Rss201rev2Feed

    def get_object(self, request, *args, **kwargs):
        self.request = request
        index = in_shown_language(MagazineIndexPage.objects.live().public()).first()
        if index is None:
            raise Http404
        return index

    def title(self, obj):
        return obj.title

    def link(self, obj):
        return obj.get_url(self.request)

    def description(self, obj):
        return obj.intro or _("Artikel aus dem Magazin")

    def items(self, obj):
        return obj.articles()[:30]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.teaser

    def item_link(self, item):
        return item.get_url(self.request)

    def item_pubdate(self, item):
        return item.first_published_at

    def item_author_name(self, item):
        return ", ".join(item.author_names()) or None

    def item_categories(self, item):
        return [topic.name for topic in item.topics.all()]
