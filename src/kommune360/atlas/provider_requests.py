"""Becoming a provider: a member asks to maintain an organisation's offers, editors
approve or decline.

Each step writes an audit entry and mails the member (fixed subjects: the
organisation's name is typed by a member and stays in the body). Approval links the
account to the provider (creating a proposed organisation first) and grants the role
„Anbieter:in“ (``accounts.services.grant_role``); the account then maintains the
provider's offers at ``/angebote/verwalten/``. One open request per person and
organisation: the service says so in German, a partial unique index backs it.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kommune360.accounts.roles import PROVIDER
from kommune360.accounts.services import grant_role
from kommune360.core.audit import log_action
from kommune360.core.mail import queue_email

from .models import Provider, ProviderRequest
from .services import create_provider, is_editor

Status = ProviderRequest.Status

SUBJECTS = {
    "received": gettext_lazy("Ihre Anfrage als Anbieter:in ist eingegangen"),
    "approved": gettext_lazy("Sie pflegen jetzt Angebote im Angebotsatlas"),
    "declined": gettext_lazy("Ihre Anfrage als Anbieter:in im Angebotsatlas"),
}
DUPLICATE = gettext_lazy(
    "Sie haben für diese Organisation schon eine Anfrage gestellt. Die Redaktion meldet "
    "sich bei Ihnen, sobald sie entschieden hat."
)


def maintains_offers(user) -> bool:
    """Whether ``user`` maintains any provider's offers (the role and a provider linked,
    as ``services.providers_of`` asks): one query, remembered on the user object for the
    rest of the request."""
    if not user.is_authenticated:
        return False
    known = getattr(user, "_atlas_maintains_offers", None)
    if known is None:
        found = Provider.objects.filter(maintainers=user)
        if not user.is_superuser:
            # One filter() call: the same maintainer is the user and has the role.
            found = Provider.objects.filter(maintainers=user, maintainers__groups__name=PROVIDER)
        known = user._atlas_maintains_offers = found.exists()
    return known


def requests_of(user):
    return (
        ProviderRequest.objects.filter(user=user)
        .select_related("provider")
        .order_by("-created", "-pk")
    )


def _mail(provider_request, kind):
    user = provider_request.user
    if not user.email:
        return
    context = {
        "provider_request": provider_request,
        "organisation": provider_request.organisation_name,
        "site_url": settings.SITE_URL,
        "manage_url": settings.SITE_URL + reverse("atlas:manage"),
        "requests_url": settings.SITE_URL + reverse("atlas:become_provider"),
    }
    queue_email(
        SUBJECTS[kind],
        [user.email],
        render_to_string(f"atlas/mail/provider_request_{kind}.txt", context),
    )


@transaction.atomic
def request_provider_role(user, *, provider=None, name="", website="", note=""):
    """A member asks to maintain ``provider``'s offers, or those of a new organisation
    called ``name``. Raises ``ValidationError`` (German) for a duplicate or a name the
    atlas already has."""
    if not user.is_authenticated:
        raise PermissionDenied
    name = "" if provider else " ".join(name.split())
    if provider is None and not name:
        raise ValidationError(
            _("Bitte wählen Sie eine Organisation aus oder nennen Sie eine neue.")
        )
    if (
        provider is not None
        and maintains_offers(user)
        and provider.maintainers.filter(pk=user.pk).exists()
    ):
        raise ValidationError(_("Sie pflegen die Angebote dieser Organisation schon."))
    if provider is None and Provider.objects.filter(name__iexact=name).exists():
        raise ValidationError(
            _(
                "Diese Organisation gibt es schon im Angebotsatlas. Bitte wählen Sie sie "
                "in der Liste aus."
            )
        )
    open_requests = ProviderRequest.objects.filter(user=user, status=Status.OPEN)
    duplicate = (
        open_requests.filter(provider=provider)
        if provider
        else open_requests.filter(provider__isnull=True, name__iexact=name)
    )
    if duplicate.exists():
        raise ValidationError(str(DUPLICATE))
    provider_request = ProviderRequest(
        user=user,
        provider=provider,
        name=name,
        website="" if provider else website,
        note=note.strip(),
    )
    provider_request.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            provider_request.save()
    except IntegrityError as error:  # the same request sent twice at once
        raise ValidationError(str(DUPLICATE)) from error
    log_action(
        user,
        "atlas.provider_request_created",
        provider_request,
        provider=provider.pk if provider else None,
        name=name,
    )
    _mail(provider_request, "received")
    return provider_request


def open_requests():
    """The requests editors still have to decide, oldest first."""
    return (
        ProviderRequest.objects.filter(status=Status.OPEN)
        .select_related("user", "provider")
        .order_by("created", "pk")
    )


def _decidable(editor, provider_request):
    if not is_editor(editor):
        raise PermissionDenied
    provider_request = (
        ProviderRequest.objects.select_for_update(of=("self",))  # the provider may be null
        .select_related("user", "provider")
        .get(pk=provider_request.pk)
    )
    if not provider_request.is_open:
        raise ValidationError(_("Über diese Anfrage ist schon entschieden."))
    return provider_request


def _decide(editor, provider_request, status, message):
    provider_request.status = status
    provider_request.reason = (message or "").strip()
    provider_request.decided_at = timezone.now()
    provider_request.decided_by = editor
    provider_request.full_clean(validate_constraints=False)
    provider_request.save(
        update_fields=["status", "reason", "decided_at", "decided_by", "provider"]
    )


@transaction.atomic
def approve_request(editor, provider_request, *, type="", message=""):
    """Grant the request: the account maintains the provider's offers from now on. A
    proposed organisation becomes a provider of the ``type`` the editor chose."""
    provider_request = _decidable(editor, provider_request)
    provider = provider_request.provider
    if provider is None:
        if Provider.objects.filter(name__iexact=provider_request.name).exists():
            raise ValidationError(
                _(
                    "Eine Anbieter:in mit diesem Namen gibt es inzwischen. Bitte lehnen Sie "
                    "die Anfrage ab und bitten Sie die Person, die Organisation in der Liste "
                    "auszuwählen."
                )
            )
        if type not in Provider.Type.values:
            raise ValidationError(_("Bitte wählen Sie die Art der Organisation."))
        provider = create_provider(
            editor, name=provider_request.name, type=type, website=provider_request.website
        )
        provider_request.provider = provider
    provider.maintainers.add(provider_request.user)
    grant_role(editor, provider_request.user, PROVIDER)
    _decide(editor, provider_request, Status.APPROVED, message)
    log_action(editor, "atlas.provider_request_approved", provider_request, provider=provider.pk)
    _mail(provider_request, "approved")
    return provider_request


@transaction.atomic
def decline_request(editor, provider_request, *, message=""):
    """Decline the request, with an optional message to the person."""
    provider_request = _decidable(editor, provider_request)
    _decide(editor, provider_request, Status.DECLINED, message)
    log_action(editor, "atlas.provider_request_declined", provider_request, message=message)
    _mail(provider_request, "declined")
    return provider_request
