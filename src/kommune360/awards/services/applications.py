"""Applying: drafts, consent, submission before the deadline, versions, attachments and
withdrawal (co-applicants: ``invitations``). Views check input; these functions hold the
rules, write the audit entries and queue the mails."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kommune360.core.audit import log_action
from kommune360.core.uploads import FileSpec

from .. import consent, mail
from ..models import Application, ApplicationVersion, Attachment, Round

ATTACHMENT_KINDS = ("pdf", "jpg", "png")
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
MAX_ATTACHMENTS = 5
ATTACHMENT = FileSpec(kinds=ATTACHMENT_KINDS, max_bytes=ATTACHMENT_MAX_BYTES)
MIME = {"pdf": "application/pdf", "jpg": "image/jpeg", "png": "image/png"}


class ApplicationError(ValidationError):
    """A rule of the round refuses the step; the message is German and shown as is."""


@dataclass
class Details:
    municipality: object
    applicant_kind: str
    organisation: str
    contact_name: str
    contact_email: str
    title: str
    summary: str
    answers: dict
    # The agreements of the form (``consent.py``): True gives, False takes back,
    # None leaves them as they are.
    consent: bool | None = None
    showcase_consent: bool | None = None


def _deadline_passed(round_: Round, at=None) -> ApplicationError:
    return ApplicationError(
        _("Der Bewerbungsschluss ist vorbei. Bewerbungen und Änderungen sind nicht mehr möglich.")
    )


def check_open(round_: Round, at=None) -> None:
    at = at or timezone.now()
    if round_.is_external:
        raise ApplicationError(
            _("Für diese Ausschreibung bewerben Sie sich bei der Partnerorganisation.")
        )
    if round_.phase == Round.Phase.OPEN and round_.opens_at and at < round_.opens_at:
        raise ApplicationError(_("Die Bewerbung ist noch nicht geöffnet."))
    if not round_.accepts_applications(at):
        raise _deadline_passed(round_, at)


def check_eligible(round_: Round, applicant_kind: str) -> None:
    if applicant_kind not in round_.eligible_kinds():
        raise ApplicationError(
            _("Für diese Ausschreibung kann sich diese Art von Organisation nicht bewerben.")
        )


def may_edit(application: Application, user) -> bool:
    """The applicant and the co-applicants who accepted their invitation edit the
    application; a pending invitation gives no access."""
    if not user.is_authenticated:
        return False
    if application.applicant_id == user.pk:
        return True
    return any(
        co.user_id == user.pk and co.accepted_at is not None
        for co in application.co_applicants.all()
    )


def _lock(application: Application) -> Application:
    return Application.objects.select_for_update().select_related("round").get(pk=application.pk)


def _apply_details(application: Application, details: Details) -> None:
    for field in (
        "municipality",
        "applicant_kind",
        "organisation",
        "contact_name",
        "contact_email",
        "title",
        "summary",
        "answers",
    ):
        setattr(application, field, getattr(details, field))
    _apply_consent(application, details)


def _apply_consent(application: Application, details: Details) -> None:
    """Store each agreement with its time and the wording's version; the jury's review
    cannot be taken back once submitted, the publication can (until the deadline)."""
    now = timezone.now()
    if details.consent and not application.consent_at:
        application.consent_at, application.consent_version = now, consent.VERSION
    elif details.consent is False and not application.is_submitted:
        application.consent_at, application.consent_version = None, ""
    if details.showcase_consent and not application.showcase_consent_at:
        application.showcase_consent_at = now
        application.showcase_consent_version = consent.VERSION
    elif details.showcase_consent is False:
        application.showcase_consent_at, application.showcase_consent_version = None, ""


def _new_version(application: Application) -> ApplicationVersion:
    application.version += 1
    return ApplicationVersion.objects.create(
        application=application,
        number=application.version,
        title=application.title,
        summary=application.summary,
        answers=application.answers,
    )


@transaction.atomic
def start_application(round_: Round, user, details: Details, *, at=None) -> Application:
    # The round's row is the lock: two clicks on "Bewerben" at once make one draft, and a
    # round closed meanwhile takes none.
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    check_open(round_, at)
    check_eligible(round_, details.applicant_kind)
    if (
        Application.objects.filter(round=round_, applicant=user, municipality=details.municipality)
        .exclude(state=Application.State.WITHDRAWN)
        .exists()
    ):
        raise ApplicationError(
            _("Sie haben für diese Kommune in dieser Runde schon eine Bewerbung angelegt.")
        )
    application = Application(round=round_, applicant=user)
    _apply_details(application, details)
    application.save()
    log_action(user, "awards.application.started", application)
    return application


@transaction.atomic
def save_application(application: Application, user, details: Details, *, at=None):
    """Save a draft, or a submitted application before the deadline as a new version."""
    application = _lock(application)
    check_open(application.round, at)
    check_eligible(application.round, details.applicant_kind)
    if application.state == Application.State.WITHDRAWN:
        raise ApplicationError(_("Diese Bewerbung ist zurückgezogen."))
    _apply_details(application, details)
    if application.is_submitted:
        version = _new_version(application)
        log_action(user, "awards.application.edited", application, version=version.number)
    application.save()
    return application


def _missing_answers(application: Application) -> list[str]:
    missing = []
    files = {a.question_id for a in application.attachments.all()}
    for question in application.round.questions.all():
        if not question.required:
            continue
        if question.kind == question.Kind.FILE:
            if question.pk not in files:
                missing.append(question.label)
        elif not str(application.answers.get(str(question.pk), "")).strip():
            missing.append(question.label)
    return missing


@transaction.atomic
def submit_application(application: Application, user, *, at=None) -> Application:
    """Submit: final, but editable until the deadline; the confirmation mail carries a
    PDF copy."""
    application = _lock(application)
    at = at or timezone.now()
    check_open(application.round, at)
    if application.state != Application.State.DRAFT:
        raise ApplicationError(_("Diese Bewerbung ist schon eingereicht."))
    if not application.consent_at:
        raise ApplicationError(consent.MISSING)
    missing = _missing_answers(application)
    if missing:
        raise ApplicationError(
            _("Bitte beantworten Sie noch: %(questions)s") % {"questions": "; ".join(missing)}
        )
    application.state = Application.State.SUBMITTED
    application.submitted_at = at
    version = _new_version(application)
    application.save()
    log_action(user, "awards.application.submitted", application, version=version.number)
    transaction.on_commit(lambda: send_confirmation(application.pk))
    return application


def send_confirmation(application_id: int) -> None:
    from ..documents import application_pdf

    application = Application.objects.select_related("round", "applicant").get(pk=application_id)
    mail.send(
        "submitted",
        recipients(application),
        title=application.title,
        application=application,
        url=mail.absolute(application.get_absolute_url()),
        attachments=[
            (f"bewerbung-{application.pk}.pdf", application_pdf(application), "application/pdf")
        ],
    )


def recipients(application: Application) -> list[str]:
    addresses = []
    if application.applicant_id and application.applicant.email:
        addresses.append(application.applicant.email)
    if application.contact_email and application.contact_email not in addresses:
        addresses.append(application.contact_email)
    return addresses


@transaction.atomic
def withdraw_application(application: Application, user, *, at=None) -> Application:
    application = _lock(application)
    if application.round.phase in (Round.Phase.DECISION, Round.Phase.PUBLISHED) or (
        application.decision
    ):
        raise ApplicationError(_("Nach der Entscheidung lässt sich nichts mehr zurückziehen."))
    if application.state == Application.State.WITHDRAWN:
        return application
    application.state = Application.State.WITHDRAWN
    application.withdrawn_at = at or timezone.now()
    application.save(update_fields=["state", "withdrawn_at", "updated_at"])
    application.assignments.all().delete()
    log_action(user, "awards.application.withdrawn", application)
    mail.send(
        "withdrawn",
        recipients(application),
        title=application.title,
        application=application,
    )
    return application


@transaction.atomic
def add_attachment(application: Application, user, upload, *, question=None, at=None):
    """Store an attachment checked by its content: PDF, JPEG or PNG, at most 10 MB,
    at most five per application. Refused files leave nothing behind."""
    application = _lock(application)
    check_open(application.round, at)
    if application.attachments.count() >= MAX_ATTACHMENTS:
        raise ApplicationError(
            ngettext(
                "Eine Bewerbung kann höchstens %(count)s Anhang haben.",
                "Eine Bewerbung kann höchstens %(count)s Anhänge haben.",
                MAX_ATTACHMENTS,
            )
            % {"count": MAX_ATTACHMENTS}
        )
    checked = ATTACHMENT.check(upload)
    from django.core.files.base import ContentFile

    name = (upload.name or "anhang").rsplit("/", 1)[-1][:150]
    attachment = Attachment(
        application=application,
        question=question,
        name=name,
        kind=checked.kind,
        size=len(checked.content),
    )
    attachment.file.save(f"anhang.{checked.kind}", ContentFile(checked.content), save=False)
    attachment.save()
    if application.is_submitted:
        _new_version(application)
        application.save(update_fields=["version", "updated_at"])
    log_action(user, "awards.attachment.added", application, name=name)
    return attachment


@transaction.atomic
def remove_attachment(attachment: Attachment, user, *, at=None) -> None:
    application = _lock(attachment.application)
    check_open(application.round, at)
    attachment.file.delete(save=False)
    attachment.delete()
    if application.is_submitted:
        _new_version(application)
        application.save(update_fields=["version", "updated_at"])
    log_action(user, "awards.attachment.removed", application)


def applications_of(user):
    """The applications a person works on (own or as co-applicant), newest first."""
    from django.db.models import Q

    if not user.is_authenticated:
        return Application.objects.none()
    return (
        Application.objects.filter(
            Q(applicant=user)
            | Q(co_applicants__user=user, co_applicants__accepted_at__isnull=False)
        )
        .select_related("round", "municipality")
        .distinct()
        .order_by("-created_at")
    )


def guard(application: Application, user) -> None:
    if not may_edit(application, user):
        raise PermissionDenied
