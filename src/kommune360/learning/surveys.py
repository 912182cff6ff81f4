"""Lernpfad cohorts as subjects of follow-up surveys (``core.registry.SurveySubject``)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kommune360.core.registry import SurveyParticipant, SurveySubject

from .models import Application, Cohort


def _choices():
    return Cohort.objects.select_related("path").order_by("-starts_on")


def _get(pk):
    return _choices().filter(pk=pk).first()


def _participants(cohort):
    """Accepted participants of a cohort that has ended."""
    if cohort.ends_on >= timezone.localdate():
        return []
    emails = cohort.applications.filter(status=Application.Status.ACCEPTED).values_list(
        "user__email", flat=True
    )
    return [SurveyParticipant.of(email, cohort.ends_on) for email in emails if email]


SUBJECT = SurveySubject("learning.cohort", _("Lernpfad-Kohorte"), _choices, _get, _participants)
