"""Public pages of the events app: parse, check access, delegate to ``services``."""

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from kommune360.core import ratelimit
from kommune360.core.cache import mark_private
from kommune360.core.certificates import certificate_pdf_response, certificates_for
from kommune360.core.http import content_disposition
from kommune360.core.languages import default_language
from kommune360.core.models import SiteSettings, TargetGroup
from kommune360.core.qr import qr_svg

from . import services
from .calendar import event_ics, feed_ics
from .forms import PostcardForm, RegistrationForm, SessionChoiceForm
from .mail import checkin_url
from .models import Event, Registration, Session

PER_PAGE = 12
# Confirmation mails per address of a visitor and hour (against mail bombing).
ANONYMOUS_REGISTRATIONS_PER_HOUR = 10
POSTCARDS_PER_HOUR = 10
REGISTRATIONS = ratelimit.Limit("events:register", ANONYMOUS_REGISTRATIONS_PER_HOUR)
POSTCARDS = ratelimit.Limit("events:postcard", POSTCARDS_PER_HOUR)


def _visible_events(request):
    events = Event.objects.all()
    if not (request.user.is_staff and request.user.has_perm("events.change_event")):
        events = events.published()
    return events


def _with_holding(queryset):
    return queryset.annotate(
        holding=Count("registrations", filter=Q(registrations__status__in=Registration.HOLDING))
    )


def event_list(request):
    past = request.GET.get("zeit") == "vergangen"
    now = timezone.now()
    events = _visible_events(request)
    if past:
        events = events.past(now).order_by("-starts_at", "-pk")
    else:
        events = events.upcoming(now).order_by("starts_at", "pk")
    kinds = dict(Event.Kind.choices)
    kind = request.GET.get("art", "")
    if kind in kinds:
        events = events.filter(kind=kind)
    target_groups = list(TargetGroup.objects.all())
    group = request.GET.get("zielgruppe", "")
    if group:
        events = events.filter(target_groups__slug=group)
    place = request.GET.get("ort", "")
    if place == "online":
        events = events.filter(city="")
    elif place == "vor-ort":
        events = events.exclude(city="")
    paginator = Paginator(_with_holding(events).prefetch_related("target_groups"), PER_PAGE)
    page = paginator.get_page(request.GET.get("seite"))
    for event in page.object_list:
        event.band = services.availability(event.capacity, event.holding)
    query = request.GET.copy()
    query.pop("seite", None)
    return render(
        request,
        "events/event_list.html",
        {
            "page": page,
            "events": page.object_list,
            "past": past,
            "kinds": Event.Kind.choices,
            "kind": kind,
            "target_groups": target_groups,
            "group": group,
            "place": place,
            "query": query.urlencode(),
        },
    )


def _json_ld(request, event, network_name):
    url = request.build_absolute_uri(event.get_absolute_url())
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.title,
        "description": event.summary,
        "startDate": timezone.localtime(event.starts_at).isoformat(),
        "endDate": timezone.localtime(event.ends_at).isoformat(),
        "url": url,
        "eventStatus": "https://schema.org/"
        + ("EventCancelled" if event.is_cancelled else "EventScheduled"),
        "organizer": {"@type": "Organization", "name": network_name, "url": settings.SITE_URL},
        "isAccessibleForFree": not event.fee_note,
    }
    if event.city:
        data["eventAttendanceMode"] = "https://schema.org/OfflineEventAttendanceMode"
        data["location"] = {
            "@type": "Place",
            "name": event.venue_name or event.city,
            "address": {
                "@type": "PostalAddress",
                "streetAddress": event.street,
                "postalCode": event.postal_code,
                "addressLocality": event.city,
                "addressCountry": "DE",
            },
        }
    else:
        # The access link is only for confirmed participants: the page stands in for it.
        data["eventAttendanceMode"] = "https://schema.org/OnlineEventAttendanceMode"
        data["location"] = {"@type": "VirtualLocation", "url": url}
    if event.registration_enabled:
        data["offers"] = {
            "@type": "Offer",
            "url": request.build_absolute_uri(reverse("events:register", args=[event.slug])),
            "price": "0" if not event.fee_note else None,
            "priceCurrency": "EUR",
            "availability": "https://schema.org/"
            + ("SoldOut" if getattr(event, "band", "") == "full" else "InStock"),
        }
        if event.fee_note:
            data["offers"]["description"] = event.fee_note
            del data["offers"]["price"]
    return data


def event_detail(request, slug):
    event = get_object_or_404(
        _with_holding(_visible_events(request)).prefetch_related("target_groups"), slug=slug
    )
    event.band = services.availability(event.capacity, event.holding)
    sessions = list(
        Session.objects.filter(event=event).annotate(
            held=Count("choices", filter=Q(choices__registration__status__in=Registration.HOLDING))
        )
    )
    for session in sessions:
        session.band = services.availability(session.capacity, session.held)
    network_name = SiteSettings.for_request(request).network_name
    return render(
        request,
        "events/event_detail.html",
        {
            "event": event,
            "sessions": sessions,
            "state": event.registration_state(),
            "json_ld": _json_ld(request, event, network_name),
        },
    )


# (event id, updated_at) -> (questions, sessions); see _form_parts.
_FORM_PARTS = {}


def _form_parts(event):
    """The event's questions and programme items, kept in this process while it is unchanged.

    The registration form needs them on every request, in a rush thousands of times a
    minute. Saving an event changes ``updated_at``, and so does saving or deleting one
    of its questions or sessions on its own (``models.touch_event``), so a changed
    event is read again. Only definitions are kept, never seat counts.
    """
    key = (event.pk, event.updated_at)
    parts = _FORM_PARTS.get(key)
    if parts is None:
        if len(_FORM_PARTS) > 200:
            _FORM_PARTS.clear()
        parts = (tuple(event.questions.all()), tuple(Session.objects.filter(event=event)))
        _FORM_PARTS[key] = parts
    return parts


def _registration_form(request, event, data=None):
    questions, sessions = _form_parts(event)
    return RegistrationForm(
        data,
        event=event,
        user=request.user,
        questions=questions,
        sessions=sessions,
        held=services.session_counts(event) if sessions else None,
    )


@require_http_methods(["GET", "POST"])
def register(request, slug):
    event = get_object_or_404(_with_holding(_visible_events(request)), slug=slug)
    # A full event takes registrations for its waitlist: the form says so.
    event.band = services.availability(event.capacity, event.holding)
    mark_private(request)
    if event.registration_state() != "open":
        messages.info(request, _("Für diese Veranstaltung ist keine Anmeldung möglich."))
        return redirect(event)
    if request.method == "POST":
        form = _registration_form(request, event, request.POST)
        if form.is_valid():
            if request.user.is_authenticated:
                return _register_now(request, event, form)
            return _send_confirmation(request, event, form)
    else:
        form = _registration_form(request, event)
    return render(request, "events/register.html", {"event": event, "form": form})


def _register_now(request, event, form, email=None):
    try:
        registration = services.register_for_event(
            event,
            name=form.cleaned_data["name"],
            email=email or request.user.email,
            organisation=form.cleaned_data.get("organisation", ""),
            user=request.user,
            answers=form.answers(),
            sessions=form.chosen_sessions(),
            questions=form.questions,
        )
    except services.AlreadyRegistered as error:
        messages.info(request, error.message)
        if error.registration is not None and request.user.is_authenticated:
            return redirect(error.registration)
        return redirect(event)
    except services.SessionFull as error:
        form.add_error("sessions", error.message)
        return render(request, "events/register.html", {"event": event, "form": form})
    except services.RegistrationError as error:
        form.add_error(None, error.message)
        return render(request, "events/register.html", {"event": event, "form": form})
    return redirect(registration)


def _send_confirmation(request, event, form):
    if REGISTRATIONS.exceeded(request):
        form.add_error(
            None, _("Zu viele Anmeldungen von Ihrem Anschluss. Bitte versuchen Sie es später.")
        )
        return render(request, "events/register.html", {"event": event, "form": form})
    data = form.cleaned_data
    services.send_confirmation_link(
        event,
        name=data["name"],
        email=data["email"],
        organisation=data.get("organisation", ""),
        answers=form.answers(),
        sessions=form.chosen_sessions(),
    )
    return render(request, "events/register_sent.html", {"event": event, "email": data["email"]})


@require_http_methods(["GET", "POST"])
def register_confirm(request, slug, token):
    """The link from the confirmation mail. GET asks, POST registers (mail scanners GET)."""
    event = get_object_or_404(_visible_events(request), slug=slug)
    mark_private(request)
    try:
        data = services.read_confirmation_link(event, token)
    except services.ConfirmationExpired:
        return render(request, "events/confirm_invalid.html", {"event": event, "expired": True})
    except services.ConfirmationInvalid:
        raise Http404 from None
    if request.method == "POST":
        try:
            registration = services.register_for_event(
                event,
                name=data["name"],
                email=data["email"],
                organisation=data["organisation"],
                answers=data["answers"],
                sessions=list(Session.objects.filter(event=event, pk__in=data["session_ids"])),
            )
        except services.AlreadyRegistered as error:
            # The link went to this address: its owner may see the registration.
            messages.info(request, error.message)
            return redirect(error.registration or event)
        except services.RegistrationError as error:
            messages.error(request, error.message)
            return redirect(event)
        return redirect(registration)
    return render(request, "events/register_confirm.html", {"event": event, "data": data})


def _registration_by_key(request, key):
    registration = Registration.objects.select_related("event").filter(access_key=key).first()
    if registration is None:
        raise Http404
    mark_private(request)
    return registration


def registration_detail(request, key):
    registration = _registration_by_key(request, key)
    event = registration.event
    now = timezone.now()
    context = {
        "registration": registration,
        "event": event,
        "sessions": list(registration.sessions.order_by("starts_at")),
        "is_past": event.ends_at < now,
    }
    if registration.status == Registration.Status.CONFIRMED and not context["is_past"]:
        context["qr"] = qr_svg(checkin_url(registration))
    if registration.status != Registration.Status.CANCELLED and not context["is_past"]:
        context["session_form"] = _session_form(registration)
    if registration.checked_in_at:
        context["certificate"] = certificates_for(registration).filter(revoked_at=None).first()
    response = render(request, "events/registration.html", context)
    response["X-Robots-Tag"] = "noindex"
    return response


@require_http_methods(["GET", "POST"])
def registration_cancel(request, key):
    registration = _registration_by_key(request, key)
    if request.method == "POST":
        was_waiting = registration.status == Registration.Status.WAITLISTED
        services.cancel_registration(registration, actor=request.user)
        messages.success(
            request,
            _("Sie haben die Warteliste verlassen.")
            if was_waiting
            else _("Ihre Anmeldung ist storniert."),
        )
        return redirect(registration)
    return render(
        request, "events/cancel.html", {"registration": registration, "event": registration.event}
    )


# The answers to a place offered from the waitlist (the URL names the answer).
OFFER_ANSWERS = {
    "accept": (
        services.accept_offer,
        gettext_lazy("Sie haben den Platz angenommen. Ihre Anmeldung ist bestätigt."),
    ),
    "decline": (
        services.decline_offer,
        gettext_lazy("Sie haben den Platz abgelehnt. Er geht an die nächste Person."),
    ),
}


@require_POST
def offer_answer(request, key, answer):
    registration = _registration_by_key(request, key)
    respond, success = OFFER_ANSWERS[answer]
    try:
        respond(registration)
        messages.success(request, success)
    except services.OfferNotValid as error:
        messages.error(request, error.message)
    return redirect(registration)


def _ics_response(content, filename):
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = content_disposition(filename)
    return response


def registration_ics(request, key):
    registration = _registration_by_key(request, key)
    return _ics_response(event_ics(registration.event, registration), "veranstaltung.ics")


def event_ics_view(request, slug):
    event = get_object_or_404(Event.objects.published(), slug=slug)
    return _ics_response(event_ics(event), f"{event.slug}.ics")


def calendar_feed(request):
    since = timezone.now() - timedelta(days=365)
    events = Event.objects.published().filter(ends_at__gte=since)
    with default_language():  # calendar files are in the platform's language
        name = _("Veranstaltungen – %(network)s") % {
            "network": SiteSettings.for_request(request).network_name
        }
    response = HttpResponse(feed_ics(events, name), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = content_disposition("veranstaltungen.ics", attachment=False)
    return response


@login_required
def my_registrations(request):
    mark_private(request)
    registrations = (
        Registration.objects.filter(Q(user=request.user) | Q(email__iexact=request.user.email))
        .select_related("event")
        .order_by("-event__starts_at")
    )
    now = timezone.now()
    upcoming = [r for r in registrations if r.event.ends_at >= now]
    upcoming.reverse()
    past = [r for r in registrations if r.event.ends_at < now]
    return render(request, "events/my_registrations.html", {"upcoming": upcoming, "past": past})


@require_http_methods(["GET", "POST"])
def postcard(request, key):
    registration = _registration_by_key(request, key)
    event = registration.event
    if registration.status != Registration.Status.CONFIRMED or event.ends_at > timezone.now():
        messages.info(
            request, _("Postkarten können Teilnehmer:innen nach der Veranstaltung verschicken.")
        )
        return redirect(registration)
    if request.method == "POST":
        form = PostcardForm(request.POST)
        if form.is_valid():
            if POSTCARDS.exceeded(request):
                form.add_error(
                    None, _("Bitte warten Sie etwas, bevor Sie weitere Postkarten schicken.")
                )
            else:
                try:
                    services.send_postcard(
                        registration,
                        sender_name=form.cleaned_data["sender_name"],
                        recipient=form.cleaned_data["recipient"],
                        message=form.cleaned_data["message"],
                    )
                except services.RegistrationError as error:
                    form.add_error(None, error.message)
                else:
                    messages.success(request, _("Ihre Postkarte ist unterwegs."))
                    return redirect(registration)
    else:
        form = PostcardForm(initial={"sender_name": registration.name})
    remaining = services.POSTCARDS_PER_REGISTRATION - registration.postcards.count()
    return render(
        request,
        "events/postcard.html",
        {"registration": registration, "event": event, "form": form, "remaining": remaining},
    )


def registration_certificate(request, key):
    registration = _registration_by_key(request, key)
    certificate = certificates_for(registration).filter(revoked_at=None).first()
    if certificate is None:
        raise Http404
    return certificate_pdf_response(certificate)


def _session_form(registration, data=None):
    sessions = list(Session.objects.filter(event=registration.event))
    if not sessions:
        return None
    form = SessionChoiceForm(
        data,
        sessions=sessions,
        held=services.session_counts(registration.event),
        initial={"sessions": [str(s.pk) for s in registration.sessions.all()]},
    )
    return form


@require_POST
def registration_sessions(request, key):
    """Change the chosen programme items; seats are re-counted under the event lock."""
    registration = _registration_by_key(request, key)
    form = _session_form(registration, request.POST)
    if form is None or registration.event.ends_at < timezone.now():
        raise Http404
    if form.is_valid():
        try:
            services.choose_sessions(registration, form.chosen_sessions())
            messages.success(request, _("Ihre Programmpunkte sind gespeichert."))
        except services.RegistrationError as error:
            messages.error(request, error.message)
    return redirect(registration)
