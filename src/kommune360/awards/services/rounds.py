"""The phases of a round (draft → open → review → decision → published) and the
decision. Each change is one function with an audit entry; mails go to the outbox."""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kommune360.core.audit import log_action
from kommune360.core.cache import invalidate_pages

from .. import mail
from ..models import Application, Round
from .applications import ApplicationError, recipients

Phase = Round.Phase
ORDER = [Phase.DRAFT, Phase.OPEN, Phase.REVIEW, Phase.DECISION, Phase.PUBLISHED]


def next_phase(round_: Round):
    if round_.is_external:
        return None
    index = ORDER.index(round_.phase)
    return ORDER[index + 1] if index + 1 < len(ORDER) else None


@transaction.atomic
def change_phase(round_: Round, phase: str, actor) -> Round:
    """Move the round one phase on; anything else is refused with a German message."""
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    if phase != next_phase(round_):
        raise ApplicationError(_("Dieser Phasenwechsel ist nicht möglich."))
    if phase == Phase.REVIEW and not round_.jurors.exists():
        raise ApplicationError(_("Bitte benennen Sie zuerst die Jury."))
    if (
        phase == Phase.PUBLISHED
        and round_.applications.filter(state=Application.State.SUBMITTED, decision="").exists()
    ):
        raise ApplicationError(_("Bitte entscheiden Sie zuerst über alle Bewerbungen."))
    previous = round_.phase
    round_.phase = phase
    round_.save(update_fields=["phase", "updated_at"])
    log_action(actor, "awards.round.phase", round_, previous=previous, phase=phase)
    if phase == Phase.REVIEW:
        from .jury import refresh_conflicts

        refresh_conflicts(round_)
        jurors = list(round_.jurors.values_list("email", flat=True))
        for address in jurors:
            mail.send(
                "review_started",
                [address],
                title=round_.title,
                round=round_,
                url=mail.absolute(reverse("awards_jury")),
            )
    if phase == Phase.PUBLISHED:
        transaction.on_commit(lambda: notify_decisions(round_.pk))
    invalidate_pages()
    return round_


@transaction.atomic
def decide(application: Application, decision: str, reason: str, actor) -> Application:
    application = (
        Application.objects.select_for_update().select_related("round").get(pk=application.pk)
    )
    if application.round.phase != Phase.DECISION:
        raise ApplicationError(_("Entscheiden lässt sich nur in der Phase „Entscheidung“."))
    if application.state != Application.State.SUBMITTED:
        raise ApplicationError(_("Nur über eingereichte Bewerbungen wird entschieden."))
    if decision not in (Application.Decision.AWARDED, Application.Decision.SEAL, "not"):
        raise ApplicationError(_("Bitte wählen Sie eine Entscheidung."))
    application.decision = decision
    application.decision_reason = reason
    application.decided_at = timezone.now()
    application.save(update_fields=["decision", "decision_reason", "decided_at", "updated_at"])
    log_action(actor, "awards.application.decided", application, decision=decision)
    return application


def notify_decisions(round_id: int) -> int:
    """Tell every decided applicant once. Each notice is queued in the same transaction
    that marks the application notified: a worker dying mid-way leaves the rest for the
    next run, and nobody gets two."""
    sent = 0
    ids = list(
        Application.objects.filter(
            round_id=round_id, notified_at__isnull=True, state=Application.State.SUBMITTED
        )
        .exclude(decision="")
        .values_list("pk", flat=True)
    )
    for pk in ids:
        with transaction.atomic():
            application = (
                Application.objects.select_for_update(of=("self",))
                .select_related("round", "applicant")
                .filter(pk=pk, notified_at__isnull=True)
                .first()
            )
            if application is None:
                continue
            mail.send(
                "decision",
                recipients(application),
                title=application.round.title,
                application=application,
                url=mail.absolute(application.round.get_absolute_url()),
            )
            application.notified_at = timezone.now()
            application.save(update_fields=["notified_at"])
            log_action(None, "awards.application.notified", application)
            sent += 1
    return sent


@transaction.atomic
def solution_profile(application: Application, actor):
    """The profile of an awarded solution, started from the application; it stays
    unpublished until the applicants consent and an editor publishes it."""
    from ..models import Solution

    solution = Solution.objects.filter(application=application).first()
    if solution is not None:
        return solution
    municipality = application.municipality
    solution = Solution.objects.create(
        application=application,
        title=application.title,
        municipality_name=municipality.name,
        state=municipality.state,
        problem=application.summary,
        solution=application.summary,
        contact_name=application.contact_name,
        contact_email=application.contact_email,
    )
    log_action(actor, "awards.solution.created", solution)
    return solution
