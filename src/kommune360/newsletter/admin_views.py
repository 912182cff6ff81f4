"""Admin screens beyond the snippet views: dispatch (with the confirmation before
sending and planned sending), import, export, consent history."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kommune360.core import exports
from kommune360.core.admin_ui import import_checked_file, import_job_header
from kommune360.core.dates import local_date
from kommune360.core.permissions import admin_permission_required

from . import services
from .forms import ImportForm, ScheduleForm
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
        elif action == "unschedule":
            if services.unschedule_sending(campaign, request.user):
                messages.success(request, _("Der geplante Versand ist aufgehoben."))
            else:
                messages.error(request, _("Diese Ausgabe ist nicht mehr zum Versand geplant."))
        elif action == "pause":
            services.pause(campaign, request.user, reason=_("von Hand pausiert"))
            messages.success(request, _("Versand pausiert."))
        elif action == "resume":
            services.resume(campaign, request.user)
            messages.success(request, _("Versand wird fortgesetzt."))
        return redirect("newsletter_dispatch", pk=pk)
    planned = campaign.state in (Campaign.State.DRAFT, Campaign.State.SCHEDULED)
    return TemplateResponse(
        request,
        "newsletter/admin/dispatch.html",
        {
            "campaign": campaign,
            "progress": services.campaign_progress(campaign),
            "recipients": services.recipient_count(campaign) if planned else None,
            "topics": list(campaign.topics.all()),
            "page_title": _("Test und Versand"),
            "page_subtitle": campaign.subject,
            "header_icon": "mail",
        },
    )


@admin_permission_required("newsletter.change_campaign")
def confirm_sending(request, pk):
    """The step before sending: whom the campaign reaches, then „Jetzt senden“ or a
    planned time („Zeitpunkt planen“)."""
    campaign = get_object_or_404(Campaign, pk=pk)
    if campaign.state != Campaign.State.DRAFT:
        messages.error(request, _("Diese Ausgabe ist kein Entwurf mehr."))
        return redirect("newsletter_dispatch", pk=pk)
    action = request.POST.get("action") if request.method == "POST" else None
    form = ScheduleForm(request.POST if action == "schedule" else None)
    if action == "send":
        return _send_now(request, campaign)
    if action == "schedule" and form.is_valid():
        try:
            count = services.schedule_sending(campaign, form.cleaned_data["at"], request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                ngettext(
                    "Versand geplant für %(at)s Uhr, derzeit an %(count)s Empfänger:in.",
                    "Versand geplant für %(at)s Uhr, derzeit an %(count)s Empfänger:innen.",
                    count,
                )
                % {"at": _local(form.cleaned_data["at"]), "count": count},
            )
        return redirect("newsletter_dispatch", pk=pk)
    return TemplateResponse(
        request,
        "newsletter/admin/confirm_sending.html",
        {
            "campaign": campaign,
            "recipients": services.recipient_count(campaign),
            "topics": list(campaign.topics.all()),
            "form": form,
            "page_title": _("Versand bestätigen"),
            "page_subtitle": campaign.subject,
            "header_icon": "mail",
        },
        status=400 if form.is_bound else 200,
    )


def _send_now(request, campaign):
    try:
        count = services.start_sending(campaign, request.user)
    except ValueError:  # started meanwhile: a second click, another editor
        messages.error(request, _("Diese Ausgabe ist kein Entwurf mehr."))
    else:
        messages.success(
            request,
            ngettext(
                "Versand an %(count)s Empfänger:in gestartet.",
                "Versand an %(count)s Empfänger:innen gestartet.",
                count,
            )
            % {"count": count},
        )
    return redirect("newsletter_dispatch", pk=campaign.pk)


def _local(moment) -> str:
    return local_date(moment, "SHORT_DATETIME_FORMAT")


@admin_permission_required(ImportJob.admin_permission)
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
    jobs = ImportJob.recent()
    return TemplateResponse(
        request,
        "newsletter/admin/import.html",
        {
            "form": form,
            "jobs": jobs,
            "page_title": _("Adressen importieren"),
            "header_title": _("Newsletter-Import"),
            "header_icon": "upload",
        },
    )


@admin_permission_required(ImportJob.admin_permission)
def import_job(request, pk):
    job = get_object_or_404(ImportJob.objects.select_related("actor"), pk=pk)
    if request.method == "POST":
        # "Jetzt importieren" after a dry run: the same file and choices, for real.
        start = services.import_checked_file
        return import_checked_file(request, job, start, "newsletter_import_job")
    return TemplateResponse(
        request,
        "newsletter/admin/import_job.html",
        {
            "job": job,
            "topics": list(job.topics.all()),
            **import_job_header(job, _("Newsletter-Import")),
        },
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
        {
            "subscriber": subscriber,
            "events": events,
            "page_title": _("Einwilligungshistorie"),
            "page_subtitle": subscriber.email,
            "header_title": _("Einwilligungshistorie"),
            "header_icon": "history",
        },
    )
