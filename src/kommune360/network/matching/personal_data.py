"""The matching rounds' part of a person's data export and erasure. An erased person
leaves their rounds; their tandems end and the partners read, neutrally, that the
tandem no longer exists (no reason is given)."""

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from kommune360.core.mail import queue_email

from ..models import Pair, Participation, TandemAnswer


def export_matching(user):
    return {
        "matching_rounds": [
            {
                "round": p.round.title,
                "seeks": p.seeks,
                "partners": p.partners,
                "topics": [t.name for t in p.topics.all()],
                "exclude_municipality": p.exclude_municipality,
                "exclude_district": p.exclude_district,
                "excluded_people": p.excluded.count(),
            }
            for p in Participation.objects.filter(user=user)
            .select_related("round")
            .prefetch_related("topics")
        ],
        "tandems": Pair.objects.filter(Q(first=user) | Q(second=user)).count(),
        "tandem_answers": list(
            TandemAnswer.objects.filter(user=user).values_list("answer", flat=True)
        ),
    }


def erase_matching(user):
    Participation.objects.filter(user=user).delete()
    TandemAnswer.objects.filter(user=user).update(user=None)
    for pair in Pair.objects.filter(Q(first=user) | Q(second=user)).select_related(
        "first", "second", "round"
    ):
        partner = pair.second if pair.first_id == user.pk else pair.first
        released = pair.round.state == "freigegeben"
        if pair.first_id == user.pk:
            pair.first = None
        else:
            pair.second = None
        pair.ended = True
        pair.save(update_fields=["first", "second", "ended"])
        if partner is not None and released and not pair.declined:
            queue_email(
                _("Ihr Tandem besteht nicht mehr"),
                [partner.email],
                _(
                    "Guten Tag,\n\nein Tandem aus der Runde „%(title)s“ besteht nicht mehr: "
                    "Ihr Gegenüber ist nicht mehr im Netzwerk. Sie finden die Runde "
                    "hier:\n\n%(url)s"
                )
                % {
                    "title": pair.round.title,
                    "url": settings.SITE_URL + reverse("network:round", args=[pair.round_id]),
                },
            )
    # Others' named exclusions of the person go with the account (many-to-many rows).
