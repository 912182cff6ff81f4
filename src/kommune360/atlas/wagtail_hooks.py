"""The editors' screens for the atlas in the Wagtail admin."""

from django.urls import path
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from kommune360.core import exports
from kommune360.core.admin_ui import (
    RelatedSnippetViewSet,
    register_listing_buttons,
    register_menu_item,
)

from . import services
from .admin_views import (
    REQUEST_PERMISSION,
    import_job,
    import_offers,
    provider_request,
    provider_request_list,
    review,
    review_queue,
)
from .models import AnalysisText, Offer, Provider


class OfferViewSet(RelatedSnippetViewSet):
    model = Offer
    icon = "doc-full"
    menu_label = gettext_lazy("Angebote")
    list_display = ["title", "provider", "format", "status", "last_checked"]
    list_filter = [
        "status",
        "format",
        "delivery",
        "region",
        "cost_band",
        "provider__type",
        "certificate",
        "methods",
        "target_groups",
    ]
    list_export = ["title", "provider", "status", "last_checked"]
    index_view_class = exports.SnippetIndexView
    search_fields = ["title", "summary", "provider__name"]
    search_backend_name = None  # the atlas has its own German index (atlas.search)
    ordering = ["-updated"]
    list_per_page = 50
    list_select_related = ("provider", "format")


class ProviderViewSet(SnippetViewSet):
    model = Provider
    icon = "group"
    menu_label = gettext_lazy("Anbieter:innen")
    list_display = ["name", "type", "website"]
    list_filter = ["type"]
    search_fields = ["name"]
    search_backend_name = None


class AnalysisTextViewSet(SnippetViewSet):
    model = AnalysisText
    icon = "pilcrow"
    menu_label = gettext_lazy("Text der Analyse")
    list_display = ["title", "updated"]
    search_backend_name = None


class AtlasGroup(SnippetViewSetGroup):
    menu_label = gettext_lazy("Angebotsatlas")
    menu_icon = "doc-full"
    menu_order = 210
    items = (OfferViewSet, ProviderViewSet, AnalysisTextViewSet)


register_snippet(AtlasGroup)


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path("angebotsatlas/import/", import_offers, name="atlas_import"),
        path("angebotsatlas/import/<id:pk>/", import_job, name="atlas_import_job"),
        path("angebotsatlas/pruefen/", review_queue, name="atlas_review_queue"),
        path("angebotsatlas/pruefen/<id:pk>/", review, name="atlas_review"),
        path(
            "angebotsatlas/anbieter-anfragen/",
            provider_request_list,
            name="atlas_provider_requests",
        ),
        path(
            "angebotsatlas/anbieter-anfragen/<id:pk>/",
            provider_request,
            name="atlas_provider_request",
        ),
    ]


register_menu_item(
    gettext_lazy("Angebote prüfen"),
    "atlas_review_queue",
    icon="tasks",
    order=211,
    permission="atlas.change_offer",
)
register_menu_item(
    gettext_lazy("Angebote importieren"),
    "atlas_import",
    icon="upload",
    order=212,
    permission=services.IMPORT_PERMISSION,
)
register_menu_item(
    gettext_lazy("Anfragen als Anbieter:in"),
    "atlas_provider_requests",
    icon="user",
    order=213,
    permission=REQUEST_PERMISSION,
)
register_listing_buttons(
    Offer,
    "atlas.change_offer",
    [(gettext_lazy("Prüfen und entscheiden"), "atlas_review", "tasks")],
)
