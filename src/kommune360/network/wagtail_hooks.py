"""The network's staff screens in the Wagtail admin."""

from django.urls import path
from django.utils.translation import gettext_lazy
from wagtail import hooks

from kommune360.core.admin_ui import register_menu_item

from .admin_views import (
    FELLOW_PERMISSION,
    REPORT_PERMISSION,
    ROUND_PERMISSION,
    fellow_edit,
    profile_list,
    report_detail,
    report_list,
    round_detail,
    round_list,
)


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path("netzwerk/profile/", profile_list, name="network_profiles"),
        path("netzwerk/profile/<id:pk>/", fellow_edit, name="network_fellow"),
        path("netzwerk/meldungen/", report_list, name="network_reports"),
        path("netzwerk/meldungen/<id:pk>/", report_detail, name="network_report"),
        path("netzwerk/runden/", round_list, name="network_rounds"),
        path("netzwerk/runden/<id:pk>/", round_detail, name="network_round"),
    ]


register_menu_item(
    gettext_lazy("Netzwerk und Fellows"),
    "network_profiles",
    icon="user",
    order=260,
    permission=FELLOW_PERMISSION,
)
register_menu_item(
    gettext_lazy("Meldungen im Netzwerk"),
    "network_reports",
    icon="warning",
    order=261,
    permission=REPORT_PERMISSION,
)
register_menu_item(
    gettext_lazy("Matching-Runden"),
    "network_rounds",
    icon="group",
    order=262,
    permission=ROUND_PERMISSION,
)
