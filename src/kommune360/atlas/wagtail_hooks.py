"""The editors' screens for the atlas in the Wagtail admin."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets.button import Button
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from . import services
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


# --- Review ----------------------------------------------------------------------------------

ACTIONS = {
    "approve": services.approve_offer,
    "publish": services.publish_offer,
    "archive": services.archive_offer,
    "confirm": services.confirm_offer_checked,
}


@permission_required("atlas.change_offer", raise_exception=True)
def review_queue(request):
    submitted = (
        Offer.objects.filter(status=Offer.Status.SUBMITTED)
        .select_related("provider", "format")
        .order_by("updated")
    )
    stale = services.stale_offers().select_related("provider").order_by("last_checked")[:200]
    return TemplateResponse(
        request, "atlas/admin/review_queue.html", {"submitted": submitted, "stale": stale}
    )


@permission_required("atlas.change_offer", raise_exception=True)
@require_http_methods(["GET", "POST"])
def review(request, pk):
    offer = get_object_or_404(
        Offer.objects.select_related("provider", "format").prefetch_related(
            "methods", "topics", "target_groups"
        ),
        pk=pk,
    )
    error = ""
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "reject":
                services.reject_offer(request.user, offer, request.POST.get("reason", ""))
                messages.success(request, _("Das Angebot wurde zurückgewiesen."))
            elif action in ACTIONS:
                ACTIONS[action](request.user, offer)
                messages.success(request, _("Erledigt: %(title)s") % {"title": offer.title})
            else:
                raise ValidationError(_("Unbekannte Aktion."))
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            return redirect("atlas_review_queue")
    return TemplateResponse(request, "atlas/admin/review.html", {"offer": offer, "error": error})


@permission_required("atlas.add_offer", raise_exception=True)
@require_http_methods(["GET", "POST"])
def import_offers(request):
    from django.db import DatabaseError

    from . import imports

    report = None
    done = False
    error = ""
    status = request.POST.get("status", Offer.Status.DRAFT)
    if status not in (Offer.Status.DRAFT, Offer.Status.PUBLISHED):
        status = Offer.Status.DRAFT
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            error = _("Bitte wählen Sie eine Datei aus.")
        elif upload.size > imports.MAX_BYTES:
            error = _("Die Datei ist größer als %(mb)s MB.") % {"mb": imports.MAX_BYTES // 2**20}
        else:
            content = upload.read()
            if "import" in request.POST:
                try:
                    report = imports.import_file(request.user, upload.name, content, status=status)
                except (ValidationError, DatabaseError):
                    error = _("Der Import ist fehlgeschlagen; es wurde nichts gespeichert.")
                else:
                    done = report.ok
                    if done:
                        messages.success(
                            request,
                            _("%(n)s Angebote importiert.") % {"n": len(report.rows)},
                        )
            else:
                report = imports.check_file(upload.name, content)
    return TemplateResponse(
        request,
        "atlas/admin/import.html",
        {
            "report": report,
            "done": done,
            "error": error,
            "status": status,
            "required": imports.REQUIRED,
            "optional": imports.OPTIONAL,
        },
    )


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path("angebotsatlas/import/", import_offers, name="atlas_import"),
        path("angebotsatlas/pruefen/", review_queue, name="atlas_review_queue"),
        path("angebotsatlas/pruefen/<int:pk>/", review, name="atlas_review"),
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
        return request.user.has_perm("atlas.add_offer")


@hooks.register("register_snippet_listing_buttons")
def offer_review_button(snippet, user, next_url=None):
    if isinstance(snippet, Offer) and user.has_perm("atlas.change_offer"):
        yield Button(
            _("Prüfen und entscheiden"),
            reverse("atlas_review", args=[snippet.pk]),
            icon_name="tasks",
            priority=5,
        )
