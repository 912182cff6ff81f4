"""RSS and Atom feeds of new offers and upcoming events (for other portals and readers).

The feeds show what the API shows (the resources' querysets in ``atlas`` and
``events``), newest offers first and the next events first.
"""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.translation import gettext_lazy as _

from kommune360.atlas.api_resources import offers
from kommune360.events.api_resources import events

ITEMS = 50


class NewOffers(Feed):
    feed_type = Rss201rev2Feed
    title = _("Neue Angebote im Angebotsatlas")
    description = _("Die zuletzt veröffentlichten Unterstützungsangebote.")

    def link(self):
        return settings.SITE_URL + "/angebote/"

    def items(self):
        newest = offers().order_by("-published_at", "-pk")
        return newest.select_related("format").prefetch_related("methods")[:ITEMS]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return settings.SITE_URL + item.get_absolute_url()

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated

    def item_author_name(self, item):
        return item.provider.name

    def item_categories(self, item):
        return [item.format.name, *(m.name for m in item.methods.all())]


class NewOffersAtom(NewOffers):
    feed_type = Atom1Feed
    subtitle = NewOffers.description


class UpcomingEvents(Feed):
    feed_type = Rss201rev2Feed
    title = _("Kommende Veranstaltungen")
    description = _("Veranstaltungen des Netzwerks, die nächsten zuerst.")

    def link(self):
        return settings.SITE_URL + "/veranstaltungen/"

    def items(self):
        return events().upcoming(timezone.now()).order_by("starts_at", "pk")[:ITEMS]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return settings.SITE_URL + item.get_absolute_url()

    def item_pubdate(self, item):
        return item.created_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        return [item.get_kind_display()]


class UpcomingEventsAtom(UpcomingEvents):
    feed_type = Atom1Feed
    subtitle = UpcomingEvents.description
