from django.urls import path

from . import feeds, open_data_views

app_name = "open_data"

urlpatterns = [
    path("", open_data_views.datasets, name="datasets"),
    path("katalog.ttl", open_data_views.catalogue_turtle, name="catalogue_ttl"),
    path("katalog.rdf", open_data_views.catalogue_rdf, name="catalogue_rdf"),
    path("angebote.rss", feeds.NewOffers(), name="offers_rss"),
    path("angebote.atom", feeds.NewOffersAtom(), name="offers_atom"),
    path("veranstaltungen.rss", feeds.UpcomingEvents(), name="events_rss"),
    path("veranstaltungen.atom", feeds.UpcomingEventsAtom(), name="events_atom"),
]
