"""Contact with consent: a request, the other side accepts or declines; e-mail
addresses are shown to each other only after acceptance. Block and report."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kommune360.core import ratelimit
from kommune360.core.audit import log_action
from kommune360.core.mail import queue_email

from ..models import Block, ContactRequest, Pair, Profile, Report

REQUESTS_PER_DAY = 10
CONTACT_REQUESTS = ratelimit.Limit(
    "network:contact_request", REQUESTS_PER_DAY, 24 * ratelimit.HOUR, per=ratelimit.USER
)
REPORTS_PER_DAY = 10
REPORTS = ratelimit.Limit(
    "network:report", REPORTS_PER_DAY, 24 * ratelimit.HOUR, per=ratelimit.USER
)


def blocked_me_ids(user):
    """Accounts that blocked ``user`` (a subquery)."""
    return Block.objects.filter(blocked=user).values("blocker_id")


def is_blocked(a, b) -> bool:
    return Block.objects.filter(Q(blocker=a, blocked=b) | Q(blocker=b, blocked=a)).exists()


def are_in_contact(a, b) -> bool:
    return ContactRequest.objects.filter(
        Q(sender=a, recipient=b) | Q(sender=b, recipient=a), state=ContactRequest.State.ACCEPTED
    ).exists()


def _link(name) -> str:
    return settings.SITE_URL + reverse(name)


@transaction.atomic
def send_request(sender, profile: Profile, message: str) -> ContactRequest:
    recipient = profile.user
    if not profile.is_active or not recipient.is_active:
        raise ValidationError(_("Dieses Profil ist nicht sichtbar."))
    if recipient.pk == sender.pk:
        raise ValidationError(_("Sie können sich nicht selbst anfragen."))
    if is_blocked(sender, recipient):
        raise ValidationError(_("Eine Anfrage an diese Person ist nicht möglich."))
    if are_in_contact(sender, recipient):
        raise ValidationError(_("Sie sind bereits miteinander in Kontakt."))
    message = (message or "").strip()
    if not message:
        raise ValidationError(_("Bitte schreiben Sie eine kurze Nachricht."))
    if CONTACT_REQUESTS.exceeded_for(ratelimit.user_identity(sender)):
        raise ValidationError(
            ngettext(
                "Sie haben heute schon %(count)s Kontaktanfrage gestellt. Bitte versuchen Sie "
                "es morgen noch einmal.",
                "Sie haben heute schon %(count)s Kontaktanfragen gestellt. Bitte versuchen Sie "
                "es morgen noch einmal.",
                REQUESTS_PER_DAY,
            )
            % {"count": REQUESTS_PER_DAY}
        )
    try:
        with transaction.atomic():
            request = ContactRequest.objects.create(
                sender=sender, recipient=recipient, message=message[:800]
            )
    except IntegrityError as error:
        raise ValidationError(_("Ihre Anfrage an diese Person ist noch offen.")) from error
    log_action(sender, "network.contact_requested", request)
    queue_email(
        _("Neue Kontaktanfrage im Netzwerk"),
        [recipient.email],
        _(
            "Guten Tag,\n\njemand aus dem Netzwerk möchte mit Ihnen in Kontakt kommen. "
            "Lesen Sie die Nachricht und entscheiden Sie hier:\n\n%(url)s\n\n"
            "Ihre E-Mail-Adresse erfährt die Person erst, wenn Sie annehmen."
        )
        % {"url": _link("network:contacts")},
    )
    return request


def _open_request_for(user, request_id) -> ContactRequest:
    request = (
        ContactRequest.objects.select_for_update().filter(pk=request_id, recipient=user).first()
    )
    if request is None:
        raise PermissionDenied
    if request.state != ContactRequest.State.OPEN:
        raise ValidationError(_("Über diese Anfrage ist schon entschieden."))
    return request


@transaction.atomic
def accept_request(user, request_id) -> ContactRequest:
    request = _open_request_for(user, request_id)
    request.state = ContactRequest.State.ACCEPTED
    request.decided = timezone.now()
    request.save(update_fields=["state", "decided"])
    log_action(user, "network.contact_accepted", request)
    queue_email(
        _("Ihre Kontaktanfrage wurde angenommen"),
        [request.sender.email],
        _(
            "Guten Tag,\n\nIhre Kontaktanfrage im Netzwerk wurde angenommen. Die E-Mail-Adresse "
            "Ihres Gegenübers finden Sie hier:\n\n%(url)s"
        )
        % {"url": _link("network:contacts")},
    )
    return request


@transaction.atomic
def decline_request(user, request_id, reason: str = "") -> ContactRequest:
    request = _open_request_for(user, request_id)
    request.state = ContactRequest.State.DECLINED
    request.reason = (reason or "").strip()[:500]
    request.decided = timezone.now()
    request.save(update_fields=["state", "reason", "decided"])
    log_action(user, "network.contact_declined", request)
    queue_email(
        _("Antwort auf Ihre Kontaktanfrage"),
        [request.sender.email],
        _(
            "Guten Tag,\n\nIhre Kontaktanfrage im Netzwerk wurde diesmal nicht angenommen. "
            "Eine Begründung, falls es eine gibt, finden Sie hier:\n\n%(url)s"
        )
        % {"url": _link("network:contacts")},
    )
    return request


@transaction.atomic
def block(user, other) -> Block:
    if other.pk == user.pk:
        raise ValidationError(_("Sie können sich nicht selbst blockieren."))
    found, _created = Block.objects.get_or_create(blocker=user, blocked=other)
    # Open requests between the two end; an accepted contact ends as well.
    ContactRequest.objects.filter(
        Q(sender=user, recipient=other) | Q(sender=other, recipient=user),
        state__in=[ContactRequest.State.OPEN, ContactRequest.State.ACCEPTED],
    ).update(state=ContactRequest.State.WITHDRAWN, decided=timezone.now())
    # So does a tandem of a matching round: nobody reads the other's address any more.
    Pair.objects.filter(
        Q(first=user, second=other) | Q(first=other, second=user), ended=False
    ).update(ended=True)
    log_action(user, "network.blocked", found)
    return found


@transaction.atomic
def unblock(user, other) -> None:
    Block.objects.filter(blocker=user, blocked=other).delete()
    log_action(user, "network.unblocked", None, blocked=other.pk)


@transaction.atomic
def report(user, profile: Profile, reason: str) -> Report:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Bitte sagen Sie kurz, was Sie melden."))
    if REPORTS.exceeded_for(ratelimit.user_identity(user)):
        raise ValidationError(_("Sie haben heute schon viele Meldungen geschickt. Danke!"))
    found = Report.objects.create(reporter=user, profile=profile, reason=reason[:1000])
    log_action(user, "network.reported", found)
    return found


@transaction.atomic
def close_report(moderator, report_obj: Report, note: str = "") -> Report:
    report_obj.state = Report.State.DONE
    report_obj.handled_by = moderator
    report_obj.note = note
    report_obj.save(update_fields=["state", "handled_by", "note"])
    log_action(moderator, "network.report_closed", report_obj)
    return report_obj


def requests_for(user):
    """(incoming open requests, my sent requests, accepted contacts) for the contacts page."""
    base = ContactRequest.objects.select_related(
        "sender__network_profile", "recipient__network_profile"
    )
    incoming = list(base.filter(recipient=user, state=ContactRequest.State.OPEN)[:100])
    sent = list(base.filter(sender=user).exclude(state=ContactRequest.State.ACCEPTED)[:100])
    contacts = list(
        base.filter(Q(sender=user) | Q(recipient=user), state=ContactRequest.State.ACCEPTED)[:500]
    )
    return incoming, sent, contacts
