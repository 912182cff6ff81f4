"""What every part of the participation services shares: permissions, consent, checks,
the mail to a contribution's author."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kommune360.core.languages import in_default_language
from kommune360.core.mail import queue_email
from kommune360.core.signed_links import SignedLink

from ..models import BlockedAuthor, Contribution, TargetSettings
from ..targets import resolve
from .limits import email_hashes

MODERATE_PERMISSION = "participation.moderate_contribution"
FOLLOW_UP_PERMISSION = "participation.change_followup"
REPORTS_TO_HIDE = 3
CONFIRM_MAX_AGE = 7 * 24 * 3600
CONFIRMATION = SignedLink("kommune360.participation.confirm", max_age=CONFIRM_MAX_AGE)

# The consent people give when they send a contribution. A new wording gets a new
# version; each contribution records the version its author agreed to.
CONSENT_VERSION = "2026-11"
CONSENT_TEXT = gettext_lazy(
    "Ich bin einverstanden, dass das Team meinen Beitrag, meinen Namen (wenn ich nicht "
    "„anonym“ wähle), meine Rolle und meine Kommune oder Organisation veröffentlicht und "
    "mich über meine E-Mail-Adresse zu diesem Beitrag kontaktiert. Ich kann meine Daten "
    "jederzeit einsehen und löschen lassen."
)


class ParticipationError(Exception):
    """A contribution or report cannot be accepted; the message is for the person."""


def is_moderator(user) -> bool:
    return bool(user and user.is_authenticated and user.has_perm(MODERATE_PERMISSION))


def is_own(contribution, user) -> bool:
    if contribution.author_id and contribution.author_id == user.pk:
        return True
    return bool(
        contribution.author_email
        and user.email
        and contribution.author_email.lower() == user.email.lower()
    )


def check_moderator(contribution, moderator):
    if not is_moderator(moderator):
        raise PermissionDenied(_("Sie dürfen keine Beiträge moderieren."))
    if is_own(contribution, moderator):
        raise PermissionDenied(_("Eigene Beiträge moderieren andere Moderator:innen."))


def is_blocked(user=None, email="") -> bool:
    query = Q(pk__in=[])
    if user is not None and user.is_authenticated:
        query |= Q(user=user) | Q(email__iexact=user.email)
    if email:
        # Erased accounts leave only a keyed hash of the blocked address behind.
        query |= Q(email__iexact=email) | Q(email__in=email_hashes(email))
    return BlockedAuthor.objects.filter(query).exists()


def premoderation_for(target) -> bool:
    row = (
        TargetSettings.objects.filter(
            content_type=target.content_type, object_id=target.object_id, section=target.section
        )
        .values_list("premoderation", flat=True)
        .first()
    )
    return target.default_premoderation if row is None else row


def absolute(url: str) -> str:
    return url if url.startswith("http") else f"{settings.SITE_URL}{url}"


def _target_url(contribution) -> str:
    target = resolve(contribution.content_type_id, contribution.object_id, contribution.section)
    return absolute(target.anchor_url) if target else settings.SITE_URL


@in_default_language
def mail_author(contribution, template, subject, **context):
    """Mail the author (in the platform's language; ``subject`` may be a lazy text)."""
    address = contribution.email
    if not address:
        return None
    context = {
        "contribution": contribution,
        "target_title": contribution.target_title,
        "target_url": _target_url(contribution),
        "site_url": settings.SITE_URL,
        **context,
    }
    return queue_email(
        str(subject),
        [address],
        render_to_string(f"participation/mail/{template}.txt", context),
        html=render_to_string(f"participation/mail/{template}.html", context),
    )


def lock(contribution):
    return Contribution.objects.select_for_update().get(pk=contribution.pk)


def moderators():
    """Active accounts that may moderate (for the digest)."""
    user_model = get_user_model()
    app_label, codename = MODERATE_PERMISSION.split(".")
    permission = Q(
        groups__permissions__codename=codename,
        groups__permissions__content_type__app_label=app_label,
    ) | Q(
        user_permissions__codename=codename,
        user_permissions__content_type__app_label=app_label,
    )
    return (
        user_model.objects.filter(is_active=True)
        .filter(permission | Q(is_superuser=True))
        .distinct()
        .order_by("pk")
    )
