from django.urls import path

from . import sitemaps, views

urlpatterns = [
    path("robots.txt", sitemaps.robots_txt, name="robots_txt"),
    path("favicon.ico", views.favicon, name="favicon"),
]
