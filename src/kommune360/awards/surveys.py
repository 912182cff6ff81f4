"""Published award rounds as subjects of follow-up surveys (``core.registry.SurveySubject``):
the applicants whose application was decided, from the day of the decision."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kommune360.core.registry import SurveyParticipant, SurveySubject

from .models import Application, Round
from .services.applications import recipients


def _choices():
    return Round.objects.filter(phase=Round.Phase.PUBLISHED).order_by("-closes_at")


def _get(pk):
    return _choices().filter(pk=pk).first()


def _participants(round_):
    applications = (
        Application.objects.filter(round=round_, state=Application.State.SUBMITTED)
        .exclude(decision="")
        .filter(decided_at__isnull=False)
        .select_related("applicant")
    )
    return [
        SurveyParticipant.of(email, timezone.localdate(application.decided_at))
        for application in applications
        for email in recipients(application)[:1]
    ]


SUBJECT = SurveySubject("awards.round", _("Auszeichnungsrunde"), _choices, _get, _participants)
