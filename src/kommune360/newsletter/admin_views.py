"""Admin screens beyond the snippet views: dispatch, import, export, consent history."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kommune360.core import exports
from kommune360.core.permissions import admin_permission_required

from . import services
from .forms import ImportForm
from .models import Campaign, ImportJob, Subscriber
from .rendering import send_test_mail


@admin_permission_required("newsletter.change_campaign")
def dispatch(request, pk):
    campaign = get_object_or_404(Campaign, pk=pk)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "test":
            send_test_mail(campaign, request.user)
            messages.success(
                request, _("Testmail an %(email)s ist unterwegs.") % {"email": request.user.email}
            )
        elif action == "start" and campaign.state == Campaign.State.DRAFT:
            count = services.start_sending(campaign, request.user)
            messages.success(
                request,
                ngettext(
                    "Versand an %(count)s Empfänger:in gestartet.",
                    "Versand an %(count)s Empfänger:innen gestartet.",
                    count,
                )
                % {"count": count},
            )
        elif action == "pause":
            services.pause(campaign, request.user, reason=_("von Hand pausiert"))
            messages.success(request, _("Versand pausiert."))
        elif action == "resume":
            services.resume(campaign, request.user)
            messages.success(request, _("Versand wird fortgesetzt."))
        return redirect("newsletter_dispatch", pk=pk)
    recipients = services.recipients(campaign).count() if campaign.state == "draft" else None
    return TemplateResponse(
        request,
        "newsletter/admin/dispatch.html",
        {
            "campaign": campaign,
            "progress": services.campaign_progress(campaign),
            "recipients": recipients,
            "topics": list(campaign.topics.all()),
        },
    )


@admin_permission_required("newsletter.add_subscriber")
def import_subscribers(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = services.start_import(
            data=form.cleaned_data["file"]["text"],
            filename=form.cleaned_data["file"]["name"],
            source=form.cleaned_data["source"],
            legal_basis=form.cleaned_data["legal_basis"],
            topics=list(form.cleaned_data["topics"]),
            actor=request.user,
            dry_run=form.cleaned_data["dry_run"],
        )
        return redirect("newsletter_import_job", pk=job.pk)
    jobs = ImportJob.objects.select_related("actor").defer("data", "errors")[:10]
    return TemplateResponse(request, "newsletter/admin/import.html", {"form": form, "jobs": jobs})


@admin_permission_required("newsletter.add_subscriber")
def import_job(request, pk):
    job = get_object_or_404(ImportJob.objects.select_related("actor"), pk=pk)
    if request.method == "POST":
        # "Jetzt importieren" after a dry run: the same file and choices, for real.
        try:
            services.import_checked_file(request.user, job)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("newsletter_import_job", pk=pk)
    return TemplateResponse(
        request,
        "newsletter/admin/import_job.html",
        {"job": job, "topics": list(job.topics.all())},
    )


@admin_permission_required("newsletter.view_subscriber")
def export_subscribers(request):
    name = f"newsletter-abonnentinnen-{timezone.localdate():%Y-%m-%d}.csv"
    return exports.csv_response(services.subscriber_rows(), name)


@admin_permission_required("newsletter.view_subscriber")
def history(request, pk):
    subscriber = get_object_or_404(Subscriber.objects.prefetch_related("topics"), pk=pk)
    events = subscriber.consent_events.select_related("actor", "campaign")
    return TemplateResponse(
        request,
        "newsletter/admin/history.html",
        {"subscriber": subscriber, "events": events},
    )
