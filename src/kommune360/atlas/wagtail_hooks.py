"""The editors' screens for the atlas in the Wagtail admin."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.db.models.functions import Length
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

from kommune360.core import exports

from . import services
from .forms import ImportForm
from .models import AnalysisText, Offer, OfferImportJob, Provider


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


@permission_required(services.IMPORT_PERMISSION, raise_exception=True)
@require_http_methods(["GET", "POST"])
def import_offers(request):
    """Upload a file: checked for size and type at once, then handed to the task."""
    from . import imports

    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = services.start_import(
            request.user,
            filename=form.cleaned_data["file"]["name"],
            content=form.cleaned_data["file"]["content"],
            dry_run="import" not in request.POST,
            status=form.cleaned_data["status"],
        )
        return redirect("atlas_import_job", pk=job.pk)
    jobs = OfferImportJob.objects.select_related("actor").defer("content", "errors")[:10]
    return TemplateResponse(
        request,
        "atlas/admin/import.html",
        {
            "form": form,
            "jobs": jobs,
            "required": imports.REQUIRED,
            "optional": imports.OPTIONAL,
        },
    )


@permission_required(services.IMPORT_PERMISSION, raise_exception=True)
@require_http_methods(["GET", "POST"])
def import_job(request, pk):
    """Progress and result of one import; „Jetzt importieren“ after a clean dry run."""
    job = get_object_or_404(
        OfferImportJob.objects.select_related("actor")
        .defer("content")
        .annotate(file_size=Length("content")),
        pk=pk,
    )
    if request.method == "POST":
        try:
            services.import_checked_file(request.user, job)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("atlas_import_job", pk=pk)
    return TemplateResponse(
        request,
        "atlas/admin/import_job.html",
        {
            "job": job,
            "written": services.written_so_far(job),
            "can_import": job.dry_run
            and job.state == OfferImportJob.State.DONE
            and not job.errors
            and job.file_size,
        },
    )


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
