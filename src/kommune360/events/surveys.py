"""Events as subjects of follow-up surveys (``core.registry.SurveySubject``)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kommune360.core.registry import SurveyParticipant, SurveySubject

from .models import Event, Registration


def _choices():
    return Event.objects.filter(cancelled_at__isnull=True).order_by("-starts_at")


def _get(pk):
    return _choices().filter(pk=pk).first()


def _participants(event):
    """Confirmed registrations of an event that has ended (not the waitlist)."""
    if event.cancelled_at or event.ends_at >= timezone.now():
        return []
    ended_on = timezone.localdate(event.ends_at)
    emails = event.registrations.filter(status=Registration.Status.CONFIRMED).values_list(
        "email", flat=True
    )
    return [SurveyParticipant.of(email, ended_on) for email in emails]


SUBJECT = SurveySubject("events.event", _("Veranstaltung"), _choices, _get, _participants)
