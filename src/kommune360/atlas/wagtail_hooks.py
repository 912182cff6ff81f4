"""The editors' screens for the atlas in the Wagtail admin."""

from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets.button import Button
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from kommune360.core import exports

from . import services
from .admin_views import import_job, import_offers, review, review_queue
from .models import AnalysisText, Offer, Provider


class OfferViewSet(SnippetViewSet):
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

    def get_queryset(self, request):
        return Offer.objects.select_related("provider", "format")


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
    ]


class ReviewMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("atlas.change_offer")


@hooks.register("register_admin_menu_item")
def register_review_menu_item():
    return ReviewMenuItem(
        _("Angebote prüfen"), reverse("atlas_review_queue"), icon_name="tasks", order=211
    )


@hooks.register("register_admin_menu_item")
def register_import_menu_item():
    return ImportMenuItem(
        _("Angebote importieren"), reverse("atlas_import"), icon_name="upload", order=212
    )


class ImportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(services.IMPORT_PERMISSION)


@hooks.register("register_snippet_listing_buttons")
def offer_review_button(snippet, user, next_url=None):
    if isinstance(snippet, Offer) and user.has_perm("atlas.change_offer"):
        yield Button(
            _("Prüfen und entscheiden"),
            reverse("atlas_review", args=[snippet.pk]),
            icon_name="tasks",
            priority=5,
        )
