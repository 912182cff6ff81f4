"""Every operation that changes applications, attendance or certificates of Lernpfade.

Locking (the same discipline as ``events.services``, decision 0020): an acceptance
runs in one transaction that locks the cohort row with ``select_for_update``, then
counts the accepted applications in a second statement (a count inside the locking
statement would use the snapshot from before the wait on PostgreSQL), then decides.
The cohort lock is the only lock taken, so there is no lock order to get wrong. On
SQLite every transaction starts with ``BEGIN IMMEDIATE``, which serialises writers.
The unique constraint (cohort, person) backs "one application each". See
docs/decisions/0060-cohort-acceptance-locking.md.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kommune360.core.audit import log_action
from kommune360.core.certificates import certificates_for, issue_certificate, revoke_certificate
from kommune360.core.dates import local_date
from kommune360.core.languages import in_default_language
from kommune360.core.mail import queue_email

from .models import Application, Attendance, Cohort, Feedback, Module

Status = Application.Status


class LearningError(Exception):
    """An operation was refused; ``message`` is shown to the person."""

    def __init__(self, message, application=None):
        super().__init__(message)
        self.message = message
        self.application = application


class ApplicationsClosed(LearningError):
    pass


class AlreadyApplied(LearningError):
    pass


class CohortFull(LearningError):
    pass


class NotEligible(LearningError):
    pass


def _lock_cohort_and_count(cohort_id, own_application_id) -> Cohort:
    """Lock the cohort row, then count the other accepted applications (fresh snapshot)."""
    cohort = Cohort.objects.select_for_update().get(pk=cohort_id)
    cohort.accepted_now = (
        Application.objects.filter(cohort_id=cohort_id, status=Status.ACCEPTED)
        .exclude(pk=own_application_id)
        .count()
    )
    return cohort


def apply_to_cohort(
    cohort,
    *,
    user,
    role,
    motivation,
    municipality=None,
    employer="",
    show_to_cohort=False,
    now=None,
) -> Application:
    """A logged-in person applies; the team decides later. Raises ``ApplicationsClosed``
    or ``AlreadyApplied``."""
    now = now or timezone.now()
    if not cohort.applications_open(timezone.localdate(now)):
        raise ApplicationsClosed(_("Für diese Kohorte ist keine Bewerbung mehr möglich."))
    try:
        with transaction.atomic():
            application = Application.objects.create(
                cohort=cohort,
                user=user,
                role=role.strip(),
                municipality=municipality,
                employer=employer.strip(),
                motivation=motivation.strip(),
                show_to_cohort=bool(show_to_cohort),
                status=Status.APPLIED,
                created_at=now,
            )
            log_action(user, "learning.application_applied", application)
            _mail(application, "applied")
    except IntegrityError as error:
        existing = Application.objects.filter(cohort=cohort, user=user).first()
        raise AlreadyApplied(
            _("Sie haben sich für diese Kohorte bereits beworben."), existing
        ) from error
    return application


def decide_application(application, decision, *, actor=None, now=None) -> Application:
    """Accept, waitlist or decline; one mail each. Acceptance locks the cohort and
    re-counts: raises ``CohortFull`` when every place is taken. Deciding the same way
    twice changes nothing and sends no second mail."""
    if decision not in (Status.ACCEPTED, Status.WAITLISTED, Status.DECLINED):
        raise ValueError(decision)
    now = now or timezone.now()
    with transaction.atomic():
        if decision == Status.ACCEPTED:
            cohort = _lock_cohort_and_count(application.cohort_id, application.pk)
            if cohort.accepted_now >= cohort.capacity:
                raise CohortFull(
                    ngettext(
                        "Der eine Platz dieser Kohorte ist vergeben.",
                        "Alle %(capacity)s Plätze dieser Kohorte sind vergeben.",
                        cohort.capacity,
                    )
                    % {"capacity": cohort.capacity},
                    application,
                )
        application = (
            Application.objects.select_for_update()
            .select_related("cohort__path", "user")
            .get(pk=application.pk)
        )
        if application.status == decision:
            return application
        application.status = decision
        application.decided_at = now
        application.save(update_fields=["status", "decided_at"])
        log_action(actor, f"learning.application_{decision}", application)
        _mail(application, decision)
    return application


@in_default_language
def _mail(application, kind):
    context = {"application": application, "cohort": application.cohort}
    context["path"] = application.cohort.path
    context["site_url"] = settings.SITE_URL
    subjects = {
        "applied": _("Ihre Bewerbung für %(path)s ist eingegangen"),
        Status.ACCEPTED: _("Sie sind aufgenommen: %(path)s"),
        Status.WAITLISTED: _("Warteliste: %(path)s"),
        Status.DECLINED: _("Ihre Bewerbung für %(path)s"),
    }
    text = render_to_string(f"learning/mail/{kind}.txt", context)
    queue_email(
        subjects[kind] % {"path": application.cohort.path.title}, [application.user.email], text
    )


def record_attendance(application, module, *, attended=True, actor=None, now=None):
    """A facilitator records (or takes back) that a participant attended a module."""
    now = now or timezone.now()
    _check_module(application, module)
    with transaction.atomic():
        if attended:
            attendance, created = Attendance.objects.update_or_create(
                application=application,
                module=module,
                defaults={"recorded_by": actor, "recorded_at": now, "self_reported": False},
            )
        else:
            Attendance.objects.filter(application=application, module=module).delete()
            attendance = None
        log_action(
            actor, "learning.attendance_recorded", application, module=module.pk, attended=attended
        )
    return attendance


def mark_self_study_done(application, module, *, now=None):
    """The participant marks a self-study module as done (only self-study modules)."""
    if not module.is_self_study:
        raise LearningError(_("Nur Selbststudium-Module können Sie selbst abhaken."))
    _check_module(application, module)
    now = now or timezone.now()
    with transaction.atomic():
        attendance, _created = Attendance.objects.get_or_create(
            application=application,
            module=module,
            defaults={"recorded_by": application.user, "recorded_at": now, "self_reported": True},
        )
        log_action(application.user, "learning.self_study_done", application, module=module.pk)
    return attendance


def _check_module(application, module):
    if application.status != Status.ACCEPTED:
        raise LearningError(_("Nur aufgenommene Teilnehmer:innen haben Module."), application)
    if module.path_id != application.cohort.path_id:
        raise LearningError(_("Dieses Modul gehört nicht zu diesem Lernpfad."), application)


def attended_percent(application) -> Decimal:
    """Share of the path's current module hours the person attended, in percent.

    Counted against the modules the path has now: attendance of a module removed later
    disappears with it, and the total shrinks with it too."""
    modules = list(Module.objects.filter(path_id=application.cohort.path_id))
    total = sum((m.hours for m in modules), Decimal("0"))
    if not total:
        return Decimal("0")
    attended_ids = set(
        Attendance.objects.filter(application=application, attended=True).values_list(
            "module_id", flat=True
        )
    )
    attended = sum((m.hours for m in modules if m.pk in attended_ids), Decimal("0"))
    return (attended * 100 / total).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def certificate_eligibility(
    application, *, today=None, log=True, reissue=False, percent=None
) -> tuple[bool, str]:
    """Whether ``application`` earns a Teilnahmebescheinigung, and why not.

    The rules, in order: accepted, the cohort has ended, no revoked certificate (a
    revoked one is not re-issued by itself: the team decides, ``reissue=True``), at
    least the path's minimum share of module hours attended (exactly the minimum is
    enough). When not eligible the reason is logged as an audit entry
    (``learning.certificate_not_eligible``). ``percent`` may pass ``attended_percent``
    when the caller has it already (the cohort area).
    """
    today = today or timezone.localdate()
    cohort = application.cohort
    path = cohort.path
    reason = ""
    if application.status != Status.ACCEPTED:
        reason = _("Die Bewerbung wurde nicht angenommen.")
    elif not cohort.is_finished(today):
        reason = _("Die Kohorte ist noch nicht abgeschlossen.")
    elif not reissue and certificates_for(application).filter(revoked_at__isnull=False).exists():
        reason = _("Die Teilnahmebescheinigung wurde widerrufen.")
    else:
        if percent is None:
            percent = attended_percent(application)
        if percent < path.certificate_min_percent:
            reason = _(
                "Teilgenommen an %(percent)s %% der Modulstunden, nötig sind %(minimum)s %%."
            ) % {
                "percent": formats.localize(percent.normalize()),
                "minimum": path.certificate_min_percent,
            }
    if reason and log:
        log_action(None, "learning.certificate_not_eligible", application, reason=reason)
    return (not reason, reason)


@in_default_language
def certificate_details(application) -> dict:
    cohort = application.cohort
    path = cohort.path
    dates = {d.module_id: d for d in cohort.dates.all()}
    modules = list(path.modules.all())
    attended = set(application.attendances.values_list("module_id", flat=True))
    period = _("%(start)s bis %(end)s") % {
        "start": local_date(cohort.starts_on),
        "end": local_date(cohort.ends_on),
    }
    return {
        "facts": [
            {"label": _("Lernpfad"), "value": path.title},
            {"label": _("Kohorte"), "value": cohort.title},
            {"label": _("Zeitraum"), "value": period},
            {"label": _("Ort"), "value": _("online") if cohort.is_online else cohort.place},
        ],
        "modules": [
            {
                "title": f"{m.title} ({m.get_kind_display()})",
                "hours": formats.localize(m.hours.normalize()),
                "date": local_date(dates[m.pk].starts_at) if m.pk in dates else "",
            }
            for m in modules
            if m.pk in attended
        ],
        "total_hours": formats.localize(
            sum((m.hours for m in modules if m.pk in attended), Decimal("0")).normalize()
        ),
        "goals": path.goal_list,
    }


def issue_learning_certificate(application, *, actor=None, today=None, reissue=False):
    """Issue the certificate through core's machinery; raises ``NotEligible``.

    Returns the valid certificate if there is one already. ``reissue=True`` (the team,
    after a revocation) issues a new certificate with a new code; the other rules still
    apply."""
    application = Application.objects.select_related("cohort__path", "user").get(pk=application.pk)
    eligible, reason = certificate_eligibility(application, today=today, reissue=reissue)
    if not eligible:
        raise NotEligible(reason, application)
    return issue_certificate(
        application,
        holder_name=application.holder_name,
        holder=application.user,
        title=application.cohort.path.title,
        details=certificate_details(application),
        issuer=application.cohort.path.provider or None,
        issued_on=today,
        actor=actor,
    )


def valid_certificate(application):
    return certificates_for(application).filter(revoked_at__isnull=True).first()


def issue_cohort_certificates(cohort, *, actor=None, today=None):
    """Issue certificates to everyone eligible in ``cohort`` (the team's bulk action).

    Returns ``(issued, refused)``: the certificates now valid (new or existing) and
    ``(application, reason)`` for everyone not eligible (each reason is logged)."""
    issued, refused = [], []
    applications = Application.objects.filter(cohort=cohort, status=Status.ACCEPTED).select_related(
        "cohort__path", "user"
    )
    for application in applications:
        try:
            issued.append(issue_learning_certificate(application, actor=actor, today=today))
        except NotEligible as error:
            refused.append((application, error.message))
    return issued, refused


def revoke_learning_certificate(certificate, *, reason, actor=None):
    """Revoke with a reason (shown on the public verification page)."""
    reason = (reason or "").strip()
    if not reason:
        raise LearningError(_("Bitte geben Sie einen Grund für den Widerruf an."))
    return revoke_certificate(certificate, reason=reason, actor=actor)


# --- The cohort area -------------------------------------------------------------------------


def is_staff_for_learning(user) -> bool:
    return user.is_authenticated and user.has_perm("learning.change_application")


def set_visibility(application, visible: bool) -> Application:
    """The participant shows (or hides) name, role and Kommune to the cohort."""
    with transaction.atomic():
        updated = Application.objects.filter(pk=application.pk).update(show_to_cohort=bool(visible))
        if updated:
            log_action(
                application.user, "learning.visibility_changed", application, visible=visible
            )
    application.show_to_cohort = bool(visible)
    return application


def progress(application, modules, attended_ids) -> dict:
    """Hours attended against the hours the certificate needs (no queries)."""
    path = application.cohort.path
    total = sum((m.hours for m in modules), Decimal("0"))
    attended = sum((m.hours for m in modules if m.pk in attended_ids), Decimal("0"))
    needed = (total * path.certificate_min_percent / 100).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )
    exact = (
        (attended * 100 / total).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        if total
        else Decimal("0")
    )
    return {
        "exact_percent": exact,  # as ``attended_percent`` computes it
        "percent": exact.quantize(Decimal("1"), rounding=ROUND_HALF_UP),
        "total": total,
        "attended": attended,
        "needed": needed,
        "missing": max(needed - attended, Decimal("0")),
        "min_percent": path.certificate_min_percent,
        "reached": bool(total) and attended >= needed,
    }


def feedback_open(cohort, now=None, *, dates=None) -> bool:
    """Feedback opens with the last meeting of the cohort (or its last day). ``dates``:
    the cohort's dates when the caller has them already."""
    now = now or timezone.now()
    if dates is not None:
        last = max((d.starts_at for d in dates), default=None)
    else:
        last = cohort.dates.order_by("-starts_at").values_list("starts_at", flat=True).first()
    if last is not None and last <= now:
        return True
    return cohort.ends_on <= timezone.localdate(now)


def submit_feedback(
    application, *, rating, text="", publish_consent=False, attribution="", now=None
) -> Feedback:
    """Feedback of an accepted participant at the end; one per person, a second one
    replaces the first (and takes a published quote back until the team looks again)."""
    now = now or timezone.now()
    if application.status != Status.ACCEPTED:
        raise LearningError(_("Nur aufgenommene Teilnehmer:innen geben Rückmeldung."))
    if not feedback_open(application.cohort, now):
        raise LearningError(_("Die Rückmeldung ist erst zum Abschluss der Kohorte möglich."))
    if not 1 <= int(rating) <= 5:
        raise LearningError(_("Bitte wählen Sie eine Bewertung von 1 bis 5."))
    role = ", ".join(
        part
        for part in (
            application.role,
            application.municipality.name if application.municipality_id else application.employer,
        )
        if part
    )
    with transaction.atomic():
        feedback, created = Feedback.objects.update_or_create(
            application=application,
            defaults={
                "cohort": application.cohort,
                "rating": int(rating),
                "text": text.strip(),
                "publish_consent": bool(publish_consent),
                "attribution": attribution or Feedback.Attribution.NAME_AND_ROLE,
                "author_name": application.holder_name,
                "author_role": role,
                "is_published": False,
                "published_at": None,
                "created_at": now,
            },
        )
        log_action(application.user, "learning.feedback_submitted", feedback, rating=int(rating))
    return feedback


def publish_feedback(feedback, *, publish=True, actor=None, now=None) -> Feedback:
    """The team publishes a quote (only with consent and text) or takes it back."""
    with transaction.atomic():
        feedback = Feedback.objects.select_for_update().get(pk=feedback.pk)
        if publish and not (feedback.publish_consent and feedback.text):
            raise LearningError(
                _("Diese Rückmeldung darf nicht veröffentlicht werden (keine Einwilligung).")
            )
        if feedback.is_published == publish:
            return feedback
        feedback.is_published = publish
        feedback.published_at = (now or timezone.now()) if publish else None
        feedback.save(update_fields=["is_published", "published_at"])
        log_action(
            actor,
            "learning.feedback_published" if publish else "learning.feedback_unpublished",
            feedback,
        )
    return feedback


def published_quotes(path):
    return (
        Feedback.objects.filter(cohort__path=path, is_published=True)
        .select_related("cohort")
        .order_by("-published_at", "-pk")
    )


# --- Figures for the impact page (registry) ---------------------------------------------------


def participant_count(year=None, **kwargs) -> int:
    """Accepted participants of cohorts that started (in ``year`` if given)."""
    applications = Application.objects.filter(
        status=Status.ACCEPTED, cohort__starts_on__lte=timezone.localdate()
    )
    if year:
        applications = applications.filter(cohort__starts_on__year=year)
    return applications.count()


def certificate_count(year=None, **kwargs) -> int:
    """Valid Teilnahmebescheinigungen of Lernpfade (issued in ``year`` if given)."""
    from django.contrib.contenttypes.models import ContentType

    from kommune360.core.certificates import Certificate

    certificates = Certificate.objects.filter(
        content_type=ContentType.objects.get_for_model(Application), revoked_at__isnull=True
    )
    if year:
        certificates = certificates.filter(issued_on__year=year)
    return certificates.count()


def average_rating(year=None, **kwargs) -> float:
    """Mean feedback rating (1–5) of Lernpfade, 0 without feedback."""
    from django.db.models import Avg

    feedback = Feedback.objects.all()
    if year:
        feedback = feedback.filter(created_at__year=year)
    value = feedback.aggregate(value=Avg("rating"))["value"]
    return round(float(value), 1) if value is not None else 0.0
