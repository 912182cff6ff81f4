"""Organiser screens inside the Wagtail admin: participants, exports, check-in, badges."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from . import services
from .mail import registration_from_checkin_token


def _require(request, codename="change_registration"):
    if not request.user.has_perm(f"events.{codename}"):
        raise PermissionDenied


@require_http_methods(["GET", "POST"])
def checkin_scan(request, token):
    """Target of the QR code in the confirmation mail: check the person in (idempotent).

    GET shows who it is and a button; the phone's camera app opens this link. Checking
    in twice only says "already checked in".
    """
    _require(request)
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
        if request.POST.get("next") == "list":
            return redirect("events_checkin", registration.event_id)
    return render(
        request,
        "events/admin/checkin_scan.html",
        {"registration": registration, "event": registration.event, "result": result},
    )
