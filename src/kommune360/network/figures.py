"""Figures of the network for the impact page (``Figure`` entries in ``apps.py``);
each counts within ``year`` (Europe/Berlin) when given."""

from kommune360.core.dates import year_range

from .models import ContactRequest, Profile


def profiles(year=None, **kwargs) -> int:
    """Profiles switched on (created in ``year``)."""
    found = Profile.objects.filter(is_active=True, user__is_active=True)
    if year:
        start, end = year_range(year)
        found = found.filter(created__gte=start, created__lt=end)
    return found.count()


def accepted_contacts(year=None, **kwargs) -> int:
    """Contact requests accepted (in ``year``)."""
    found = ContactRequest.objects.filter(state=ContactRequest.State.ACCEPTED)
    if year:
        start, end = year_range(year)
        found = found.filter(decided__gte=start, decided__lt=end)
    return found.count()


def accepted_tandems(year=None, **kwargs) -> int:
    """Tandems both sides accepted (of rounds released in ``year``)."""
    from .models import Pair

    found = Pair.objects.filter(first_accepted=True, second_accepted=True)
    if year:
        start, end = year_range(year)
        found = found.filter(round__released_at__gte=start, round__released_at__lt=end)
    return found.count()


def tandems_going_well(year=None, **kwargs) -> int:
    """Answers to "Wie läuft euer Tandem?" saying it runs well (given in ``year``)."""
    from .models import TandemAnswer

    found = TandemAnswer.objects.filter(
        answer__in=[TandemAnswer.Answer.VERY_GOOD, TandemAnswer.Answer.GOOD]
    )
    if year:
        start, end = year_range(year)
        found = found.filter(created__gte=start, created__lt=end)
    return found.count()
