"""Organiser screens inside the Wagtail admin: participants, exports, check-in, badges.

Views parse and check permissions; every change goes through ``services``.
"""

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from kommune360.core import choices, exports
from kommune360.core.certificates import Certificate, certificate_pdf_response
from kommune360.core.dates import local_date
from kommune360.core.http import content_disposition
from kommune360.core.languages import default_language, in_default_language
from kommune360.core.permissions import admin_permission_required
from kommune360.core.sorting import by_name

from . import services
from .forms import CancelEventForm, MessageForm
from .mail import registration_from_checkin_token
from .models import Event, Registration

Status = Registration.Status
PARTICIPANTS_PER_PAGE = 100


def _event(event_id):
    return get_object_or_404(Event, pk=event_id)


def _registrations(event):
    return (
        Registration.objects.filter(event=event)
        .prefetch_related("answers__question", "sessions")
        .order_by("status", "created_at", "pk")
    )


@admin_permission_required("events.view_registration")
def participants(request, event_id):
    event = _event(event_id)
    page = Paginator(_registrations(event), PARTICIPANTS_PER_PAGE).get_page(request.GET.get("p"))
    questions = list(event.questions.all())
    for registration in page:
        answers = {a.question_id: a.value for a in registration.answers.all()}
        registration.answer_list = [answers.get(q.pk, "") for q in questions]
    counted = dict(
        Registration.objects.filter(event=event)
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
    )
    return render(
        request,
        "events/admin/participants.html",
        {
            "event": event,
            "page": page,
            "questions": questions,
            "status_counts": choices.counted(Status, counted),
            "page_title": _("Teilnehmende: %(title)s") % {"title": event.title},
            "header_icon": "group",
        },
    )


def _rows(event):
    questions = list(event.questions.all())
    header = [
        _("Name"),
        _("E-Mail"),
        _("Organisation"),
        _("Status"),
        _("angemeldet am"),
        _("eingecheckt"),
        _("Programmpunkte"),
        *[q.label for q in questions],
    ]
    yield header
    for r in _registrations(event):
        answers = {a.question_id: a.value for a in r.answers.all()}
        yield [
            r.name,
            r.email,
            r.organisation,
            r.get_status_display(),
            local_date(r.created_at, "SHORT_DATETIME_FORMAT"),
            local_date(r.checked_in_at, "SHORT_DATETIME_FORMAT"),
            "; ".join(s.title for s in r.sessions.all()),
            *[answers.get(q.pk, "") for q in questions],
        ]


@admin_permission_required("events.view_registration")
def export(request, event_id, fmt):
    event = _event(event_id)
    response = exports.response(fmt, _rows(event), f"teilnehmende-{event.slug}", _("Teilnehmende"))
    if response is None:
        raise Http404
    from kommune360.core.audit import log_action

    log_action(request.user, "events.participants_exported", event, format=fmt)
    return response


@require_http_methods(["GET", "POST"])
@admin_permission_required("events.change_registration")
def message(request, event_id):
    event = _event(event_id)
    form = MessageForm(request.POST or None, initial={"to": "all"})
    if request.method == "POST" and form.is_valid():
        count = services.message_participants(
            event,
            subject=form.cleaned_data["subject"],
            text=form.cleaned_data["text"],
            to=form.cleaned_data["to"],
            actor=request.user,
        )
        messages.success(
            request,
            ngettext(
                "Nachricht an %(count)s Person verschickt.",
                "Nachricht an %(count)s Personen verschickt.",
                count,
            )
            % {"count": count},
        )
        return redirect("events_participants", event.pk)
    return _form_page(request, event, form, _("Nachricht an Teilnehmende"), "mail", _("Senden"))


@require_http_methods(["GET", "POST"])
@admin_permission_required("events.change_event")
def cancel_event(request, event_id):
    event = _event(event_id)
    form = CancelEventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.cancel_event(event, reason=form.cleaned_data["reason"], actor=request.user)
        messages.success(request, _("Die Veranstaltung ist abgesagt; alle werden informiert."))
        return redirect("events_participants", event.pk)
    title = _("Veranstaltung absagen: %(title)s") % {"title": event.title}
    return _form_page(request, event, form, title, "warning", _("Absagen"))


def _form_page(request, event, form, title, icon, submit):
    """The form of ``message`` and ``cancel_event``, under the event's title."""
    context = {"event": event, "form": form, "submit": submit, "page_title": title}
    return render(request, "events/admin/form.html", {**context, "header_icon": icon})


@admin_permission_required("events.view_registration")
def badges(request, event_id):
    """Name badges (A4, eight per page) for everyone with a confirmed place."""
    from weasyprint import HTML

    event = _event(event_id)
    people = Registration.objects.filter(event=event, status=Status.CONFIRMED).order_by(
        *by_name("name")
    )
    with default_language():
        html = render_to_string("events/pdf/badges.html", {"event": event, "people": people})
    response = HttpResponse(HTML(string=html).write_pdf(), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(
        f"namensschilder-{event.slug}.pdf", attachment=False
    )
    return response


@require_http_methods(["GET", "POST"])
@admin_permission_required("events.change_registration")
def checkin(request, event_id):
    """For a phone at the door: search a name, tap to check in (twice is harmless)."""
    event = _event(event_id)
    if request.method == "POST":
        registration = get_object_or_404(
            Registration, pk=request.POST.get("registration"), event=event
        )
        try:
            registration, first = services.check_in(registration, actor=request.user)
            if first:
                messages.success(
                    request, _("%(name)s ist eingecheckt.") % {"name": registration.name}
                )
            else:
                messages.info(
                    request, _("%(name)s war schon eingecheckt.") % {"name": registration.name}
                )
        except services.RegistrationError as error:
            messages.error(request, error.message)
        return redirect(f"{request.path}?q={request.POST.get('q', '')}")
    query = request.GET.get("q", "").strip()
    registrations = Registration.objects.filter(event=event, status=Status.CONFIRMED)
    if query:
        registrations = registrations.filter(
            Q(name__icontains=query) | Q(organisation__icontains=query) | Q(email__icontains=query)
        )
    checked_in = Registration.objects.filter(event=event, checked_in_at__isnull=False).count()
    confirmed = Registration.objects.filter(event=event, status=Status.CONFIRMED).count()
    return render(
        request,
        "events/admin/checkin.html",
        {
            "event": event,
            "query": query,
            "registrations": registrations.order_by(*by_name("name"))[:50],
            "checked_in": checked_in,
            "confirmed": confirmed,
            "page_title": _("Check-in: %(title)s") % {"title": event.title},
            "header_icon": "tick",
        },
    )


@require_http_methods(["GET", "POST"])
@admin_permission_required("events.change_registration")
def checkin_scan(request, token):
    """Target of the QR code in the confirmation mail: check the person in (idempotent).

    GET shows who it is and a button (the phone's camera app opens this link); POST
    checks in. Checking in twice only says "already checked in".
    """
    registration = registration_from_checkin_token(token)
    if registration is None:
        raise Http404
    result = None
    if request.method == "POST":
        try:
            registration, first = services.check_in(registration, actor=request.user)
            result = "ok" if first else "again"
        except services.RegistrationError as error:
            messages.error(request, error.message)
            result = "error"
    return render(
        request,
        "events/admin/checkin_scan.html",
        {
            "registration": registration,
            "event": registration.event,
            "result": result,
            "page_title": _("Check-in"),
            "header_icon": "tick",
        },
    )


@in_default_language
def certificate_details(registration):
    event = registration.event
    tz = timezone.get_default_timezone()
    start, end = event.starts_at.astimezone(tz), event.ends_at.astimezone(tz)
    if start.date() == end.date():
        when = _("%(day)s, %(start)s–%(end)s Uhr") % {
            "day": local_date(start, "SHORT_DATE_FORMAT"),
            "start": local_date(start, "TIME_FORMAT"),
            "end": local_date(end, "TIME_FORMAT"),
        }
    else:
        when = f"{local_date(start, 'SHORT_DATE_FORMAT')} – {local_date(end, 'SHORT_DATE_FORMAT')}"
    hours = round((end - start).total_seconds() / 3600, 1)
    facts = [
        {"label": _("Veranstaltung"), "value": event.title},
        {"label": _("Art"), "value": str(event.get_kind_display())},
        {"label": _("Datum"), "value": when},
        {"label": _("Ort"), "value": event.address_line or _("online")},
    ]
    modules = [
        {
            "title": s.title,
            "date": local_date(s.starts_at, "SHORT_DATETIME_FORMAT"),
            "hours": round((s.ends_at - s.starts_at).total_seconds() / 3600, 1),
        }
        for s in registration.sessions.order_by("starts_at")
    ]
    details = {"facts": facts, "modules": modules}
    if start.date() == end.date():
        details["total_hours"] = hours
    return details


@require_http_methods(["GET", "POST"])
@admin_permission_required("events.change_registration")
def certificates(request, event_id):
    """Certificates of attendance for everyone checked in (core's shared machinery)."""
    from kommune360.core.certificates import issue_certificate

    event = _event(event_id)
    present = list(
        Registration.objects.filter(
            event=event, status=Status.CONFIRMED, checked_in_at__isnull=False
        ).order_by(*by_name("name"), "pk")
    )
    if request.method == "POST":
        for registration in present:
            issue_certificate(
                registration,
                holder_name=registration.name,
                holder=registration.user,
                title=event.title,
                details=certificate_details(registration),
                # Berlin's date, not the one of the time zone chosen in the admin profile.
                issued_on=timezone.localdate(timezone=timezone.get_default_timezone()),
                actor=request.user,
            )
        messages.success(
            request,
            ngettext(
                "%(count)s Teilnahmebescheinigung ausgestellt.",
                "%(count)s Teilnahmebescheinigungen ausgestellt.",
                len(present),
            )
            % {"count": len(present)},
        )
        return redirect("events_certificates", event.pk)
    by_registration = {
        int(c.object_id): c
        for c in Certificate.objects.filter(
            content_type=ContentType.objects.get_for_model(Registration),
            object_id__in=[str(r.pk) for r in present],
            revoked_at__isnull=True,
        )
    }
    return render(
        request,
        "events/admin/certificates.html",
        {
            "event": event,
            "rows": [(r, by_registration.get(r.pk)) for r in present],
            "page_title": _("Teilnahmebescheinigungen: %(title)s") % {"title": event.title},
            "header_icon": "doc-full",
        },
    )


@admin_permission_required("events.view_registration")
def certificate_pdf(request, certificate_id):
    return certificate_pdf_response(get_object_or_404(Certificate, pk=certificate_id))
