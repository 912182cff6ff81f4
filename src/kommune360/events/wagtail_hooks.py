from django.urls import path
from wagtail import hooks

from . import admin_views


@hooks.register("register_admin_urls")
def register_event_admin_urls():
    return [
        path(
            "veranstaltungen/check-in/<str:token>/",
            admin_views.checkin_scan,
            name="events_checkin_scan",
        ),
    ]
