"""Matching rounds as subjects of the impact app's follow-up surveys (``SurveySubject``):
who took part in an accepted tandem, ended on the day the round was released."""

from django.utils.translation import gettext_lazy as _

from kommune360.core.dates import berlin
from kommune360.core.registry import SurveyParticipant, SurveySubject

from ..models import MatchingRound, Pair


def _choices():
    return MatchingRound.objects.filter(state=MatchingRound.State.RELEASED).order_by("-released_at")


def _get(pk):
    return _choices().filter(pk=pk).first()


def _participants(round_obj):
    found = {}
    pairs = Pair.objects.filter(
        round=round_obj, first_accepted=True, second_accepted=True, ended=False
    ).select_related("first", "second")
    ended_on = berlin(round_obj.released_at).date()
    for pair in pairs:
        for person in (pair.first, pair.second):
            if person is not None and person.is_active:
                found[person.pk] = SurveyParticipant.of(person.email, ended_on)
    return list(found.values())


SUBJECT = SurveySubject("network.matchinground", _("Matching-Runde"), _choices, _get, _participants)
