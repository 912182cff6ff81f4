"""What the Mitdenken asks of the team, on the editors' dashboard (``DashboardPanel``
entries, declared in ``apps.py``): contributions waiting for moderation and new
follow-ups. Each context costs two queries, however much waits."""

from django.db.models import Count, Min, Q
from django.utils.translation import gettext_lazy as _

from kommune360.core.registry import DashboardPanel

from .models import FollowUp, Status
from .services.common import MODERATE_PERMISSION
from .tasks import waiting_for_moderation

SHOWN = 5


def moderation_context(request):
    waiting = waiting_for_moderation().filter(parent__isnull=True)
    counts = waiting.aggregate(
        total=Count("pk"),
        reported=Count("pk", filter=Q(status=Status.HIDDEN)),
        oldest=Min("created"),
    )
    if not counts["total"]:
        return None
    items = list(
        waiting.only("pk", "kind", "text", "target_title", "status", "created").order_by(
            "created", "pk"
        )[:SHOWN]
    )
    return {**counts, "items": items}


def follow_up_context(request):
    counts = FollowUp.objects.aggregate(
        new=Count("pk", filter=Q(state=FollowUp.State.NEW)),
        in_contact=Count("pk", filter=Q(state=FollowUp.State.IN_CONTACT)),
    )
    if not (counts["new"] or counts["in_contact"]):
        return None
    items = list(
        FollowUp.objects.filter(state=FollowUp.State.NEW)
        .select_related("contribution")
        .only(
            "pk",
            "state",
            "contribution__kind",
            "contribution__text",
            "contribution__target_title",
            "contribution__created",
        )
        .order_by("contribution__created", "pk")[:SHOWN]
    )
    return {**counts, "items": items}


PANELS = (
    DashboardPanel(
        "moderation",
        _("Mitdenken: Moderation"),
        "participation/admin/dashboard_moderation.html",
        context=moderation_context,
        empty=_("Kein Beitrag wartet auf Moderation."),
        permission=MODERATE_PERMISSION,
        order=10,
    ),
    DashboardPanel(
        "follow_ups",
        _("Mitdenken: Nachverfolgung"),
        "participation/admin/dashboard_follow_ups.html",
        context=follow_up_context,
        empty=_("Keine offenen Anfragen zur Nachverfolgung."),
        permission="participation.view_followup",
        order=15,
    ),
)
