"""Submitting a contribution and confirming the address behind it."""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kommune360.core.audit import log_action
from kommune360.core.ratelimit import user_identity

from ..models import FOLLOW_UP_KINDS, Contribution, FollowUp, Status
from ..targets import resolve
from .common import (
    CONFIRM_MAX_AGE,
    CONFIRMATION,
    CONSENT_TEXT,
    CONSENT_VERSION,
    ParticipationError,
    absolute,
    is_blocked,
    mail_author,
    premoderation_for,
)
from .limits import address_identity, email_hash, email_hashes, rate_limited
from .moderation import publish


@transaction.atomic
def submit_contribution(
    target,
    *,
    kind,
    role,
    text,
    affiliation="",
    user=None,
    name="",
    email="",
    anonymous=False,
    keep_text_on_erasure=False,
    consent_version=CONSENT_VERSION,
    client="",
):
    """Accept a contribution to ``target``.

    With an account it goes straight to moderation (or is published where the target
    has no pre-moderation); without one it waits until the address is confirmed.
    """
    if target is None or not target.is_public():
        raise ParticipationError(_("Zu diesem Inhalt können derzeit keine Beiträge eingehen."))
    user = user if user is not None and user.is_authenticated else None
    email = "" if user else email.strip().lower()
    if not user and not email:
        raise ParticipationError(_("Bitte geben Sie Ihre E-Mail-Adresse an."))
    if is_blocked(user, email):
        raise ParticipationError(_("Von Ihnen können derzeit keine Beiträge angenommen werden."))
    # An account counts for itself; an address counts only once it is confirmed (anyone
    # may type anyone's address), until then the visitor who sent it counts.
    if (user and rate_limited("address", user_identity(user))) or (
        client and rate_limited("client", client)
    ):
        raise ParticipationError(
            _("Sie haben in kurzer Zeit viele Beiträge gesendet. Bitte versuchen Sie es später.")
        )
    now = timezone.now()
    contribution = Contribution.objects.create(
        content_type=target.content_type,
        object_id=target.object_id,
        section=target.section,
        target_title=target.title,
        kind=kind,
        role=role,
        affiliation=affiliation.strip(),
        text=text.strip(),
        author=user,
        author_name=(user.get_full_name() if user else name.strip())[:120],
        author_email=email,
        anonymous=anonymous,
        keep_text_on_erasure=keep_text_on_erasure,
        consent_version=consent_version,
        consented_at=now,
        status=Status.UNCONFIRMED,
    )
    log_action(user, "participation.submitted", contribution, kind=kind, target=target.key)
    if user:
        _enter_moderation(contribution, target)
    else:
        _send_confirmation(contribution)
    return contribution


def confirmation_token(contribution) -> str:
    return CONFIRMATION.sign([contribution.pk, email_hash(contribution.author_email)[:16]])


def _send_confirmation(contribution):
    url = absolute(
        reverse("participation:confirm", kwargs={"token": confirmation_token(contribution)})
    )
    mail_author(
        contribution,
        "confirm",
        gettext_lazy("Bitte bestätigen Sie Ihren Beitrag"),
        confirm_url=url,
        consent_text=CONSENT_TEXT,
        consent_version=contribution.consent_version,
        max_days=CONFIRM_MAX_AGE // 86400,
    )


def contribution_for_token(token):
    """The contribution a confirmation link belongs to, or ``None`` if the link is invalid."""
    data = CONFIRMATION.read(token)
    if not (isinstance(data, list) and len(data) == 2):
        return None
    pk, hashed = data
    contribution = Contribution.objects.filter(pk=pk).first()
    if contribution is None:
        return None
    # Links sent before the hash had its purpose carry the older form for a week.
    if hashed not in [known[:16] for known in email_hashes(contribution.author_email)]:
        return None
    return contribution


@transaction.atomic
def confirm_contribution(token):
    """Confirm the address behind a contribution; a second click changes nothing."""
    contribution = contribution_for_token(token)
    if contribution is None:
        raise ParticipationError(
            _(
                "Der Bestätigungslink ist ungültig oder abgelaufen. Bitte senden Sie Ihren "
                "Beitrag noch einmal."
            )
        )
    contribution = Contribution.objects.select_for_update().get(pk=contribution.pk)
    if contribution.status != Status.UNCONFIRMED:
        return contribution
    if is_blocked(email=contribution.author_email):
        raise ParticipationError(_("Von Ihnen können derzeit keine Beiträge angenommen werden."))
    if rate_limited("address", address_identity(contribution.author_email)):
        raise ParticipationError(
            _(
                "Von Ihrer E-Mail-Adresse sind in kurzer Zeit viele Beiträge eingegangen. Bitte "
                "bestätigen Sie diesen Beitrag später noch einmal; der Link bleibt gültig."
            )
        )
    contribution.email_confirmed_at = timezone.now()
    contribution.save(update_fields=["email_confirmed_at"])
    log_action(None, "participation.confirmed", contribution)
    target = resolve(contribution.content_type_id, contribution.object_id, contribution.section)
    _enter_moderation(contribution, target)
    return contribution


def _enter_moderation(contribution, target):
    if contribution.kind in FOLLOW_UP_KINDS:
        contribution.status = Status.INTERNAL
        contribution.save(update_fields=["status"])
        FollowUp.objects.get_or_create(contribution=contribution)
        mail_author(contribution, "received", gettext_lazy("Ihr Beitrag ist beim Team angekommen"))
    elif target is not None and not premoderation_for(target):
        publish(contribution, None)
    else:
        contribution.status = Status.PENDING
        contribution.save(update_fields=["status"])
