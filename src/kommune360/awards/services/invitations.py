"""Co-applicants by invitation: the applicant names an address, the platform mails a
signed link (``core.signed_links``), and only the person who opens it logged in with
that address confirmed and accepts becomes a co-applicant."""

from datetime import timedelta
from enum import Enum

from allauth.account.models import EmailAddress
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kommune360.core.addresses import normalize_email
from kommune360.core.audit import log_action
from kommune360.core.signed_links import SignedLink

from .. import mail
from ..models import Application, CoApplicant
from .applications import ApplicationError, _lock

MAX_CO_APPLICANTS = 10
VALID_DAYS = 14
LINK = SignedLink("awards.co_applicant", max_age=timedelta(days=VALID_DAYS))


class Problem(Enum):
    """Why a link leads nowhere: each has its own German page; ``status`` its answer."""

    BROKEN = "broken"  # forged or damaged
    EXPIRED = "expired"
    USED = "used"  # accepted already, or the invitation is gone
    WRONG_ACCOUNT = "wrong_account"
    UNCONFIRMED = "unconfirmed"

    @property
    def status(self) -> int:
        return {"broken": 400, "expired": 410, "used": 410}.get(self.value, 403)


class InvitationProblem(Exception):
    def __init__(self, problem: Problem):
        super().__init__(problem.name)
        self.problem = problem


def token(co: CoApplicant) -> str:
    return LINK.sign({"co": co.pk, "email": co.email})


@transaction.atomic
def invite(application: Application, user, email: str) -> CoApplicant:
    """Invite ``email`` (only the applicant does); a pending invitation is sent again
    with a fresh link."""
    application = _lock(application)
    if application.applicant_id != user.pk:
        raise PermissionDenied
    if application.state == Application.State.WITHDRAWN:
        raise ApplicationError(_("Diese Bewerbung ist zurückgezogen."))
    email = normalize_email(email)
    if email == normalize_email(user.email):
        raise ApplicationError(_("Sie bewerben sich schon selbst."))
    co = application.co_applicants.filter(email=email).first()
    if co is not None and co.accepted_at:
        raise ApplicationError(_("Diese Person bewirbt sich schon mit."))
    if co is None:
        if application.co_applicants.count() >= MAX_CO_APPLICANTS:
            raise ApplicationError(
                _("Sie haben schon die höchste Zahl an Mitbewerbenden eingeladen.")
            )
        co = CoApplicant.objects.create(application=application, email=email)
    else:
        co.invited_at = timezone.now()
        co.save(update_fields=["invited_at"])
    log_action(user, "awards.co_applicant.invited", application)
    mail.send(
        "co_applicant",
        [email],
        title=application.title,
        application=application,
        inviter=user.get_full_name() or application.organisation,
        until=timezone.now() + timedelta(days=VALID_DAYS),
        url=mail.absolute(_url(co)),
    )
    return co


def _url(co: CoApplicant) -> str:
    from django.urls import reverse

    return reverse("awards:invitation", args=[token(co)])


def _has_confirmed(user, email: str) -> bool:
    return EmailAddress.objects.filter(user=user, email__iexact=email, verified=True).exists()


def read(link: str, user) -> CoApplicant:
    """The pending invitation behind ``link`` for ``user``, or ``InvitationProblem``."""
    value = LINK.read(link)
    if not isinstance(value, dict):
        raise InvitationProblem(Problem.EXPIRED if LINK.is_expired(link) else Problem.BROKEN)
    co = (
        CoApplicant.objects.select_related("application__round")
        .filter(pk=value.get("co"), email=value.get("email"))
        .first()
    )
    if co is None or co.accepted_at or co.application.state == Application.State.WITHDRAWN:
        raise InvitationProblem(Problem.USED)
    if normalize_email(user.email) != co.email and not _has_confirmed(user, co.email):
        raise InvitationProblem(Problem.WRONG_ACCOUNT)
    if not _has_confirmed(user, co.email):
        raise InvitationProblem(Problem.UNCONFIRMED)
    return co


@transaction.atomic
def accept(link: str, user) -> Application:
    """Make ``user`` a co-applicant; a second acceptance of the same link is refused."""
    co = read(link, user)
    co = CoApplicant.objects.select_for_update().get(pk=co.pk)
    if co.accepted_at:
        raise InvitationProblem(Problem.USED)
    co.user, co.accepted_at = user, timezone.now()
    co.save(update_fields=["user", "accepted_at"])
    log_action(user, "awards.co_applicant.accepted", co.application)
    return co.application
