"""The mails of the events app, built by the task worker (never inside a request)."""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kommune360.core.languages import in_default_language
from kommune360.core.mail import queue_email
from kommune360.core.qr import qr_png
from kommune360.core.signed_links import SignedLink

from .calendar import event_ics
from .models import Registration

CHECKIN = SignedLink("kommune360.events.checkin")

SUBJECTS = {
    "confirmed": gettext_lazy("Anmeldung bestätigt: %(title)s"),
    "waitlisted": gettext_lazy("Sie stehen auf der Warteliste: %(title)s"),
    "offered": gettext_lazy("Ein Platz ist frei geworden: %(title)s"),
    "cancelled": gettext_lazy("Abmeldung bestätigt: %(title)s"),
    "offer_expired": gettext_lazy("Platzangebot abgelaufen: %(title)s"),
    "event_cancelled": gettext_lazy("Abgesagt: %(title)s"),
}


def checkin_token(registration) -> str:
    return CHECKIN.sign(registration.pk)


def registration_from_checkin_token(token):
    pk = CHECKIN.read(token)
    if not isinstance(pk, int):
        return None
    return Registration.objects.select_related("event").filter(pk=pk).first()


def checkin_url(registration) -> str:
    return settings.SITE_URL + reverse("events_checkin_scan", args=[checkin_token(registration)])


def registration_url(registration) -> str:
    return settings.SITE_URL + registration.get_absolute_url()


@in_default_language
def send_registration_mail(registration: Registration, kind: str, extra=None):
    """Queue the mail for ``kind`` (a status or an event such as ``offered``)."""
    event = registration.event
    context = {
        "registration": registration,
        "event": event,
        "registration_url": registration_url(registration),
        "event_url": settings.SITE_URL + event.get_absolute_url(),
        "site_url": settings.SITE_URL,
        **(extra or {}),
    }
    attachments = []
    if kind == "confirmed":
        attachments.append(("veranstaltung.ics", event_ics(event, registration), "text/calendar"))
        attachments.append(("einlass-qr-code.png", qr_png(checkin_url(registration)), "image/png"))
    text = render_to_string(f"events/mail/{kind}.txt", context)
    queue_email(
        SUBJECTS[kind] % {"title": event.title}, [registration.email], text, attachments=attachments
    )


@in_default_language
def send_message(registration: Registration, subject: str, text: str):
    body = render_to_string(
        "events/mail/message.txt",
        {
            "registration": registration,
            "event": registration.event,
            "text": text,
            "registration_url": registration_url(registration),
        },
    )
    queue_email(subject, [registration.email], body)


@in_default_language
def send_postcard_mail(event, *, sender_name, recipient, message):
    from kommune360.core.models import SiteSettings

    site_settings = SiteSettings.objects.first()
    context = {
        "event": event,
        "sender_name": sender_name,
        "message": message,
        "event_url": settings.SITE_URL + event.get_absolute_url(),
        "network_name": site_settings.network_name if site_settings else "kommune360",
    }
    # A mail to somebody who asked for nothing: its subject holds no text a visitor typed
    # (only the network's name); the sender's name and message stand in the body.
    queue_email(
        _("Eine Postkarte über %(network)s") % {"network": context["network_name"]},
        [recipient],
        render_to_string("events/mail/postcard.txt", context),
        html=render_to_string("events/mail/postcard.html", context),
    )
