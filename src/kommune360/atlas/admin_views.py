"""The editors' screens for the atlas in the Wagtail admin: review, import and the
requests to become a provider.

The URLs are registered in ``wagtail_hooks.py``; every change goes through ``services``.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models.functions import Length
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kommune360.core.admin_ui import import_checked_file, import_job_header
from kommune360.core.permissions import admin_permission_required

from . import provider_requests, services
from .forms import DecisionForm, ImportForm
from .models import Offer, OfferImportJob, Provider, ProviderRequest

# --- Review ----------------------------------------------------------------------------------

ACTIONS = {
    "approve": services.approve_offer,
    "publish": services.publish_offer,
    "archive": services.archive_offer,
    "confirm": services.confirm_offer_checked,
}


@admin_permission_required("atlas.change_offer")
def review_queue(request):
    submitted = (
        Offer.objects.filter(status=Offer.Status.SUBMITTED)
        .select_related("provider", "format")
        .order_by("updated")
    )
    stale = services.stale_offers().select_related("provider").order_by("last_checked")[:200]
    return TemplateResponse(
        request,
        "atlas/admin/review_queue.html",
        {
            "submitted": submitted,
            "stale": stale,
            "page_title": _("Angebote prüfen"),
            "header_icon": "tasks",
        },
    )


@admin_permission_required("atlas.change_offer")
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
    return TemplateResponse(
        request,
        "atlas/admin/review.html",
        {
            "offer": offer,
            "error": error,
            "page_title": offer.title,
            "page_subtitle": offer.get_status_display(),
            "header_title": offer.title,
            "header_icon": "tasks",
        },
    )


@admin_permission_required(services.IMPORT_PERMISSION)
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
    jobs = OfferImportJob.recent()
    return TemplateResponse(
        request,
        "atlas/admin/import.html",
        {
            "form": form,
            "jobs": jobs,
            "required": imports.REQUIRED,
            "optional": imports.OPTIONAL,
            "page_title": _("Angebote importieren"),
            "header_icon": "upload",
        },
    )


@admin_permission_required(services.IMPORT_PERMISSION)
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
        return import_checked_file(request, job, services.import_checked_file, "atlas_import_job")
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
            **import_job_header(job, _("Angebote importieren")),
        },
    )


# --- Requests to become a provider --------------------------------------------------------

REQUESTS_PER_PAGE = 50
REQUEST_PERMISSION = "atlas.change_providerrequest"
DECIDED = "entschieden"


@admin_permission_required(REQUEST_PERMISSION)
def provider_request_list(request):
    """Open requests, oldest first; or the decided ones, newest first."""
    decided = request.GET.get("status") == DECIDED
    if decided:
        items = (
            ProviderRequest.objects.exclude(status=ProviderRequest.Status.OPEN)
            .select_related("user", "provider", "decided_by")
            .order_by("-decided_at", "-pk")
        )
    else:
        items = provider_requests.open_requests()
    page = Paginator(items, REQUESTS_PER_PAGE).get_page(request.GET.get("p"))
    return TemplateResponse(
        request,
        "atlas/admin/provider_requests.html",
        {
            "page": page,
            "decided": decided,
            "query": f"status={DECIDED}" if decided else "",
            "page_title": _("Anfragen als Anbieter:in"),
            "page_subtitle": _("entschieden") if decided else _("offen"),
            "header_icon": "user",
        },
    )


@admin_permission_required(REQUEST_PERMISSION)
@require_http_methods(["GET", "POST"])
def provider_request(request, pk):
    """One request: who asks for which organisation; approve or decline."""
    item = get_object_or_404(
        ProviderRequest.objects.select_related("user", "provider", "decided_by"), pk=pk
    )
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        decision = request.POST.get("decision")
        message = form.cleaned_data["message"]
        try:
            if decision == "approve":
                provider_requests.approve_request(
                    request.user, item, type=form.cleaned_data["type"], message=message
                )
                done = _("Angenommen: %(name)s pflegt jetzt die Angebote von %(organisation)s.")
            elif decision == "decline":
                provider_requests.decline_request(request.user, item, message=message)
                done = _("Abgelehnt: die Anfrage von %(name)s für %(organisation)s.")
            else:
                raise ValidationError(_("Unbekannte Aktion."))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                done % {"name": str(item.user), "organisation": item.organisation_name},
            )
            return redirect("atlas_provider_requests")
    same_name = (
        Provider.objects.filter(name__iexact=item.name).first()
        if item.is_open and not item.provider_id
        else None
    )
    return TemplateResponse(
        request,
        "atlas/admin/provider_request.html",
        {
            "item": item,
            "form": form,
            "same_name": same_name,
            "page_title": _("Anfrage für %(name)s") % {"name": item.organisation_name},
            "page_subtitle": item.get_status_display(),
            "header_icon": "user",
        },
    )
