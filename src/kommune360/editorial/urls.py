from django.urls import path

from . import feeds, search, views

app_name = "editorial"

urlpatterns = [
    path("suche/", search.search, name="search"),
    path("podcast/feed.xml", views.podcast_feed, name="podcast_feed"),
    path("magazin/feed.xml", feeds.MagazineFeed(), name="magazine_feed"),
    path(
        "podcast/folge/<id:page_id>/transkript/",
        views.episode_transcript,
        name="episode_transcript",
    ),
    path(
        "podcast/folge/<id:page_id>/kapitel.json",
        views.episode_chapters,
        name="episode_chapters",
    ),
    # The section pages are Wagtail pages; these names let the navigation link to them.
    path("magazin/", views.section_page, {"path": "magazin/"}, name="magazine"),
    path("podcast/", views.section_page, {"path": "podcast/"}, name="podcast"),
    path("publikationen/", views.section_page, {"path": "publikationen/"}, name="publications"),
    path("download/<id:page_id>/<str:filename>", views.download, name="download"),
]
